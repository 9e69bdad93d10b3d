import { randomUUID } from 'node:crypto';
import { createCategory, createReport } from '../factories/report.factory';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { LiveClient } from '../realtime/live-client';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { moderationHelpers } from './moderation-fixtures';

jest.setTimeout(90_000);

interface InboxItem {
  type: string;
  subjectId: string;
  title: string;
  body: string;
  url: string;
  data: Record<string, unknown>;
}

/**
 * What people hear of moderation, with the real API, worker, SMTP capture and socket.io: a held
 * comment reaches live threads and notifications only once released; the author is told of the
 * decision, with the moderator's reason.
 */
describe('moderation: heard live and notified', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  const smtp = new SmtpCapture();
  let town: TestMunicipality;
  let categoryCode: string;
  let admin: Session;
  let staff: Session;
  let reporter: Session;
  let h: ReturnType<typeof moderationHelpers>;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    env = await isolatedEnv('moderation_heard', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100', NOTIFICATION_SWEEP_MS: '1000' });
    t = await createTestApp({ env: env.env, listen: true });
    worker = await startTestWorker({ env: env.env });
    h = moderationHelpers(t.http);
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: `Modville ${randomUUID().slice(0, 6)}` });
    categoryCode = (await createCategory(t.http, platform.accessToken, town.slug)).code;
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    reporter = await createSession(t.http, { displayName: 'Rita Reporter', locale: 'en' });
    await h.setRules(admin, town.slug, { heldWords: ['arnaque'] });
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const file = async () => (await createReport(t.http, reporter.accessToken, town, categoryCode)).id;
  const inbox = async (s: Session): Promise<InboxItem[]> => (await s.auth(t.http.get('/api/v1/me/notifications?limit=100')).expect(200)).body.items;

  it('a held comment reaches report:{id} live only when released', async () => {
    const reportId = await file();
    const client = await LiveClient.connect(t.url!);
    clients.push(client);
    await client.mustSubscribe(`report:${reportId}`);
    const author = await createSession(t.http, { displayName: 'Alain Author' });
    const held = await h.comment(author, reportId, 'Une arnaque, ce chantier');
    expect(held.status).toBe('held');
    const shown = await h.comment(author, reportId, 'Et le trottoir aussi');
    const seen = (id: string) => client.events.some((e) => (e as unknown as { data: { commentId: string } }).data?.commentId === id);
    // The comment written after the held one arrives: the held one would have come before it.
    await client.waitFor(() => seen(shown.id), 15_000, 'the visible comment');
    expect(seen(held.id)).toBe(false);

    const item = (await h.itemFor(staff, town.slug, held.id))!;
    await h.decide(staff, town.slug, item.id, 'approve').expect(200);
    await client.waitFor(() => seen(held.id), 15_000, 'the released comment');
    const event = client.events.find((e) => (e as unknown as { data: { commentId: string } }).data?.commentId === held.id) as unknown as {
      type: string;
      data: { comment: Record<string, unknown> };
    };
    expect(event.type).toBe('engagement.comment_added');
    expect(event.data.comment).toMatchObject({ id: held.id, body: 'Une arnaque, ce chantier', status: 'visible', awaitingReview: false, author: { displayName: 'Alain Author' } });
  });

  it('a comment hidden by flags leaves report:{id} live, and comes back when approved', async () => {
    await h.setRules(admin, town.slug, { flagThreshold: 2 });
    const reportId = await file();
    const client = await LiveClient.connect(t.url!);
    clients.push(client);
    await client.mustSubscribe(`report:${reportId}`);
    const c = await h.comment(await createSession(t.http), reportId, 'Contested opinion');
    type Live = { type: string; data: { commentId: string; comment: { id: string } | null } };
    const live = () => (client.events as unknown as Live[]).filter((e) => e.data?.commentId === c.id);
    await client.waitFor(() => live().some((e) => e.type === 'engagement.comment_added'), 15_000, 'the comment');
    for (let i = 0; i < 2; i++) {
      await (await createSession(t.http)).auth(t.http.post(`/api/v1/comments/${c.id}/flags`)).send({ reason: 'abusive' }).expect(201);
    }
    await client.waitFor(() => live().some((e) => e.type === 'engagement.comment_moderated'), 15_000, 'taken down');
    expect(live().find((e) => e.type === 'engagement.comment_moderated')!.data.comment).toBeNull();
    const item = (await h.itemFor(staff, town.slug, c.id))!;
    await h.decide(staff, town.slug, item.id, 'approve').expect(200);
    await client.waitFor(() => live().filter((e) => e.type === 'engagement.comment_moderated').length === 2, 15_000, 'put back');
    expect(live().filter((e) => e.type === 'engagement.comment_moderated')[1].data.comment).toMatchObject({ id: c.id, status: 'visible' });
    await h.setRules(admin, town.slug, { flagThreshold: 3 });
  });

  it('the reporter hears of a held comment on their report only once it is released', async () => {
    const reportId = await file();
    const author = await createSession(t.http, { displayName: 'Bea Held' });
    const held = await h.comment(author, reportId, 'C’est une arnaque');
    const shown = await h.comment(author, reportId, 'Bien vu');
    await eventually(async () => (await inbox(reporter)).find((n) => n.data.commentId === shown.id), 'the visible comment notified');
    expect((await inbox(reporter)).some((n) => n.data.commentId === held.id)).toBe(false);
    const item = (await h.itemFor(staff, town.slug, held.id))!;
    await h.decide(staff, town.slug, item.id, 'approve').expect(200);
    await eventually(async () => (await inbox(reporter)).find((n) => n.type === 'report.commented' && n.data.commentId === held.id), 'the released comment notified');
  });

  it('the author is told of a rejection with the reason (inbox and mail, in their language), and of an approval', async () => {
    const reportId = await file();
    const author = await createSession(t.http, { displayName: 'Eve English', locale: 'en' });
    const rejected = await h.comment(author, reportId, 'Total arnaque');
    const approved = await h.comment(author, reportId, 'Pas une arnaque finalement');
    await h.decide(staff, town.slug, (await h.itemFor(staff, town.slug, rejected.id))!.id, 'reject', { reason: 'Unfounded accusation' }).expect(200);
    await h.decide(staff, town.slug, (await h.itemFor(staff, town.slug, approved.id))!.id, 'approve').expect(200);

    const no = await eventually(async () => (await inbox(author)).find((n) => n.type === 'moderation.rejected' && n.subjectId === rejected.id), 'rejection notified');
    expect(no).toMatchObject({ title: 'Your comment was not published', body: 'Reason: Unfounded accusation' });
    expect(no.url).toBe(`${t.config.publicUrl}/reports/${reportId}`);
    const yes = await eventually(async () => (await inbox(author)).find((n) => n.type === 'moderation.approved' && n.subjectId === approved.id), 'approval notified');
    expect(yes.title).toBe('Your comment was published');
    const mail = await smtp.waitFor((m) => m.to.includes(author.user.email) && m.text.includes('Unfounded accusation'));
    // (The test's header parser drops a space where nodemailer folds the encoded subject.)
    expect(mail.subject).toMatch(/Your comment was ?not published/);
    // The moderator is not told of their own decision.
    expect((await inbox(staff)).filter((n) => n.type.startsWith('moderation.'))).toEqual([]);
  });
});

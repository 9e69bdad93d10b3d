import { randomUUID } from 'node:crypto';
import { createCategory, createReport } from '../factories/report.factory';
import { createMunicipality, TestMunicipality } from '../factories/municipality.factory';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { LiveClient } from '../realtime/live-client';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { CapturedMail, SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';

jest.setTimeout(90_000);

interface InboxItem {
  id: string;
  type: string;
  subjectId: string;
  title: string;
  body: string;
  url: string;
  data: Record<string, unknown>;
}

interface LiveComment {
  id: string;
  type: string;
  topic: string;
  data: { commentId: string; comment: { id: string; body: string | null; editedAt: string | null; deletedAt: string | null; author: { displayName: string } | null } | null };
}

/**
 * Hearing of comments: the reporter of a report and the author of a comment are told (inbox and
 * mail, through the notification rules), and comments reach `report:{id}` live (outbox → worker
 * → socket.io), with the real API, worker, SMTP capture and a real socket.io client.
 */
describe('comments on a report: notified and live', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  const smtp = new SmtpCapture();
  let town: TestMunicipality;
  let categoryCode: string;
  let reporter: Session;
  let commenter: Session;
  let replier: Session;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    env = await isolatedEnv('report_comments', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100', NOTIFICATION_SWEEP_MS: '1000' });
    t = await createTestApp({ env: env.env, listen: true });
    worker = await startTestWorker({ env: env.env });
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: `Commentville ${randomUUID().slice(0, 6)}` });
    categoryCode = (await createCategory(t.http, admin.accessToken, town.slug)).code;
    reporter = await createSession(t.http, { displayName: 'Rita Reporter', locale: 'en' });
    commenter = await createSession(t.http, { displayName: 'Colin Commenter', locale: 'fr' });
    replier = await createSession(t.http, { displayName: 'Rémi Replier' });
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
  const comment = async (s: Session, reportId: string, body: string, inReplyToId?: string) =>
    (await s.auth(t.http.post(`/api/v1/reports/${reportId}/comments`)).send({ body, ...(inReplyToId ? { inReplyToId } : {}) }).expect(201)).body as { id: string };
  const inbox = async (s: Session): Promise<InboxItem[]> => (await s.auth(t.http.get('/api/v1/me/notifications?limit=100')).expect(200)).body.items;
  const notified = (s: Session, type: string, subjectId: string) =>
    eventually(async () => (await inbox(s)).find((n) => n.type === type && n.subjectId === subjectId), `${type} for ${s.user.email}`);
  const isNotification = (m: CapturedMail) => Boolean(m.headers['list-unsubscribe']);

  it('the reporter hears of a new comment on their report: inbox, and a mail in their language with a link to the report', async () => {
    const reportId = await file();
    await comment(commenter, reportId, 'Same problem two doors down');
    const item = await notified(reporter, 'report.commented', reportId);
    expect(item).toMatchObject({ title: expect.stringContaining('Colin Commenter commented on your report'), body: 'Same problem two doors down' });
    expect(item.url).toBe(`${t.config.publicUrl}/reports/${reportId}`);
    const mail = await smtp.waitFor((m) => m.to.includes(reporter.user.email) && isNotification(m) && m.text.includes('Same problem two doors down'));
    expect(mail.subject).toContain('commented on your report');
    expect(mail.text).toContain(`/reports/${reportId}`);
    // The commenter is never told of their own comment.
    expect((await inbox(commenter)).filter((n) => n.subjectId === reportId)).toEqual([]);
  });

  it('a comment author hears of a reply to their comment; the reporter of the reply to theirs hears only that', async () => {
    const reportId = await file();
    const first = await comment(commenter, reportId, 'Le lampadaire clignote');
    await comment(replier, reportId, 'Chez moi aussi', first.id);
    const item = await notified(commenter, 'comment.replied', reportId);
    expect(item).toMatchObject({ title: 'Rémi Replier a répondu à votre commentaire', body: 'Chez moi aussi' });
    expect(item.url).toBe(`${t.config.publicUrl}/reports/${reportId}`);
    await smtp.waitFor((m) => m.to.includes(commenter.user.email) && isNotification(m) && m.subject.includes('a répondu à votre commentaire'));

    // A reply to the reporter's own comment: one notification (the reply), not two.
    const own = await comment(reporter, reportId, 'Thanks, I reported it');
    const reply = await comment(replier, reportId, 'You are welcome', own.id);
    await notified(reporter, 'comment.replied', reportId);
    const forReply = (await inbox(reporter)).filter((n) => n.data.commentId === reply.id);
    expect(forReply.map((n) => n.type)).toEqual(['comment.replied']);
  });

  it('new, edited and deleted comments arrive live on report:{id}, as the public list shows them', async () => {
    const reportId = await file();
    const client = await LiveClient.connect(t.url!);
    clients.push(client);
    await client.mustSubscribe(`report:${reportId}`);
    const events = () => client.events as unknown as LiveComment[];
    const waitFor = async (type: string, commentId: string) => {
      await client.waitFor(() => events().some((e) => e.type === type && e.data.commentId === commentId), 15_000, `${type} ${commentId}`);
      return events().find((e) => e.type === type && e.data.commentId === commentId)!;
    };

    const c = await comment(commenter, reportId, 'Live from the street');
    const added = await waitFor('engagement.comment_added', c.id);
    expect(added).toMatchObject({ topic: `report:${reportId}`, data: { comment: { id: c.id, body: 'Live from the street', author: { displayName: 'Colin Commenter' }, editedAt: null } } });
    const listed = (await t.http.get(`/api/v1/reports/${reportId}/comments`).expect(200)).body.items[0];
    expect(added.data.comment).toEqual(listed);
    expect(JSON.stringify(added)).not.toContain('@');

    await commenter.auth(t.http.patch(`/api/v1/comments/${c.id}`)).send({ body: 'Live, corrected' }).expect(200);
    expect((await waitFor('engagement.comment_edited', c.id)).data.comment).toMatchObject({ body: 'Live, corrected', editedAt: expect.any(String) });

    await commenter.auth(t.http.delete(`/api/v1/comments/${c.id}`)).expect(204);
    // Deleted without replies: the public no longer sees it at all.
    expect((await waitFor('engagement.comment_deleted', c.id)).data).toEqual({ commentId: c.id, comment: null });
  });

  it('a reporter who chose not to be named stays unnamed in their own comments sent live', async () => {
    const reportId = await file();
    const client = await LiveClient.connect(t.url!);
    clients.push(client);
    await client.mustSubscribe(`report:${reportId}`);
    const c = await comment(reporter, reportId, 'My own report, still there');
    await client.waitFor(() => (client.events as unknown as LiveComment[]).some((e) => e.data.commentId === c.id), 15_000, 'the live comment');
    const live = (client.events as unknown as LiveComment[]).find((e) => e.data.commentId === c.id)!;
    expect(live.data.comment).toMatchObject({ id: c.id, author: null });
    expect(JSON.stringify(live)).not.toContain('Rita Reporter');
    expect(live.data.comment).toEqual((await t.http.get(`/api/v1/reports/${reportId}/comments`).expect(200)).body.items[0]);
  });

  it("a reporter's edit and withdrawal reach report:{id} live like any status change", async () => {
    const reportId = await file();
    const client = await LiveClient.connect(t.url!);
    clients.push(client);
    await client.mustSubscribe(`report:${reportId}`);
    await reporter.auth(t.http.patch(`/api/v1/reports/${reportId}`)).send({ description: 'Corrected by its reporter' }).expect(200);
    const edited = await client.waitForEvent((e) => e.type === 'report.edited' && e.data.report?.id === reportId);
    expect(edited.data.report).toMatchObject({ description: 'Corrected by its reporter', status: 'new' });
    await reporter.auth(t.http.post(`/api/v1/reports/${reportId}/withdraw`)).send({}).expect(200);
    const withdrawn = await client.waitForEvent((e) => e.type === 'report.status_changed' && e.data.report?.id === reportId);
    expect(withdrawn.data.report).toMatchObject({ status: 'withdrawn' });
  });

  it('a reporter not named on their report stays unnamed in live comments and in what their replies notify', async () => {
    const reportId = await file();
    const question = await comment(commenter, reportId, 'Question pour la personne qui a signalé');
    const client = await LiveClient.connect(t.url!);
    clients.push(client);
    await client.mustSubscribe(`report:${reportId}`);
    const answer = await comment(reporter, reportId, 'It has been like this since May', question.id);

    await client.waitFor(() => (client.events as unknown as LiveComment[]).some((e) => e.data.commentId === answer.id), 15_000, 'the answer live');
    const live = (client.events as unknown as LiveComment[]).find((e) => e.data.commentId === answer.id)!;
    expect(live.data.comment).toMatchObject({ body: 'It has been like this since May', author: null });
    const listed = ((await t.http.get(`/api/v1/reports/${reportId}/comments`).expect(200)).body.items as Array<{ id: string }>).find((c) => c.id === answer.id);
    expect(live.data.comment).toEqual(listed);

    const item = await notified(commenter, 'comment.replied', reportId);
    expect(item.title).toBe('Quelqu’un a répondu à votre commentaire');
    expect(JSON.stringify(item)).not.toContain('Rita');
  });
});

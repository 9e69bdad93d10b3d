import { plainPhoto } from '../fixtures/images';
import { createMunicipality, memberSession } from '../factories/municipality.factory';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { LiveClient } from '../realtime/live-client';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { draft, makeResident, ProposalTown, proposalTown, published } from './proposal-fixtures';

jest.setTimeout(180_000);

interface InboxItem {
  type: string;
  subjectId: string;
  title: string;
  body: string;
  url: string;
}

/**
 * Official answers, notifications, live topics and engagement on proposals, with the real API,
 * worker, SMTP capture and a real socket.io client, in a database and queue prefix of their own.
 */
describe('proposals: answers, notifications, live, engagement', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  const smtp = new SmtpCapture();
  let p: ProposalTown;
  let author: Session;
  let coauthor: Session;
  let supporter: Session;
  let follower: Session;
  let otherStaff: Session;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    env = await isolatedEnv('proposal_answers', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100', NOTIFICATION_SWEEP_MS: '1000' });
    t = await createTestApp({ env: env.env, listen: true });
    worker = await startTestWorker({ env: env.env });
    p = await proposalTown(t.http, { supportThreshold: 1 });
    author = await createSession(t.http, { displayName: 'Alix Autrice', locale: 'fr' });
    coauthor = await createSession(t.http, { displayName: 'Côme Coauteur', locale: 'en' });
    supporter = await createSession(t.http, { displayName: 'Sacha Soutien', locale: 'en' });
    follower = await createSession(t.http, { displayName: 'Fred Follower', locale: 'en' });
    await makeResident(t.http, p, supporter);
    const other = await createMunicipality(t.http, p.platformAdmin.accessToken);
    otherStaff = await memberSession(t.http, p.platformAdmin.accessToken, other.slug, ['staff']);
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

  const inbox = async (s: Session): Promise<InboxItem[]> => (await s.auth(t.http.get('/api/v1/me/notifications?limit=100')).expect(200)).body.items;
  const notified = (s: Session, type: string, subjectId: string) =>
    eventually(async () => (await inbox(s)).find((n) => n.type === type && n.subjectId === subjectId), `${type} for ${s.user.email}`);
  const live = async (topic: string, token?: string) => {
    const client = await LiveClient.connect(t.url!, token);
    clients.push(client);
    await client.mustSubscribe(topic);
    return client;
  };

  it('tells co-authors of publication, the invitee of the invitation, authors of the threshold, and supporters and followers of the answer', async () => {
    const id = await draft(t.http, p, author, { title: 'Un composteur de quartier' });
    await author.auth(t.http.post(`/api/v1/proposals/${id}/coauthors`)).send({ userId: coauthor.user.id }).expect(204);
    const invitation = await notified(coauthor, 'proposal.coauthor_invited', id);
    expect(invitation.title).toBe('Invitation to co-sign');
    await coauthor.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/accept`)).expect(204);
    await author.auth(t.http.post(`/api/v1/proposals/${id}/publish`)).expect(200);
    expect((await notified(coauthor, 'proposal.published', id)).body).toBe('The proposal “Un composteur de quartier” is published and open for support.');
    await follower.auth(t.http.put(`/api/v1/proposals/${id}/follow`)).expect(204);

    await supporter.auth(t.http.post(`/api/v1/proposals/${id}/support`)).expect(200);
    const reached = await notified(author, 'proposal.threshold_reached', id);
    expect(reached).toMatchObject({ title: 'Seuil atteint', url: `${t.config.publicUrl}/proposals/${id}` });
    await smtp.waitFor((m) => m.to.includes(author.user.email) && m.subject.includes('Seuil atteint'));

    await p.staff.auth(t.http.put(`/api/v1/proposals/${id}/answer`)).send({ status: 'accepted', body: 'La commune installera un composteur.', estimatedCost: 4000, timeline: 'Printemps 2027' }).expect(200);
    await p.staff.auth(t.http.post(`/api/v1/proposals/${id}/answer/publish`)).expect(200);
    for (const who of [supporter, follower, coauthor]) expect((await notified(who, 'proposal.answered', id)).body).toBe('The proposal “Un composteur de quartier” was accepted.');
    expect((await notified(author, 'proposal.answered', id)).body).toBe('La proposition « Un composteur de quartier » est acceptée.');
    // The staff member who answered is not told of their own answer.
    expect((await inbox(p.staff)).filter((n) => n.subjectId === id)).toEqual([]);
  });

  it('lets only the town’s staff draft, publish (alone or in bulk) and mark implemented; a draft answer stays private', async () => {
    const a = await published(t.http, p, author, { title: 'Des bancs au parc' });
    const b = await published(t.http, p, author, { title: 'Une fontaine au parc' });
    const c = await published(t.http, p, author, { title: 'Des toilettes au parc' });
    const answer = { status: 'rejected', body: 'Le parc est classé : pas de construction.' };
    for (const who of [author, supporter, otherStaff]) await who.auth(t.http.put(`/api/v1/proposals/${a}/answer`)).send(answer).expect(403);
    await t.http.put(`/api/v1/proposals/${a}/answer`).send(answer).expect(401);
    const noCost = await p.staff.auth(t.http.put(`/api/v1/proposals/${a}/answer`)).send({ status: 'accepted', body: 'Oui' }).expect(422);
    expect(noCost.body.details).toEqual([expect.objectContaining({ field: 'estimatedCost', code: 'ANSWER_NEEDS_COST_AND_TIMELINE' })]);
    await p.staff.auth(t.http.put(`/api/v1/proposals/${a}/answer`)).send({ status: 'accepted', body: 'Oui, **vite**', estimatedCost: 1200, timeline: 'Mai' }).expect(200);
    await p.staff.auth(t.http.put(`/api/v1/proposals/${b}/answer`)).send(answer).expect(200);
    expect((await t.http.get(`/api/v1/proposals/${a}`).expect(200)).body.answer).toBeNull();
    expect((await p.staff.auth(t.http.get(`/api/v1/proposals/${a}/answer`)).expect(200)).body).toMatchObject({ status: 'accepted', bodyHtml: '<p>Oui, <strong>vite</strong></p>', publishedAt: null });
    await author.auth(t.http.get(`/api/v1/proposals/${a}/answer`)).expect(404);

    const bulk = await p.staff.auth(t.http.post(`/api/v1/municipalities/${p.town.slug}/proposals/answers/publish`)).send({ proposalIds: [a, b, c] }).expect(200);
    expect(bulk.body).toEqual({ published: [a, b], failed: [{ proposalId: c, code: 'PROPOSAL_NO_ANSWER', message: 'This proposal has no drafted answer' }] });
    expect((await t.http.get(`/api/v1/proposals/${a}`).expect(200)).body).toMatchObject({ status: 'accepted', answer: { status: 'accepted', estimatedCost: 1200, timeline: 'Mai' } });
    expect((await t.http.get(`/api/v1/proposals/${b}`).expect(200)).body).toMatchObject({ status: 'rejected', answer: { status: 'rejected', estimatedCost: null } });

    const illegal = await p.staff.auth(t.http.post(`/api/v1/proposals/${b}/implemented`)).expect(409);
    expect(illegal.body).toMatchObject({ code: 'PROPOSAL_ILLEGAL_TRANSITION', meta: { from: 'rejected', to: 'implemented', allowed: ['withdrawn', 'hidden'] } });
    await p.staff.auth(t.http.post(`/api/v1/proposals/${a}/implemented`)).expect(200);
    await notified(author, 'proposal.implemented', a);
    await otherStaff.auth(t.http.post(`/api/v1/municipalities/${p.town.slug}/proposals/answers/publish`)).send({ proposalIds: [c] }).expect(403);
  });

  it('sends the support count, state and answer live on proposal:{id} and the town feed; drafts are not listened to', async () => {
    const id = await published(t.http, p, author, { title: 'Un marché le dimanche' });
    const one = await live(`proposal:${id}`);
    const feed = await live(`municipality:${p.town.slug}:proposals`);
    await supporter.auth(t.http.post(`/api/v1/proposals/${id}/support`)).expect(200);
    const counted = await one.waitForEvent((e) => e.type === 'proposals.support_changed');
    expect(counted.data).toMatchObject({ proposalId: id, proposal: { id, supportCount: 1, supportedByMe: false } });
    await one.waitForEvent((e) => e.type === 'proposals.status_changed' && (e.data as unknown as { proposal: { status: string } }).proposal.status === 'threshold_reached');
    await p.staff.auth(t.http.put(`/api/v1/proposals/${id}/answer`)).send({ status: 'evaluating', body: 'Nous étudions la question.' }).expect(200);
    await p.staff.auth(t.http.post(`/api/v1/proposals/${id}/answer/publish`)).expect(200);
    const answered = await feed.waitForEvent((e) => e.type === 'proposals.answered');
    expect(answered.data).toMatchObject({ proposalId: id, proposal: { status: 'evaluating', answer: { status: 'evaluating', bodyHtml: '<p>Nous étudions la question.</p>' } } });
    // Withdrawn: the feed is told to drop it.
    await author.auth(t.http.post(`/api/v1/proposals/${id}/withdraw`)).send({ reason: 'Fusionnée avec une autre' }).expect(200);
    const gone = await feed.waitForEvent((e) => e.type === 'proposals.status_changed' && (e.data as unknown as { proposal: unknown }).proposal === null);
    expect(gone.data).toEqual({ proposalId: id, proposal: null });

    const draftId = await draft(t.http, p, author);
    const anonymous = await LiveClient.connect(t.url!);
    clients.push(anonymous);
    expect(await anonymous.request('subscribe', { topic: `proposal:${draftId}` })).toMatchObject({ ok: false, error: { code: 'PROPOSAL_NOT_FOUND' } });
    await live(`proposal:${draftId}`, author.accessToken);
  });

  it('takes comments, follows, flags and photos as an engagement and media subject; most_commented counts comments', async () => {
    const id = await published(t.http, p, author, { title: 'Plus d’arbres rue Solférino' });
    const c = await supporter.auth(t.http.post(`/api/v1/proposals/${id}/comments`)).send({ body: 'Oui, et des bancs à l’ombre' }).expect(201);
    const comments = await t.http.get(`/api/v1/proposals/${id}/comments`).expect(200);
    expect(comments.body.items.map((x: { id: string }) => x.id)).toEqual([c.body.id]);
    await eventually(async () => (await t.http.get(`/api/v1/proposals/${id}`).expect(200)).body.commentCount === 1, 'the comment count');
    await follower.auth(t.http.post(`/api/v1/proposals/${id}/flags`)).send({ reason: 'spam' }).expect(201);
    const photo = await author.auth(t.http.post(`/api/v1/proposals/${id}/photos`)).attach('photo', await plainPhoto('jpeg'), { filename: 'arbres.jpg', contentType: 'image/jpeg' }).expect(201);
    expect(photo.body.id).toBeDefined();
    await supporter.auth(t.http.post(`/api/v1/proposals/${id}/photos`)).attach('photo', await plainPhoto('jpeg'), { filename: 'x.jpg', contentType: 'image/jpeg' }).expect(403);
    // A draft is nobody else's subject.
    const draftId = await draft(t.http, p, author);
    await supporter.auth(t.http.post(`/api/v1/proposals/${draftId}/comments`)).send({ body: 'Je vois un brouillon ?' }).expect(404);
  });
});

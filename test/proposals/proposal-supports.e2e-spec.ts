import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { draft, makeResident, ProposalTown, proposalTown, published } from './proposal-fixtures';

// 200 accounts are signed up (argon2id) on a shared machine: set-up takes a while.
jest.setTimeout(600_000);

const PEOPLE = 200;

describe('proposals: supports', () => {
  let t: TestApp;
  let open: ProposalTown;
  let strict: ProposalTown;
  let author: Session;
  let coauthor: Session;
  let people: Session[];

  beforeAll(async () => {
    t = await createTestApp();
    // A town where anyone signed in may support, and one that needs a verified residency (default).
    open = await proposalTown(t.http, { residencyRequired: false, supportThreshold: 150 });
    strict = await proposalTown(t.http, { supportThreshold: 2 });
    author = await createSession(t.http);
    coauthor = await createSession(t.http);
    people = [];
    for (let i = 0; i < PEOPLE; i += 20) people.push(...(await Promise.all(Array.from({ length: 20 }, () => createSession(t.http)))));
  });

  afterAll(async () => {
    await t?.close();
  });

  const support = (who: Session, id: string) => who.auth(t.http.post(`/api/v1/proposals/${id}/support`));

  it('counts exactly one per person when 200 support at once, some twice, and the threshold is reached by the support that reaches it', async () => {
    const id = await published(t.http, open, author);
    // Every fourth person sends the same support twice at the same instant.
    const attempts = people.flatMap((p, i) => (i % 4 === 0 ? [p, p] : [p]));
    const answers = await Promise.all(attempts.map((p) => support(p, id)));
    expect(answers.filter((r) => r.status !== 200).map((r) => `${r.status} ${JSON.stringify(r.body)}`)).toEqual([]);
    const view = await t.http.get(`/api/v1/proposals/${id}`).expect(200);
    expect(view.body.supportCount).toBe(PEOPLE);
    const db = t.app.get(DataSource);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM proposal_supports WHERE proposal_id = $1`, [id]);
    expect(n).toBe(PEOPLE);
    // Threshold 150: reached once, by exactly one of the supports, whose answer said so.
    expect(view.body.status).toBe('threshold_reached');
    expect(view.body.thresholdReachedAt).not.toBeNull();
    const reached = answers.filter((r) => r.body.status === 'threshold_reached').map((r) => r.body.supportCount as number);
    expect(Math.min(...reached)).toBe(150);
    // In the order they were recorded: the relay's update of the first row may move it after the second.
    const moves = await db.query(`SELECT payload->>'to' AS "to" FROM outbox_events WHERE aggregate_id = $1 AND type = 'proposals.status_changed' ORDER BY id`, [id]);
    expect(moves).toEqual([{ to: 'published' }, { to: 'threshold_reached' }]);
    // Each person sees their own support; taking it back counts down by one, once.
    expect((await people[1].auth(t.http.get(`/api/v1/proposals/${id}`)).expect(200)).body.supportedByMe).toBe(true);
    const [a, b] = await Promise.all([people[1].auth(t.http.delete(`/api/v1/proposals/${id}/support`)), people[1].auth(t.http.delete(`/api/v1/proposals/${id}/support`))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    expect((await t.http.get(`/api/v1/proposals/${id}`).expect(200)).body).toMatchObject({ supportCount: PEOPLE - 1, status: 'threshold_reached' });
  });

  it('refuses its authors, drafts, withdrawn proposals and anonymous callers; editing stops at the first support', async () => {
    const id = await published(t.http, open, author);
    await author.auth(t.http.post(`/api/v1/proposals/${id}/coauthors`)).send({ userId: coauthor.user.id }).expect(204);
    await coauthor.auth(t.http.post(`/api/v1/proposals/${id}/coauthors/accept`)).expect(204);
    expect((await support(author, id).expect(409)).body.code).toBe('PROPOSAL_OWN_SUPPORT');
    expect((await support(coauthor, id).expect(409)).body.code).toBe('PROPOSAL_OWN_SUPPORT');
    await t.http.post(`/api/v1/proposals/${id}/support`).expect(401);
    await support(people[0], '00000000-0000-4000-8000-000000000000').expect(404);
    await support(people[0], 'nope').expect(400);

    const draftId = await draft(t.http, open, author);
    await support(people[0], draftId).expect(404);
    // Its author sees the draft, and is told why it takes no support.
    expect((await support(author, draftId).expect(409)).body).toMatchObject({ code: 'PROPOSAL_NOT_SUPPORTABLE', meta: { status: 'draft' } });

    await author.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ title: 'Avant le premier soutien' }).expect(200);
    await support(people[0], id).expect(200);
    const locked = await author.auth(t.http.patch(`/api/v1/proposals/${id}`)).send({ title: 'Après' }).expect(409);
    expect(locked.body).toMatchObject({ code: 'PROPOSAL_EDIT_LOCKED', meta: { reason: 'has_supports', supportCount: 1 } });

    await author.auth(t.http.post(`/api/v1/proposals/${id}/withdraw`)).send({ reason: 'Plus nécessaire' }).expect(200);
    const closed = await support(people[2], id).expect(409);
    expect(closed.body).toMatchObject({ code: 'PROPOSAL_NOT_SUPPORTABLE', meta: { status: 'withdrawn', reason: 'status' } });
    await people[0].auth(t.http.delete(`/api/v1/proposals/${id}/support`)).expect(409);
  });

  it('needs a verified residency where the town asks for it, and reaches a threshold of 2 at the second support', async () => {
    const id = await published(t.http, strict, author);
    const refused = await support(people[0], id).expect(403);
    expect(refused.body.code).toBe('PROPOSAL_RESIDENCY_REQUIRED');
    await makeResident(t.http, strict, people[0]);
    await makeResident(t.http, strict, people[1]);
    expect((await support(people[0], id).expect(200)).body).toEqual({ proposalId: id, supportCount: 1, status: 'published', supportedByMe: true });
    expect((await support(people[1], id).expect(200)).body).toEqual({ proposalId: id, supportCount: 2, status: 'threshold_reached', supportedByMe: true });
    const view = await t.http.get(`/api/v1/proposals/${id}`).expect(200);
    // The answer is due 30 working days later: more than 30 calendar days, never on a weekend.
    const due = new Date(view.body.answerDueAt);
    expect(due.getTime() - new Date(view.body.thresholdReachedAt).getTime()).toBeGreaterThan(30 * 86_400_000);
    expect([0, 6]).not.toContain(due.getUTCDay());
  });
});

import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { checkIn, createVenue, createWorkshop, localTime, registerFor, workshopBody } from '../factories/workshop.factory';
import { BoardLiveClient } from './board-live-client';

/**
 * A note from a workshop's live board becomes a draft proposal only when its author asks (the
 * asking is the consent): another participant or a facilitator cannot; a hidden note cannot; one
 * proposal per note; without the author asking, no proposal exists. Through the HTTP API and real
 * socket.io board clients, on the real database.
 */
describe('workshop board note → proposal (with its author’s consent)', () => {
  let t: TestApp;
  let db: DataSource;
  let town: TestMunicipality;
  let facilitator: Session;
  let alice: Session;
  let bob: Session;
  let topicId: string;
  let sessionId: string;
  const clients: BoardLiveClient[] = [];

  const proposalsFrom = async (ideaId: string) =>
    (await db.query(`SELECT id, author_id AS "authorId", status FROM proposals WHERE from_workshop_idea_id = $1`, [ideaId])) as Array<{ id: string; authorId: string; status: string }>;
  const ask = (who: Session | null, ideaId: string, body: Record<string, unknown>) => {
    const request = t.http.post(`/api/v1/workshop-ideas/${ideaId}/proposal`).send(body);
    return who ? who.auth(request) : request;
  };

  beforeAll(async () => {
    t = await createTestApp({ listen: true });
    db = t.app.get(DataSource);
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Idéeville' });
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    facilitator = await memberSession(t.http, platform.accessToken, town.slug, ['facilitator']);
    topicId = (await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposal-topics`)).send({ code: 'nature', nameFr: 'Nature', nameEn: 'Nature' }).expect(201)).body.id;
    const venue = await createVenue(t.http, admin, town.slug);
    const workshop = await createWorkshop(t.http, facilitator, town.slug, workshopBody({ sessions: [{ startsAt: localTime(4, 10), endsAt: localTime(4, 12), venueId: venue.id, capacity: 10 }] }));
    sessionId = workshop.sessions[0].id;
    alice = await createSession(t.http);
    bob = await createSession(t.http);
    for (const who of [alice, bob]) await checkIn(t.http, facilitator, sessionId, (await registerFor(t.http, who, sessionId)).code);
  });

  afterAll(async () => {
    for (const c of clients) c.close();
    await t?.close();
  });

  it('the author makes their note a draft proposal; nobody else can, a hidden note cannot, and once only', async () => {
    const aliceBoard = await BoardLiveClient.join(t.url!, alice.accessToken, sessionId);
    const facilitatorBoard = await BoardLiveClient.join(t.url!, facilitator.accessToken, sessionId);
    clients.push(aliceBoard, facilitatorBoard);
    const ideaId = (await aliceBoard.must('idea.post', { text: 'Planter des arbres fruitiers dans la cour de l’école' })).change.idea.id as string;
    const hiddenId = (await aliceBoard.must('idea.post', { text: 'Une idée que l’animatrice masquera' })).change.idea.id as string;
    await facilitatorBoard.must('idea.hide', { ideaId: hiddenId });
    const body = { title: 'Des arbres fruitiers à l’école', topicId };

    // Without the author asking, nothing exists.
    expect(await proposalsFrom(ideaId)).toEqual([]);

    // Nobody else may do it for them: not signed in, another participant, the facilitator.
    await ask(null, ideaId, body).expect(401);
    for (const other of [bob, facilitator]) {
      const refused = await ask(other, ideaId, body).expect(403);
      expect(refused.body.code).toBe('WORKSHOP_IDEA_NOT_YOURS');
    }
    // A hidden note, an unknown one: no such note; a malformed id is bad input.
    expect((await ask(alice, hiddenId, body).expect(404)).body.code).toBe('BOARD_IDEA_NOT_FOUND');
    expect((await ask(alice, '00000000-0000-4000-8000-000000000000', body).expect(404)).body.code).toBe('BOARD_IDEA_NOT_FOUND');
    await ask(alice, 'not-an-id', body).expect(400);
    // Bad input names the field.
    const bad = await ask(alice, ideaId, { title: 'x', topicId, extra: 1 }).expect(400);
    expect(JSON.stringify(bad.body.details)).toMatch(/title/);
    expect(JSON.stringify(bad.body.details)).toMatch(/extra/);
    expect(await proposalsFrom(ideaId)).toEqual([]);
    expect(await proposalsFrom(hiddenId)).toEqual([]);

    // The author asks: a draft of theirs, with the note's text, linked to the note.
    const created = (await ask(alice, ideaId, body).expect(201)).body;
    expect(created).toMatchObject({ status: 'draft', title: 'Des arbres fruitiers à l’école', fromWorkshopIdeaId: ideaId, author: { id: alice.user.id }, topic: { id: topicId } });
    expect(created.body).toBe('Planter des arbres fruitiers dans la cour de l’école');
    expect(await proposalsFrom(ideaId)).toEqual([{ id: created.id, authorId: alice.user.id, status: 'draft' }]);
    const [event] = (await db.query(`SELECT payload FROM outbox_events WHERE type = 'proposals.created_from_workshop_idea' AND aggregate_id = $1`, [created.id])) as Array<{ payload: Record<string, unknown> }>;
    expect(event.payload).toMatchObject({ proposalId: created.id, ideaId, sessionId, authorId: alice.user.id });
    // A draft: its author reads it, others do not; the author publishes it like any other.
    await alice.auth(t.http.get(`/api/v1/proposals/${created.id}`)).expect(200);
    await bob.auth(t.http.get(`/api/v1/proposals/${created.id}`)).expect(404);

    // Once per note, even when asked twice at once.
    const again = await Promise.all([ask(alice, ideaId, body), ask(alice, ideaId, body)]);
    expect(again.map((r) => r.status)).toEqual([409, 409]);
    expect(again[0].body).toMatchObject({ code: 'PROPOSAL_IDEA_ALREADY_PROPOSED', meta: { proposalId: created.id } });
    expect(await proposalsFrom(ideaId)).toHaveLength(1);
  });

  it('two first requests at once make one proposal', async () => {
    const board = await BoardLiveClient.join(t.url!, bob.accessToken, sessionId);
    clients.push(board);
    const ideaId = (await board.must('idea.post', { text: 'Un composteur partagé par rue' })).change.idea.id as string;
    const answers = await Promise.all([0, 1, 2].map(() => ask(bob, ideaId, { title: 'Un composteur par rue', topicId })));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    expect(await proposalsFrom(ideaId)).toHaveLength(1);
  });
});

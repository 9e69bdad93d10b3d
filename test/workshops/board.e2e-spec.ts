import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { checkIn, createVenue, createWorkshop, localTime, registerFor, TestWorkshop, workshopBody } from '../factories/workshop.factory';
import { LiveClient } from '../realtime/live-client';
import { BoardLiveClient } from './board-live-client';

/**
 * The live board through real socket.io clients on two API instances: a facilitator and
 * checked-in participants run a session from notes to outcomes; a participant drops and comes
 * back; every client ends with the board saved in the database.
 */
describe('workshop live board', () => {
  let a: TestApp;
  let b: TestApp;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let facilitator: Session;
  let participants: Session[];
  let registeredOnly: Session;
  let otherStaff: Session;
  let venueId: string;
  const clients: Array<{ close(): void }> = [];
  // One day per session: the facilitator may not be booked twice at once.
  let day = 1;

  const track = <T extends { close(): void }>(c: T): T => {
    clients.push(c);
    return c;
  };
  const join = async (via: TestApp, who: Session | null, sessionId: string) => track(await BoardLiveClient.join(via.url!, who?.accessToken, sessionId));

  /** A fresh workshop with one session, its participants registered and checked in. */
  async function freshSession(checkedIn: Session[]): Promise<{ workshop: TestWorkshop; sessionId: string }> {
    const workshop = await createWorkshop(a.http, facilitator, town.slug, workshopBody({ sessions: [{ startsAt: localTime(++day, 10), endsAt: localTime(day, 12), venueId, capacity: 40 }] }));
    const sessionId = workshop.sessions[0].id;
    for (const p of checkedIn) {
      const registration = await registerFor(a.http, p, sessionId);
      await checkIn(a.http, facilitator, sessionId, registration.code);
    }
    return { workshop, sessionId };
  }

  const saved = async (who: Session, sessionId: string) => (await who.auth(a.http.get(`/api/v1/sessions/${sessionId}/board`)).expect(200)).body;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp({ listen: true }), createTestApp({ listen: true })]);
    admin = await platformAdminSession(a.http);
    town = await createMunicipality(a.http, admin.accessToken, { name: 'Boardtown' });
    other = await createMunicipality(a.http, admin.accessToken, { name: 'Elsewhere' });
    facilitator = await memberSession(a.http, admin.accessToken, town.slug, ['facilitator'], { displayName: 'Fanny Facilitator' });
    participants = [];
    for (let i = 0; i < 3; i++) participants.push(await createSession(a.http, { displayName: `Participant ${i}` }));
    registeredOnly = await createSession(a.http);
    otherStaff = await memberSession(a.http, admin.accessToken, other.slug, ['staff']);
    venueId = (await createVenue(a.http, await memberSession(a.http, admin.accessToken, town.slug, ['staff']), town.slug)).id;
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await Promise.all([a.close(), b.close()]);
  });

  it('lets only facilitators and checked-in participants join; the projector by its secret key, read-only', async () => {
    const { sessionId } = await freshSession([participants[0]]);
    await registerFor(a.http, registeredOnly, sessionId);
    const topic = `workshop-session:${sessionId}`;
    const codeOf = async (token: string | undefined, t = topic) => {
      const c = track(await LiveClient.connect(a.url!, token));
      const ack = await c.subscribe(t);
      return ack.ok ? 'ok' : ack.error.code;
    };
    expect(await codeOf(undefined)).toBe('UNAUTHENTICATED');
    expect(await codeOf(registeredOnly.accessToken)).toBe('BOARD_NOT_ON_BOARD');
    expect(await codeOf(otherStaff.accessToken)).toBe('BOARD_NOT_ON_BOARD');
    expect(await codeOf(admin.accessToken)).toBe('BOARD_NOT_ON_BOARD');
    expect(await codeOf(participants[0].accessToken)).toBe('ok');
    expect(await codeOf(facilitator.accessToken)).toBe('ok');
    expect(await codeOf(undefined, `workshop-session:${sessionId}:projector:not-the-key`)).toBe('BOARD_PROJECTOR_KEY_INVALID');

    // Not on the board: no sync, no command, no HTTP board.
    const outsider = track(await LiveClient.connect(a.url!, registeredOnly.accessToken));
    await expect(outsider.request('board:sync', { sessionId })).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_NOT_ON_BOARD' } });
    await expect(outsider.request('board', { sessionId, type: 'idea.post', text: 'Let me in' })).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_NOT_ON_BOARD' } });
    await registeredOnly.auth(a.http.get(`/api/v1/sessions/${sessionId}/board`)).expect(403);
    await a.http.get(`/api/v1/sessions/${sessionId}/board`).expect(401);

    // The facilitator makes a projector key; a participant may not.
    await participants[0].auth(a.http.post(`/api/v1/sessions/${sessionId}/board/projector-key`)).expect(403);
    const first = (await facilitator.auth(a.http.post(`/api/v1/sessions/${sessionId}/board/projector-key`)).expect(201)).body;
    const projector = track(await BoardLiveClient.join(b.url!, undefined, sessionId, first.topic));
    expect(projector.view.seq).toBe(0);
    const fac = await join(a, facilitator, sessionId);
    await fac.must('timer.start', { seconds: 300 });
    await projector.waitForSeq(1);
    expect(projector.view.timer.status).toBe('running');
    // Read-only: the projector's connection is nobody.
    await expect(projector.act('idea.post', { text: 'From the screen' })).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_NOT_ON_BOARD' } });
    // A new key revokes the former one.
    await facilitator.auth(a.http.post(`/api/v1/sessions/${sessionId}/board/projector-key`)).expect(201);
    expect(await codeOf(undefined, first.topic)).toBe('BOARD_PROJECTOR_KEY_INVALID');
  });

  it('runs a session from notes to revealed votes; a participant drops and comes back; every client ends with the saved board', async () => {
    const { sessionId, workshop } = await freshSession(participants);
    const fac = await join(a, facilitator, sessionId);
    const [p0, p1, p2] = [await join(a, participants[0], sessionId), await join(b, participants[1], sessionId), await join(b, participants[2], sessionId)];
    const everyone = [fac, p0, p1, p2];

    await fac.must('settings.set', { dotsPerParticipant: 4, maxDotsPerIdea: 2 });
    await fac.must('timer.start', { seconds: 600 });
    // Participants post at the same time, through both instances.
    const posted = await Promise.all([p0, p1, p2].flatMap((p, i) => [1, 2, 3].map((n) => p.must('idea.post', { text: `Idea ${n} from participant ${i}` }))));
    const seqs = posted.map((ack) => ack.seq as number).sort((x, y) => x - y);
    expect(seqs).toEqual(Array.from({ length: 9 }, (_, i) => i + 3));
    const ideaIds = posted.map((ack) => ack.change.idea.id as string);

    // Clustering.
    const shade = (await fac.must('cluster.create', { title: 'Shade' })).change.cluster;
    const benches = (await fac.must('cluster.create', { title: 'Benches' })).change.cluster;
    await fac.must('phase.set', { phase: 'cluster' });
    await fac.waitForSeq(seqs[seqs.length - 1]);
    for (const id of ideaIds.slice(0, 3)) {
      const idea = fac.view.ideas.find((i) => i.id === id)!;
      await fac.must('idea.move', { ideaId: id, clusterId: shade.id, version: idea.version });
    }
    for (const id of ideaIds.slice(3, 5)) {
      const idea = fac.view.ideas.find((i) => i.id === id)!;
      await fac.must('idea.move', { ideaId: id, clusterId: benches.id, version: idea.version });
    }
    await fac.must('cluster.rename', { clusterId: shade.id, title: 'Trees and shade', version: fac.view.clusters.find((c) => c.id === shade.id)!.version });
    const seating = (await fac.must('cluster.create', { title: 'Seating' })).change.cluster;
    await fac.must('cluster.merge', { fromId: benches.id, intoId: seating.id });
    await fac.must('idea.hide', { ideaId: ideaIds[8] });
    await fac.must('timer.pause');
    await fac.must('timer.add', { seconds: 120 });

    // A participant drops (its transport closes), changes happen meanwhile, it comes back.
    await p1.waitForSeq(fac.replica.seq);
    // The test brings it back itself, once the others have moved on.
    p1.live.socket.io.reconnection(false);
    const gone = new Promise<void>((resolve) => p1.live.socket.once('disconnect', () => resolve()));
    p1.live.socket.io.engine.close();
    await gone;
    await fac.must('phase.set', { phase: 'vote' });
    await fac.must('timer.resume');
    const poll = (await fac.must('poll.open', { question: 'Which evening suits you?', options: ['Tuesday', 'Thursday', 'Saturday'], multiple: true })).change.poll;

    // Dot-voting: counts hidden until revealed.
    await p0.must('dot.add', { ideaId: ideaIds[0] });
    await p0.must('dot.add', { ideaId: ideaIds[0] });
    await p2.must('dot.add', { ideaId: ideaIds[0] });
    await p2.must('dot.add', { ideaId: ideaIds[4] });
    await p0.must('poll.answer', { pollId: poll.id, choices: [0, 2] });
    await p2.must('poll.answer', { pollId: poll.id, choices: [2] });
    await fac.waitForSeq(fac.replica.seq);
    expect(fac.view.ideas.every((i) => i.dots === null)).toBe(true);
    expect(fac.view.dotsCast).toBe(4);

    const back = new Promise<void>((resolve) => p1.live.socket.once('connect', () => resolve()));
    p1.live.socket.connect();
    await back;
    await p1.must('dot.add', { ideaId: ideaIds[4] });
    await p1.must('poll.answer', { pollId: poll.id, choices: [1] });
    await fac.must('votes.reveal');
    await p1.must('dot.add', { ideaId: ideaIds[1] });
    await fac.must('poll.close', { pollId: poll.id });
    const last = (await fac.must('phase.set', { phase: 'results' })).seq as number;

    for (const c of everyone) await c.waitForSeq(last);
    const board = (await saved(facilitator, sessionId)).board;
    expect(board.seq).toBe(last);
    for (const c of everyone) expect(c.view).toEqual(board);
    expect(p1.syncs.length).toBeGreaterThanOrEqual(2);
    expect(board.ideas.find((i: { id: string }) => i.id === ideaIds[0]).dots).toBe(3);
    expect(board.ideas.find((i: { id: string }) => i.id === ideaIds[4]).dots).toBe(2);
    expect(board.ideas.some((i: { id: string }) => i.id === ideaIds[8])).toBe(false);
    expect(board.clusters.map((c: { title: string }) => c.title)).toEqual(['Trees and shade', 'Seating']);
    expect(board.polls[0]).toMatchObject({ status: 'closed', counts: [1, 1, 2], voters: 3 });
    // Each participant's own dots, kept from acks and broadcasts, are the saved ones.
    for (const [i, p] of [p0, p1, p2].entries()) expect(p.replica.myDots).toEqual((await saved(participants[i], sessionId)).me.myDots);

    // Outcomes: facilitators only, then public on the workshop's page; the board is closed.
    await participants[0].auth(a.http.post(`/api/v1/sessions/${sessionId}/board/outcomes`)).send({ minutes: 'x' }).expect(403);
    await facilitator.auth(a.http.post(`/api/v1/sessions/${sessionId}/board/outcomes`)).send({ minutes: 'x', extra: 1 }).expect(400);
    const outcome = (await facilitator.auth(a.http.post(`/api/v1/sessions/${sessionId}/board/outcomes`)).send({ minutes: 'Shade first; a bench survey next.' }).expect(201)).body;
    expect(outcome.topIdeas.map((i: { id: string; dots: number }) => [i.id, i.dots])).toEqual([
      [ideaIds[0], 3],
      [ideaIds[4], 2],
      [ideaIds[1], 1],
    ]);
    const page = (await a.http.get(`/api/v1/workshops/${workshop.id}/outcomes`).expect(200)).body;
    expect(page.items).toEqual([outcome]);
    expect(page.items[0]).toMatchObject({ minutes: 'Shade first; a bench survey next.', polls: [{ counts: [1, 1, 2], voters: 3 }], voters: 3 });
    expect(JSON.stringify(page)).not.toContain(participants[0].user.id);
    await expect(p0.act('idea.post', { text: 'Too late' })).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_CLOSED' } });
    await facilitator.auth(a.http.post(`/api/v1/sessions/${sessionId}/board/outcomes`)).send({ minutes: 'again' }).expect(409);
    for (const c of everyone) await c.waitForSeq(last + 1);
    expect(p2.view.closed).toBe(true);
  }, 120_000);

  it('answers every bad command with an error ack and changes nothing; a concurrent edit of one note is refused as stale', async () => {
    const { sessionId } = await freshSession(participants.slice(0, 2));
    const fac = await join(a, facilitator, sessionId);
    const [p0, p1] = [await join(a, participants[0], sessionId), await join(b, participants[1], sessionId)];
    await fac.must('settings.set', { dotsPerParticipant: 2, maxDotsPerIdea: 1 });
    const idea = (await p0.must('idea.post', { text: 'Water fountains' })).change.idea;
    const other = (await p1.must('idea.post', { text: 'Night buses' })).change.idea;

    // The author and a facilitator edit the same note from the same version: one wins, the other is told the current note.
    const [mine, theirs] = await Promise.all([
      p0.act('idea.edit', { ideaId: idea.id, text: 'Drinking fountains', version: idea.version }),
      fac.act('idea.edit', { ideaId: idea.id, text: 'Fountains in parks', version: idea.version }),
    ]);
    const [won, lost] = mine.ok ? [mine, theirs] : [theirs, mine];
    expect(won.ok).toBe(true);
    expect(lost).toMatchObject({ ok: false, error: { code: 'BOARD_STALE_VERSION', meta: { current: { id: idea.id, text: won.change.text, version: won.seq } } } });

    const before = (await saved(facilitator, sessionId)).board;
    const refusals: Array<[BoardLiveClient, string, Record<string, unknown>, string]> = [
      [p0, 'phase.set', { phase: 'cluster' }, 'BOARD_FACILITATOR_ONLY'],
      [p0, 'cluster.create', { title: 'Mine' }, 'BOARD_FACILITATOR_ONLY'],
      [p0, 'idea.hide', { ideaId: other.id }, 'BOARD_FACILITATOR_ONLY'],
      [p0, 'votes.reveal', {}, 'BOARD_FACILITATOR_ONLY'],
      [p0, 'timer.start', { seconds: 60 }, 'BOARD_FACILITATOR_ONLY'],
      [p1, 'idea.edit', { ideaId: idea.id, text: 'Not my note', version: won.seq }, 'BOARD_NOT_AUTHOR'],
      [p0, 'idea.post', { text: 'x'.repeat(281) }, 'BOARD_INVALID_COMMAND'],
      [p0, 'idea.post', { text: 'ok', authorId: participants[1].user.id }, 'BOARD_INVALID_COMMAND'],
      [p0, 'idea.launch', {}, 'BOARD_INVALID_COMMAND'],
      [p0, 'dot.add', { ideaId: idea.id }, 'BOARD_WRONG_PHASE'],
      [fac, 'idea.move', { ideaId: '00000000-0000-4000-8000-000000000000', clusterId: null, version: 1 }, 'BOARD_IDEA_NOT_FOUND'],
      [fac, 'phase.set', { phase: 'vote' }, 'BOARD_WRONG_PHASE'],
      [fac, 'timer.pause', {}, 'BOARD_TIMER_STATE'],
    ];
    for (const [who, type, fields, code] of refusals) {
      await expect(who.act(type, fields)).resolves.toMatchObject({ ok: false, error: { code } });
    }
    // Malformed bodies, and a localized refusal.
    await expect(p0.live.request('board', 'idea')).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_INVALID_COMMAND', details: [{ field: 'body' }] } });
    await expect(p0.live.request('board', { sessionId: 'nope', type: 'idea.post', text: 'x' })).resolves.toMatchObject({ ok: false, error: { details: [{ field: 'sessionId', code: 'IS_UUID' }] } });
    const french = track(await LiveClient.connect(a.url!, participants[0].accessToken, { locale: 'fr' }));
    await expect(french.request('board', { sessionId, type: 'votes.reveal' })).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_FACILITATOR_ONLY', message: 'Seul un animateur de la séance peut faire cela' } });

    await fac.must('phase.set', { phase: 'cluster' });
    await fac.must('phase.set', { phase: 'vote' });
    await p0.must('dot.add', { ideaId: idea.id });
    await expect(p0.act('dot.add', { ideaId: idea.id })).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_IDEA_DOT_LIMIT' } });
    await p0.must('dot.add', { ideaId: other.id });
    await expect(p0.act('dot.add', { ideaId: other.id })).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_DOTS_EXHAUSTED' } });
    await expect(p1.act('dot.remove', { ideaId: idea.id })).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_NO_DOT_THERE' } });
    await expect(p1.act('dot.add', { ideaId: '00000000-0000-4000-8000-000000000000' })).resolves.toMatchObject({ ok: false, error: { code: 'BOARD_IDEA_NOT_FOUND' } });

    // Nothing but the accepted commands changed the board.
    const after = (await saved(facilitator, sessionId)).board;
    expect(after.seq).toBe(before.seq + 4);
    expect(after.ideas.map((i: { text: string }) => i.text)).toEqual(before.ideas.map((i: { text: string }) => i.text));
    expect(after.clusters).toEqual([]);
    expect(after.dotsCast).toBe(2);
  });

  it('cuts off a client that floods the board or keeps sending bad commands; others carry on', async () => {
    const { sessionId } = await freshSession(participants.slice(0, 2));
    const flooder = await join(a, participants[0], sessionId);
    const steady = await join(a, participants[1], sessionId);
    const acks = await Promise.all(Array.from({ length: 60 }, (_, i) => flooder.act('idea.post', { text: `spam ${i}` }).catch(() => null)));
    expect(acks.some((ack) => ack && !ack.ok && ack.error.code === 'RATE_LIMITED')).toBe(true);
    expect(await flooder.live.waitForDisconnect()).toBe('io server disconnect');

    const pest = track(await LiveClient.connect(a.url!, participants[0].accessToken));
    const codes: string[] = [];
    for (let i = 0; i < 40 && pest.socket.connected; i++) {
      const ack = await pest.request('board', { sessionId, type: 'votes.reveal' }).catch(() => null);
      if (ack && !ack.ok) codes.push(ack.error.code);
      await new Promise((resolve) => setTimeout(resolve, 60)); // under the message rate: only the refusals count
    }
    expect(await pest.waitForDisconnect()).toBe('io server disconnect');
    expect(codes.length).toBeGreaterThanOrEqual(30);
    expect(new Set(codes)).toEqual(new Set(['BOARD_FACILITATOR_ONLY']));

    await steady.must('idea.post', { text: 'Still here' });
    const board = (await saved(facilitator, sessionId)).board;
    expect(board.ideas.filter((i: { text: string }) => i.text.startsWith('spam')).length).toBeLessThanOrEqual(20);
    expect(board.ideas.some((i: { text: string }) => i.text === 'Still here')).toBe(true);
  });

  it("takes an erased participant off the board at once; their notes stay, with no trace of who wrote them", async () => {
    const leaving = await createSession(a.http, { displayName: 'Leaving Participant' });
    const { sessionId } = await freshSession([leaving, participants[0]]);
    const fac = await join(a, facilitator, sessionId);
    const them = await join(b, leaving, sessionId);
    const note = (await them.must('idea.post', { text: 'Keep the library open late' })).change.idea;
    them.live.socket.io.reconnection(false);

    await leaving.auth(a.http.delete('/api/v1/me')).send({ password: leaving.user.password }).expect(204);
    expect(await them.live.waitForDisconnect()).toBe('io server disconnect');
    await expect(LiveClient.connect(a.url!, leaving.accessToken)).rejects.toMatchObject({ data: { code: 'SESSION_REVOKED' } });

    await fac.waitForSeq(note.version);
    const board = (await saved(facilitator, sessionId)).board;
    expect(board.ideas.map((i: { id: string; text: string }) => [i.id, i.text])).toEqual([[note.id, 'Keep the library open late']]);
    expect(JSON.stringify(board)).not.toContain(leaving.user.id);
    expect(fac.view).toEqual(board);
  });
});

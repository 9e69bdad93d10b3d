import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createVenue, createWorkshop, localTime, registerFor, TestVenue, workshopBody } from '../factories/workshop.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

/** Who may do what on sessions and registrations, the registration rules, erasure, hostile input. */
describe('workshops: viewers, registration rules, erasure, hostile input', () => {
  let t: TestApp;
  let platform: Session;
  let a: TestMunicipality;
  let b: TestMunicipality;
  let staffOfA: Session;
  let staffOfB: Session;
  let facilitator: Session;
  let otherFacilitator: Session;
  let citizen: Session;
  let venue: TestVenue;

  beforeAll(async () => {
    t = await createTestApp();
    platform = await platformAdminSession(t.http);
    a = await createMunicipality(t.http, platform.accessToken);
    b = await createMunicipality(t.http, platform.accessToken);
    staffOfA = await memberSession(t.http, platform.accessToken, a.slug, ['staff']);
    staffOfB = await memberSession(t.http, platform.accessToken, b.slug, ['staff']);
    facilitator = await memberSession(t.http, platform.accessToken, a.slug, ['facilitator']);
    otherFacilitator = await memberSession(t.http, platform.accessToken, a.slug, ['facilitator']);
    citizen = await createSession(t.http);
    venue = await createVenue(t.http, staffOfA, a.slug);
  });
  afterAll(() => t.close());

  const session = async (opts: Record<string, unknown> = {}, body: Record<string, unknown> = {}) =>
    (await createWorkshop(t.http, facilitator, a.slug, workshopBody({ ...body, sessions: [{ startsAt: localTime(8, 10), endsAt: localTime(8, 11), venueId: venue.id, capacity: 1, ...opts }] }))).sessions[0].id;

  it('moving, cancelling and the roster: the workshop facilitators and staff only', async () => {
    const id = await session({ startsAt: localTime(11, 10), endsAt: localTime(11, 11) });
    const move = { startsAt: localTime(11, 12), endsAt: localTime(11, 13) };
    await t.http.patch(`/api/v1/sessions/${id}`).send(move).expect(401);
    for (const caller of [citizen, staffOfB, otherFacilitator]) {
      await caller.auth(t.http.patch(`/api/v1/sessions/${id}`)).send(move).expect(403);
      await caller.auth(t.http.post(`/api/v1/sessions/${id}/cancel`)).expect(403);
      await caller.auth(t.http.get(`/api/v1/sessions/${id}/registrations`)).expect(403);
    }
    await facilitator.auth(t.http.patch(`/api/v1/sessions/${id}`)).send(move).expect(200);
    await staffOfA.auth(t.http.get(`/api/v1/sessions/${id}/registrations`)).expect(200);
    await facilitator.auth(t.http.patch(`/api/v1/sessions/${id}`)).send({ capacity: 0 }).expect(400);
    const w = (await t.http.get(`/api/v1/sessions/${id}`).expect(200)).body.workshopId;
    await otherFacilitator.auth(t.http.patch(`/api/v1/municipalities/${a.slug}/workshops/${w}`)).send({ topic: 'x' }).expect(403);
    await staffOfB.auth(t.http.patch(`/api/v1/municipalities/${a.slug}/workshops/${w}`)).send({ topic: 'x' }).expect(403);
    await staffOfB.auth(t.http.patch(`/api/v1/municipalities/${b.slug}/workshops/${w}`)).send({ topic: 'x' }).expect(404);
    const patched = await facilitator.auth(t.http.patch(`/api/v1/municipalities/${a.slug}/workshops/${w}`)).send({ topic: 'climate', title: { fr: 'Climat', en: 'Climate' } }).expect(200);
    expect(patched.body).toMatchObject({ topic: 'climate', title: { fr: 'Climat' } });
    await staffOfA.auth(t.http.post(`/api/v1/sessions/${id}/cancel`)).expect(200);
    await facilitator.auth(t.http.patch(`/api/v1/sessions/${id}`)).send(move).expect(409);
  });

  it('a registration is cancelled until the cut-off only; the waitlist may be left later', async () => {
    const id = await session({ startsAt: localTime(9, 10), endsAt: localTime(9, 11) });
    const [holder, waiting] = await Promise.all([createSession(t.http), createSession(t.http)]);
    const held = await registerFor(t.http, holder, id);
    const queued = await registerFor(t.http, waiting, id);
    // The cut-off passes: the facilitator moves it into the past.
    await facilitator.auth(t.http.patch(`/api/v1/sessions/${id}`)).send({ registrationCutoff: localTime(-1, 10) }).expect(200);
    const closed = await holder.auth(t.http.post(`/api/v1/registrations/${held.id}/cancel`)).expect(409);
    expect(closed.body.code).toBe('WORKSHOP_CANCEL_CLOSED');
    await waiting.auth(t.http.post(`/api/v1/registrations/${queued.id}/cancel`)).expect(200);
    const late = await citizen.auth(t.http.post(`/api/v1/sessions/${id}/registrations`)).expect(409);
    expect(late.body.code).toBe('WORKSHOP_REGISTRATION_CLOSED');
  });

  it('counts no-shows and refuses registration past the workshop limit', async () => {
    const person = await createSession(t.http);
    const past = await session({ startsAt: localTime(4, 10), endsAt: localTime(4, 11) });
    await registerFor(t.http, person, past);
    // The session takes place (moved into the past): registered, never checked in.
    await facilitator.auth(t.http.patch(`/api/v1/sessions/${past}`)).send({ startsAt: localTime(-2, 10), endsAt: localTime(-2, 11), registrationCutoff: localTime(-3, 10) }).expect(200);
    const strict = await session({ startsAt: localTime(12, 10), endsAt: localTime(12, 11) }, { maxNoShows: 1 });
    const refused = await person.auth(t.http.post(`/api/v1/sessions/${strict}/registrations`)).expect(403);
    expect(refused.body).toMatchObject({ code: 'WORKSHOP_TOO_MANY_NO_SHOWS', meta: { noShows: 1, limit: 1 } });
    const lenient = await session({ startsAt: localTime(12, 14), endsAt: localTime(12, 15) });
    await registerFor(t.http, person, lenient);
    // A change that leaves maxNoShows out keeps the limit; null removes it.
    const strictWorkshop = (await t.http.get(`/api/v1/sessions/${strict}`).expect(200)).body.workshopId as string;
    const patch = (body: object) => facilitator.auth(t.http.patch(`/api/v1/municipalities/${a.slug}/workshops/${strictWorkshop}`)).send(body).expect(200);
    expect((await patch({ topic: 'still-strict' })).body.maxNoShows).toBe(1);
    // Zero would refuse everyone, first-timers included: refused, naming the field.
    const zero = await facilitator.auth(t.http.patch(`/api/v1/municipalities/${a.slug}/workshops/${strictWorkshop}`)).send({ maxNoShows: 0 }).expect(400);
    expect(zero.body.details).toEqual([expect.objectContaining({ field: 'maxNoShows' })]);
    await person.auth(t.http.post(`/api/v1/sessions/${strict}/registrations`)).expect(403);
    expect((await patch({ maxNoShows: null })).body.maxNoShows).toBeNull();
    await registerFor(t.http, person, strict);
  });

  it('an erased account: 401 afterwards, its seat offered to the next person, its export had the registration', async () => {
    const id = await session({ startsAt: localTime(13, 10), endsAt: localTime(13, 11) });
    const [leaving, next] = await Promise.all([createSession(t.http), createSession(t.http)]);
    const held = await registerFor(t.http, leaving, id);
    const queued = await registerFor(t.http, next, id);
    const exported = await leaving.auth(t.http.get('/api/v1/me/export')).expect(200);
    expect(exported.body.sections.workshops.registrations).toEqual([expect.objectContaining({ id: held.id, status: 'registered' })]);
    await leaving.auth(t.http.delete('/api/v1/me')).send({ password: leaving.user.password }).expect(204);
    await leaving.auth(t.http.post(`/api/v1/sessions/${id}/registrations`)).expect(401);
    await leaving.auth(t.http.get(`/api/v1/registrations/${held.id}`)).expect(401);
    expect((await next.auth(t.http.get(`/api/v1/registrations/${queued.id}`)).expect(200)).body.status).toBe('offered');
  });

  it('an anonymous caller reads the public parts only', async () => {
    const id = await session({ startsAt: localTime(14, 10), endsAt: localTime(14, 11) });
    await t.http.get(`/api/v1/sessions/${id}`).expect(200);
    await t.http.get(`/api/v1/municipalities/${a.slug}/venues`).expect(200);
    await t.http.post(`/api/v1/sessions/${id}/registrations`).expect(401);
    await t.http.get(`/api/v1/sessions/${id}/registrations`).expect(401);
    await t.http.post(`/api/v1/sessions/${id}/check-ins`).send({ code: 'ABCDEFGH' }).expect(401);
    await t.http.get('/api/v1/sessions/not-a-uuid').expect(404);
    await citizen.auth(t.http.post('/api/v1/sessions/not-a-uuid/registrations')).expect(404);
  });

  it('refuses hostile input with 400 naming the field, and never a 500', async () => {
    const url = `/api/v1/municipalities/${a.slug}/workshops`;
    const cases: Array<[Record<string, unknown>, string]> = [
      [workshopBody({ title: { fr: 'x'.repeat(201), en: 'x' } }), 'title.fr'],
      [workshopBody({ title: { fr: 'a\u0000b', en: 'x' } }), 'title.fr'],
      [workshopBody({ topic: 'Not A Slug' }), 'topic'],
      [workshopBody({ onlineUrl: 'javascript:alert(1)', format: 'online' }), 'onlineUrl'],
      [workshopBody({ sessions: [] }), 'sessions'],
      [workshopBody({ sessions: Array.from({ length: 21 }, () => ({ startsAt: localTime(30), endsAt: localTime(30, 19), capacity: 1 })) }), 'sessions'],
      [workshopBody({ sessions: [{ startsAt: localTime(30), endsAt: localTime(30, 19), capacity: 1, repeat: { frequency: 'hourly', count: 3 } }] }), 'sessions.0.repeat.frequency'],
      [workshopBody({ facilitatorIds: ['not-a-uuid'] }), 'facilitatorIds'],
      [workshopBody({ isAdmin: true }), 'isAdmin'],
    ];
    for (const [body, field] of cases) {
      const res = await staffOfA.auth(t.http.post(url)).send(body);
      expect(res.status).toBe(400);
      expect(res.body.details.map((d: { field: string }) => d.field).join(' ')).toContain(field);
    }
    const id = await session({ startsAt: localTime(15, 10), endsAt: localTime(15, 11) });
    const checkIn = `/api/v1/sessions/${id}/check-ins`;
    await facilitator.auth(t.http.post(checkIn)).send({ walkInName: 'x'.repeat(121) }).expect(400);
    await facilitator.auth(t.http.post(checkIn)).send({ walkInName: 'a\nb' }).expect(400);
    await facilitator.auth(t.http.post(checkIn)).send({ code: "' OR 1=1 --" }).expect(400);
    await facilitator.auth(t.http.post(checkIn)).set('Idempotency-Key', 'short').send({ walkInName: 'Sam' }).expect(400);
    // A time that does not exist in the town (skipped by the change to summer time) is refused, not shifted.
    const year = new Date().getUTCFullYear() + 1;
    const march = new Date(Date.UTC(year, 2, 31));
    const lastSunday = 31 - march.getUTCDay();
    const gap = await staffOfA.auth(t.http.post(url)).send(workshopBody({ sessions: [{ startsAt: `${year}-03-${lastSunday}T02:30`, endsAt: `${year}-03-${lastSunday}T04:00`, venueId: venue.id, capacity: 1 }] })).expect(422);
    expect(gap.body.details[0]).toMatchObject({ field: 'sessions.0.startsAt', code: 'LOCAL_TIME_INVALID' });
  });
});

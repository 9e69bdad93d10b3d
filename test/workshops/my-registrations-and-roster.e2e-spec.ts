import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { checkIn, createVenue, createWorkshop, localTime, registerFor, TestVenue, workshopBody } from '../factories/workshop.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

type Mine = {
  id: string;
  state: string;
  status: string;
  waitlistPosition: number | null;
  offerExpiresAt: string | null;
  sessionId: string;
  startsAt: string;
  localStartsAt: string;
  timezone: string;
  workshopId: string;
  workshopTitle: { fr: string; en: string };
};
type Page = { items: Mine[]; nextCursor: string | null };

/**
 * "My registrations" (`GET /me/workshop-registrations`): a person's own, on any device, upcoming or
 * past with their state, keyset paginated — and nobody else's. The door roster's names: for the
 * session's facilitators and the town's staff only.
 */
describe('workshops: my registrations, and the names on the door roster', () => {
  let t: TestApp;
  let town: TestMunicipality;
  let otherTown: TestMunicipality;
  let staff: Session;
  let staffOfOtherTown: Session;
  let facilitator: Session;
  let otherFacilitator: Session;
  let venue: TestVenue;

  beforeAll(async () => {
    t = await createTestApp();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { timezone: 'Europe/Paris' });
    otherTown = await createMunicipality(t.http, platform.accessToken);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    staffOfOtherTown = await memberSession(t.http, platform.accessToken, otherTown.slug, ['staff']);
    facilitator = await memberSession(t.http, platform.accessToken, town.slug, ['facilitator']);
    otherFacilitator = await memberSession(t.http, platform.accessToken, town.slug, ['facilitator']);
    venue = await createVenue(t.http, staff, town.slug);
  });
  afterAll(() => t.close());

  /** A one-session workshop run by `facilitator`, `days` from now at `hour`, with `capacity` seats. */
  const session = async (days: number, hour: number, capacity = 5, title = `Atelier J+${days}`) =>
    (
      await createWorkshop(
        t.http,
        facilitator,
        town.slug,
        workshopBody({ title: { fr: title, en: `Workshop D+${days}` }, sessions: [{ startsAt: localTime(days, hour), endsAt: localTime(days, hour + 1), venueId: venue.id, capacity }] }),
      )
    ).sessions[0].id;
  const mine = async (who: Session, query = '') => (await who.auth(t.http.get(`/api/v1/me/workshop-registrations${query}`)).expect(200)).body as Page;

  it('lists my own registrations with their state — registered, waitlisted with position, offered with expiry, cancelled, attended — and never anyone else’s', async () => {
    const [me, other, holder] = await Promise.all([createSession(t.http), createSession(t.http), createSession(t.http)]);
    await t.http.get('/api/v1/me/workshop-registrations').expect(401);
    expect(await mine(me)).toEqual({ items: [], nextCursor: null });

    const open = await session(3, 10);
    const registered = await registerFor(t.http, me, open);
    await registerFor(t.http, other, open);

    // A full session: the other person waits first, I wait second.
    const full = await session(4, 10, 1);
    await registerFor(t.http, holder, full);
    await registerFor(t.http, other, full);
    const waiting = await registerFor(t.http, me, full);

    // A seat freed: offered to me (the only one waiting) in the same transaction.
    const freed = await session(5, 10, 1);
    const held = await registerFor(t.http, holder, freed);
    const offered = await registerFor(t.http, me, freed);
    await holder.auth(t.http.post(`/api/v1/registrations/${held.id}/cancel`)).expect(200);

    const dropped = await session(6, 10);
    const cancelled = await registerFor(t.http, me, dropped);
    await me.auth(t.http.post(`/api/v1/registrations/${cancelled.id}/cancel`)).expect(200);

    // Attended: checked in at the door, then the session took place (moved into the past).
    const held2 = await session(7, 10);
    const attended = await registerFor(t.http, me, held2);
    await checkIn(t.http, facilitator, held2, attended.code);
    await facilitator.auth(t.http.patch(`/api/v1/sessions/${held2}`)).send({ startsAt: localTime(-2, 10), endsAt: localTime(-2, 11), registrationCutoff: localTime(-3, 10) }).expect(200);

    const upcoming = await mine(me);
    expect(upcoming.nextCursor).toBeNull();
    expect(upcoming.items.map((r) => [r.id, r.sessionId, r.state, r.waitlistPosition])).toEqual([
      [registered.id, open, 'registered', null],
      [waiting.id, full, 'waitlisted', 2],
      [offered.id, freed, 'offered', null],
      [cancelled.id, dropped, 'cancelled', null],
    ]);
    const offer = upcoming.items[2];
    expect(Date.parse(offer.offerExpiresAt!)).toBeGreaterThan(Date.now());
    expect(upcoming.items[0]).toMatchObject({ timezone: 'Europe/Paris', localStartsAt: localTime(3, 10), workshopTitle: { fr: 'Atelier J+3', en: 'Workshop D+3' } });
    expect(upcoming.items.every((r) => r.state === 'offered' || r.offerExpiresAt === null)).toBe(true);

    const past = await mine(me, '?when=past');
    expect(past).toEqual({ items: [expect.objectContaining({ id: attended.id, sessionId: held2, state: 'attended', status: 'registered' })], nextCursor: null });

    // The other person sees only theirs: their seat and their place in the queue.
    const theirs = await mine(other);
    expect(theirs.items.map((r) => [r.sessionId, r.state, r.waitlistPosition])).toEqual([
      [open, 'registered', null],
      [full, 'waitlisted', 1],
    ]);
    const myIds = new Set([...upcoming.items, ...past.items].map((r) => r.id));
    expect(theirs.items.some((r) => myIds.has(r.id))).toBe(false);
    expect((await mine(holder)).items.map((r) => [r.sessionId, r.state])).toEqual([
      [full, 'registered'],
      [freed, 'cancelled'],
    ]);
    // One workshop's only (what a workshop page asks for).
    const w = upcoming.items[1].workshopId;
    expect((await mine(me, `?workshopId=${w}`)).items.map((r) => r.id)).toEqual([waiting.id]);
    // Staff and facilitators of the town have no registrations of their own: an empty list, not others'.
    expect((await mine(staff)).items).toEqual([]);
    expect((await mine(facilitator)).items).toEqual([]);
  });

  it('pages by keyset, soonest first (past: latest first), and refuses bad input naming the field', async () => {
    const me = await createSession(t.http);
    const ids: string[] = [];
    for (const days of [10, 11, 12, 13, 14]) ids.push((await registerFor(t.http, me, await session(days, 9))).id);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const page: Page = await mine(me, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((r) => r.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(seen).toEqual(ids);
    expect(pages).toBe(3);

    // Past, latest first, across pages.
    const pastIds: string[] = [];
    for (const days of [-5, -4]) {
      const id = await session(20 + days, 9);
      pastIds.push((await registerFor(t.http, me, id)).id);
      await facilitator.auth(t.http.patch(`/api/v1/sessions/${id}`)).send({ startsAt: localTime(days, 9), endsAt: localTime(days, 10), registrationCutoff: localTime(days - 1, 9) }).expect(200);
    }
    const first = await mine(me, '?when=past&limit=1');
    const second = await mine(me, `?when=past&limit=1&cursor=${encodeURIComponent(first.nextCursor!)}`);
    expect([...first.items, ...second.items].map((r) => r.id)).toEqual([pastIds[1], pastIds[0]]);
    expect(second.nextCursor).toBeNull();

    for (const [query, field] of [
      ['?when=soon', 'when'],
      ['?limit=0', 'limit'],
      ['?limit=101', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
      ['?userId=someone', 'userId'],
      ['?workshopId=nope', 'workshopId'],
    ]) {
      const res = await me.auth(t.http.get(`/api/v1/me/workshop-registrations${query}`)).expect(400);
      expect({ query, fields: JSON.stringify(res.body) }).toEqual({ query, fields: expect.stringContaining(field) });
    }
  });

  it("the door roster names the expected people — to the session's facilitators and the town's staff only", async () => {
    const id = await session(9, 15);
    const [camille, dominique] = await Promise.all([createSession(t.http, { displayName: 'Camille Martin' }), createSession(t.http, { displayName: 'Dominique Petit' })]);
    const inside = await registerFor(t.http, camille, id);
    await registerFor(t.http, dominique, id);
    await checkIn(t.http, staff, id, inside.code);
    await staff.auth(t.http.post(`/api/v1/sessions/${id}/check-ins`)).send({ walkInName: 'Sam Passant' }).expect(201);

    for (const reader of [facilitator, staff]) {
      const roster = (await reader.auth(t.http.get(`/api/v1/sessions/${id}/registrations`)).expect(200)).body as Array<{ displayName: string | null; checkedInAt: string | null; userId: string | null }>;
      expect(roster.map((r) => [r.displayName, r.checkedInAt !== null])).toEqual([
        ['Camille Martin', true],
        ['Dominique Petit', false],
        ['Sam Passant', true],
      ]);
    }
    await t.http.get(`/api/v1/sessions/${id}/registrations`).expect(401);
    // A participant (even checked in), another facilitator of the town, another town's staff: refused.
    for (const reader of [camille, dominique, otherFacilitator, staffOfOtherTown]) {
      const res = await reader.auth(t.http.get(`/api/v1/sessions/${id}/registrations`)).expect(403);
      expect(JSON.stringify(res.body)).not.toContain('Martin');
    }
  });
});

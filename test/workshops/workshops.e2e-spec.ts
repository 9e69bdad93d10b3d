import { WorkshopAccessService } from '@app/workshops';
import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { checkIn, createVenue, createWorkshop, localTime, registerFor, TestVenue, workshopBody } from '../factories/workshop.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

describe('workshops: venues, workshops, sessions, registration and check-in', () => {
  let t: TestApp;
  let db: DataSource;
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
    db = t.app.get(DataSource);
    platform = await platformAdminSession(t.http);
    a = await createMunicipality(t.http, platform.accessToken, { timezone: 'Europe/Paris' });
    b = await createMunicipality(t.http, platform.accessToken);
    staffOfA = await memberSession(t.http, platform.accessToken, a.slug, ['staff']);
    staffOfB = await memberSession(t.http, platform.accessToken, b.slug, ['staff']);
    facilitator = await memberSession(t.http, platform.accessToken, a.slug, ['facilitator']);
    otherFacilitator = await memberSession(t.http, platform.accessToken, a.slug, ['facilitator']);
    citizen = await createSession(t.http);
    venue = await createVenue(t.http, staffOfA, a.slug, { location: { lng: a.center[0], lat: a.center[1] }, accessibility: 'Step-free entrance', rooms: [{ name: 'Salle A', capacity: 30 }, { name: 'Salle B', capacity: 10 }] });
  });
  afterAll(() => t.close());

  describe('venues', () => {
    it('staff add venues with rooms; anyone lists them; others are refused', async () => {
      const url = `/api/v1/municipalities/${a.slug}/venues`;
      const list = await t.http.get(url).expect(200);
      expect(list.body.find((v: { id: string }) => v.id === venue.id)).toMatchObject({ accessibility: 'Step-free entrance', rooms: [{ name: 'Salle A', capacity: 30 }, { name: 'Salle B', capacity: 10 }] });
      await t.http.post(url).send({ name: 'X' }).expect(401);
      for (const caller of [citizen, staffOfB, facilitator]) await caller.auth(t.http.post(url)).send({ name: 'X' }).expect(403);
      const outside = await staffOfA.auth(t.http.post(url)).send({ name: 'Far', location: { lng: a.center[0] + 1, lat: a.center[1] } }).expect(422);
      expect(outside.body.details[0]).toMatchObject({ field: 'location', code: 'OUTSIDE_MUNICIPALITY' });
      const room = await staffOfA.auth(t.http.post(`${url}/${venue.id}/rooms`)).send({ name: 'Salle C', capacity: 5 }).expect(201);
      expect(room.body.rooms.map((r: { name: string }) => r.name)).toEqual(['Salle A', 'Salle B', 'Salle C']);
      await staffOfA.auth(t.http.post(`${url}/${venue.id}/rooms`)).send({ name: 'Salle C', capacity: 5 }).expect(422);
      await staffOfB.auth(t.http.patch(`/api/v1/municipalities/${b.slug}/venues/${venue.id}`)).send({ name: 'x' }).expect(404);
    });

    it('staff take a location off a venue (null), with its district; leaving it out keeps it', async () => {
      const url = `/api/v1/municipalities/${a.slug}/venues`;
      const placed = (await staffOfA.auth(t.http.post(url)).send({ name: 'Placed', location: { lng: a.center[0], lat: a.center[1] } }).expect(201)).body;
      expect(placed.location).toEqual({ lng: a.center[0], lat: a.center[1] });
      const kept = await staffOfA.auth(t.http.patch(`${url}/${placed.id}`)).send({ name: 'Placed again' }).expect(200);
      expect(kept.body.location).toEqual(placed.location);
      const off = await staffOfA.auth(t.http.patch(`${url}/${placed.id}`)).send({ location: null }).expect(200);
      expect(off.body).toMatchObject({ name: 'Placed again', location: null, districtId: null });
      expect((await t.http.get(url).expect(200)).body.find((v: { id: string }) => v.id === placed.id).location).toBeNull();
    });
  });

  describe('workshops and sessions', () => {
    it("a facilitator creates a workshop; times are the town's wall-clock times; anyone reads it", async () => {
      const start = localTime(10, 18, 30);
      const w = await createWorkshop(t.http, facilitator, a.slug, workshopBody({ sessions: [{ startsAt: start, endsAt: localTime(10, 20, 30), venueId: venue.id, roomId: venue.rooms[0].id, capacity: 25 }] }));
      expect(w.facilitatorIds).toEqual([facilitator.user.id]);
      const read = await t.http.get(`/api/v1/workshops/${w.id}`).expect(200);
      expect(read.body.sessions[0]).toMatchObject({ localStartsAt: start, timezone: 'Europe/Paris', capacity: 25, seatsLeft: 25, status: 'scheduled' });
      const audit = await db.query(`SELECT action FROM audit_log WHERE target_id = $1`, [w.id]);
      expect(audit.map((r: { action: string }) => r.action)).toEqual(['workshop.created']);
    });

    it('a weekly series keeps its wall-clock time across the change to summer time', async () => {
      // The last Sunday of March: Paris moves from UTC+1 to UTC+2.
      const year = new Date().getUTCFullYear() + 1;
      const w = await createWorkshop(t.http, staffOfA, a.slug, workshopBody({ facilitatorIds: [], sessions: [{ startsAt: `${year}-03-18T18:00`, endsAt: `${year}-03-18T19:00`, venueId: venue.id, capacity: 10, repeat: { frequency: 'weekly', count: 3 } }] }));
      expect(w.sessions.map((s) => s.localStartsAt)).toEqual([`${year}-03-18T18:00`, `${year}-03-25T18:00`, `${year}-04-01T18:00`]);
      const offsets = w.sessions.map((s) => new Date(s.startsAt).getUTCHours());
      expect(new Set(offsets).size).toBe(2);
    });

    it('refuses anonymous (401), citizens and staff of another town (403), a non-facilitator named as facilitator (422), capacity over the room (422)', async () => {
      const url = `/api/v1/municipalities/${a.slug}/workshops`;
      await t.http.post(url).send(workshopBody()).expect(401);
      for (const caller of [citizen, staffOfB]) await caller.auth(t.http.post(url)).send(workshopBody()).expect(403);
      const notFacilitator = await staffOfA.auth(t.http.post(url)).send(workshopBody({ facilitatorIds: [citizen.user.id], sessions: [{ startsAt: localTime(3), endsAt: localTime(3, 19), venueId: venue.id, capacity: 5 }] })).expect(422);
      expect(notFacilitator.body).toMatchObject({ code: 'WORKSHOP_NOT_A_FACILITATOR', meta: { userIds: [citizen.user.id] } });
      const over = await staffOfA.auth(t.http.post(url)).send(workshopBody({ sessions: [{ startsAt: localTime(3), endsAt: localTime(3, 19), venueId: venue.id, roomId: venue.rooms[1].id, capacity: 11 }] })).expect(422);
      expect(over.body.details[0]).toMatchObject({ field: 'sessions.0.capacity', code: 'CAPACITY_OVER_ROOM' });
      const bad = await staffOfA.auth(t.http.post(url)).send(workshopBody({ sessions: [{ startsAt: '2030-13-01T10:00', endsAt: localTime(3, 19), capacity: 5 }] })).expect(400);
      expect(bad.body.details.map((d: { field: string }) => d.field).join()).toMatch(/sessions\.0\.startsAt/);
      const online = await staffOfA.auth(t.http.post(url)).send(workshopBody({ format: 'online' })).expect(422);
      expect(online.body.details[0]).toMatchObject({ field: 'onlineUrl', code: 'REQUIRED' });
    });

    it('refuses a room booked twice at overlapping times, naming the clash, even for two concurrent bookings', async () => {
      const slot = { startsAt: localTime(20, 9), endsAt: localTime(20, 11), venueId: venue.id, roomId: venue.rooms[1].id, capacity: 5 };
      const overlapping = { ...slot, startsAt: localTime(20, 10), endsAt: localTime(20, 12) };
      const url = `/api/v1/municipalities/${a.slug}/workshops`;
      const [one, two] = await Promise.all([
        staffOfA.auth(t.http.post(url)).send(workshopBody({ sessions: [slot] })),
        staffOfA.auth(t.http.post(url)).send(workshopBody({ sessions: [overlapping] })),
      ]);
      expect([one.status, two.status].sort()).toEqual([201, 409]);
      const [won, lost] = one.status === 201 ? [one, two] : [two, one];
      expect(lost.body).toMatchObject({ code: 'WORKSHOP_ROOM_TAKEN', meta: { clash: 'room', sessionId: won.body.sessions[0].id, workshopId: won.body.id, roomId: slot.roomId } });
      // Back to back is no clash: [start, end) ranges.
      await staffOfA.auth(t.http.post(url)).send(workshopBody({ sessions: [{ ...slot, startsAt: localTime(20, 11), endsAt: localTime(20, 12) }] })).expect(201);
    });

    it('refuses a facilitator booked twice at overlapping times, even concurrently and in two rooms', async () => {
      const url = `/api/v1/municipalities/${a.slug}/workshops`;
      const body = (room: number) => workshopBody({ facilitatorIds: [otherFacilitator.user.id], sessions: [{ startsAt: localTime(21, 14), endsAt: localTime(21, 16), venueId: venue.id, roomId: venue.rooms[room].id, capacity: 5 }] });
      const [one, two] = await Promise.all([staffOfA.auth(t.http.post(url)).send(body(0)), staffOfA.auth(t.http.post(url)).send(body(1))]);
      expect([one.status, two.status].sort()).toEqual([201, 409]);
      const lost = one.status === 409 ? one : two;
      expect(lost.body).toMatchObject({ code: 'WORKSHOP_FACILITATOR_TAKEN', meta: { clash: 'facilitator', userId: otherFacilitator.user.id } });
      expect(lost.body.meta.sessionId).toBe((one.status === 201 ? one : two).body.sessions[0].id);
    });
  });

  describe('registration and check-in', () => {
    it('registers, hands out a door code, checks in by code once, and answers the access questions', async () => {
      const w = await createWorkshop(t.http, facilitator, a.slug, workshopBody({ sessions: [{ startsAt: localTime(5, 9), endsAt: localTime(5, 10), venueId: venue.id, capacity: 2 }] }));
      const sessionId = w.sessions[0].id;
      const me = await createSession(t.http);
      const reg = await registerFor(t.http, me, sessionId);
      expect(reg).toMatchObject({ status: 'registered', code: expect.stringMatching(/^[A-Z0-9]{8}$/) });
      await me.auth(t.http.post(`/api/v1/sessions/${sessionId}/registrations`)).expect(409);
      await t.http.post(`/api/v1/sessions/${sessionId}/registrations`).expect(401);

      const access = t.app.get(WorkshopAccessService);
      expect(await access.isFacilitator(sessionId, facilitator.user.id)).toBe(true);
      expect(await access.isFacilitator(sessionId, otherFacilitator.user.id)).toBe(false);
      expect(await access.isCheckedIn(sessionId, me.user.id)).toBe(false);
      expect(await access.sessionMunicipality(sessionId)).toBe(a.id);
      expect(await access.sessionMunicipality('not-a-uuid')).toBeNull();

      const url = `/api/v1/sessions/${sessionId}/check-ins`;
      for (const caller of [me, citizen, staffOfB, otherFacilitator]) await caller.auth(t.http.post(url)).send({ code: reg.code }).expect(403);
      const first = await checkIn(t.http, facilitator, sessionId, reg.code.toLowerCase());
      expect(first).toMatchObject({ id: reg.id, counted: true, checkedInAt: expect.any(String) });
      const again = await checkIn(t.http, staffOfA, sessionId, reg.code);
      expect(again.counted).toBe(false);
      expect(await access.isCheckedIn(sessionId, me.user.id)).toBe(true);
      await facilitator.auth(t.http.post(url)).send({ code: 'ZZZZZZZZ' }).expect(404);
      await facilitator.auth(t.http.post(url)).send({}).expect(400);
      await facilitator.auth(t.http.post(url)).send({ code: reg.code, walkInName: 'Both' }).expect(400);
    });

    it('a walk-in sent twice with one Idempotency-Key (an offline replay) is counted once', async () => {
      const w = await createWorkshop(t.http, facilitator, a.slug, workshopBody({ sessions: [{ startsAt: localTime(6, 9), endsAt: localTime(6, 10), venueId: venue.id, capacity: 2 }] }));
      const sessionId = w.sessions[0].id;
      const url = `/api/v1/sessions/${sessionId}/check-ins`;
      const send = () => facilitator.auth(t.http.post(url)).set('Idempotency-Key', 'offline-walkin-0001').send({ walkInName: 'Camille Martin' });
      const first = await send().expect(201);
      const replay = await send().expect(201);
      expect(replay.headers['idempotent-replayed']).toBe('true');
      expect(replay.body).toMatchObject({ id: first.body.id, counted: false });
      const [row] = await db.query(`SELECT count(*)::int AS n FROM workshop_registrations WHERE session_id = $1 AND checked_in_at IS NOT NULL`, [sessionId]);
      expect(row.n).toBe(1);
      await facilitator.auth(t.http.post(url)).set('Idempotency-Key', 'offline-walkin-0001').send({ walkInName: 'Someone else' }).expect(422);
    });
  });
});

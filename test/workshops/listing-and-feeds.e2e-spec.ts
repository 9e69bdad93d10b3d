import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ical from 'node-ical';
import { plainPhoto } from '../fixtures/images';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createVenue, createWorkshop, localTime, registerFor, TestVenue, TestWorkshop, workshopBody } from '../factories/workshop.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

type VEvent = ical.VEvent;
const events = (text: string): VEvent[] => Object.values(ical.sync.parseICS(text)).filter((c): c is VEvent => c?.type === 'VEVENT');
const raw = (res: { body: unknown; text?: string }) => (typeof res.text === 'string' && res.text.length ? res.text : String(res.body));

describe('workshops: public listing, calendar feeds, door QR codes, engagement', () => {
  let t: TestApp;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: Session;
  let citizen: Session;
  let near: TestVenue;
  let far: TestVenue;
  let mobility: TestWorkshop;
  let online: TestWorkshop;
  let districtId: string;
  let storageDir: string;

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'workshop-photos-'));
    t = await createTestApp({ env: { STORAGE_DIR: storageDir } });
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { timezone: 'Europe/Paris', halfSize: 0.02 });
    other = await createMunicipality(t.http, platform.accessToken);
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    citizen = await createSession(t.http, { locale: 'en' });
    const [lng, lat] = town.center;
    const district = await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/districts`)).send({
      code: 'nord', nameFr: 'Nord', nameEn: 'North',
      boundary: { type: 'Polygon', coordinates: [[[lng - 0.01, lat], [lng + 0.01, lat], [lng + 0.01, lat + 0.01], [lng - 0.01, lat + 0.01], [lng - 0.01, lat]]] },
    }).expect(201);
    districtId = district.body.id;
    near = await createVenue(t.http, staff, town.slug, { name: 'Tiers-lieu Nord', isThirdPlace: true, location: { lng, lat: lat + 0.005 }, rooms: [{ name: 'Atelier', capacity: 12 }] });
    far = await createVenue(t.http, staff, town.slug, { name: 'Médiathèque Sud', location: { lng, lat: lat - 0.005 }, rooms: [{ name: 'Salle', capacity: 30 }] });
    mobility = await createWorkshop(t.http, staff, town.slug, workshopBody({ sessions: [{ startsAt: localTime(2, 18), endsAt: localTime(2, 20), venueId: near.id, roomId: near.rooms[0].id, capacity: 2, repeat: { frequency: 'weekly', count: 3 } }] }));
    online = await createWorkshop(t.http, staff, town.slug, workshopBody({ topic: 'budget', format: 'hybrid', onlineUrl: 'https://visio.example.org/budget', sessions: [{ startsAt: localTime(3, 9), endsAt: localTime(3, 11), venueId: far.id, capacity: 30 }] }));
  });
  afterAll(async () => {
    await t.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  describe('GET /api/v1/municipalities/:slug/workshops', () => {
    const list = (q: Record<string, unknown> = {}) => t.http.get(`/api/v1/municipalities/${town.slug}/workshops`).query(q);

    it('lists upcoming sessions soonest first, and filters by topic, venue, district, format, dates and seats left', async () => {
      const all = await list().expect(200);
      expect(all.body.items.map((s: { id: string }) => s.id)).toEqual([mobility.sessions[0].id, online.sessions[0].id, mobility.sessions[1].id, mobility.sessions[2].id]);
      expect(all.body.items[0]).toMatchObject({ title: { en: 'Mobility workshop' }, topic: 'mobility', format: 'in_person', venueName: 'Tiers-lieu Nord', districtId, seatsLeft: 2 });
      const ids = async (q: Record<string, unknown>) => (await list(q).expect(200)).body.items.map((s: { id: string }) => s.id);
      expect(await ids({ topic: 'budget' })).toEqual([online.sessions[0].id]);
      expect(await ids({ format: 'hybrid' })).toEqual([online.sessions[0].id]);
      expect(await ids({ venueId: far.id })).toEqual([online.sessions[0].id]);
      expect(await ids({ districtId })).toEqual(mobility.sessions.map((s) => s.id));
      expect(await ids({ from: mobility.sessions[1].startsAt, to: mobility.sessions[2].startsAt })).toEqual([mobility.sessions[1].id]);
      expect(await ids({ seatsLeft: 3 })).toEqual([online.sessions[0].id]);
      const racer = await createSession(t.http);
      await registerFor(t.http, racer, mobility.sessions[0].id);
      await registerFor(t.http, citizen, mobility.sessions[0].id);
      expect(await ids({ topic: 'mobility', seatsLeft: 1 })).toEqual([mobility.sessions[1].id, mobility.sessions[2].id]);
      expect(await ids({ topic: 'nothing-here' })).toEqual([]);
      // Another town's listing does not show ours.
      expect((await t.http.get(`/api/v1/municipalities/${other.slug}/workshops`).expect(200)).body.items).toEqual([]);
    });

    it('pages by keyset without gaps or repeats', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const page: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await list({ limit: 1, ...(cursor ? { cursor } : {}) }).expect(200);
        seen.push(...page.body.items.map((s) => s.id));
        cursor = page.body.nextCursor;
      } while (cursor);
      expect(seen).toHaveLength(4);
      expect(new Set(seen).size).toBe(4);
    });

    it('refuses bad filters with 400 naming the field', async () => {
      for (const [q, field] of [[{ from: 'yesterday' }, 'from'], [{ seatsLeft: 0 }, 'seatsLeft'], [{ format: 'tv' }, 'format'], [{ cursor: 'x'.repeat(600) }, 'cursor'], [{ cursor: 'bm9wZQ' }, 'cursor'], [{ venueId: 'nope' }, 'venueId']] as const) {
        const res = await list(q).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
      await t.http.get('/api/v1/municipalities/no-such-town/workshops').expect(404);
    });
  });

  describe('iCalendar feeds', () => {
    it("a workshop's feed parses back with node-ical: stable UIDs, the town's VTIMEZONE, SEQUENCE growing on a move", async () => {
      const first = await t.http.get(`/api/v1/workshops/${mobility.id}/calendar?lang=en`).expect(200);
      expect(first.headers['content-type']).toMatch(/^text\/calendar/);
      const text = raw(first);
      expect(text).toContain('BEGIN:VTIMEZONE');
      expect(text).toContain('TZID:Europe/Paris');
      const parsed = events(text);
      expect(parsed.map((e) => e.uid)).toEqual(mobility.sessions.map((s) => `workshop-session-${s.id}@civic-platform`));
      expect(parsed[0]).toMatchObject({ summary: 'Mobility workshop', sequence: 0 });
      expect(parsed[0].start.toISOString()).toBe(mobility.sessions[0].startsAt);
      expect(parsed[0].start.tz).toBe('Europe/Paris');
      expect(parsed[0].location).toContain('Tiers-lieu Nord');

      await staff.auth(t.http.patch(`/api/v1/sessions/${mobility.sessions[2].id}`)).send({ startsAt: localTime(16, 19), endsAt: localTime(16, 21) }).expect(200);
      await staff.auth(t.http.post(`/api/v1/sessions/${mobility.sessions[1].id}/cancel`)).expect(200);
      const again = events(raw(await t.http.get(`/api/v1/workshops/${mobility.id}/calendar`).expect(200)));
      expect(again.map((e) => e.uid)).toEqual(parsed.map((e) => e.uid));
      expect(again.map((e) => Number(e.sequence))).toEqual([0, 1, 1]);
      expect(again[1].status).toBe('CANCELLED');
      expect(again[2].start.toISOString()).not.toBe(parsed[2].start.toISOString());
      expect(again[0].summary).toBe('Atelier mobilité');
    });

    it("a venue's feed holds the sessions there; unknown ids and other towns' slugs are 404", async () => {
      const feed = events(raw(await t.http.get(`/api/v1/municipalities/${town.slug}/venues/${far.id}/calendar?lang=fr`).expect(200)));
      expect(feed.map((e) => e.uid)).toEqual([`workshop-session-${online.sessions[0].id}@civic-platform`]);
      expect(feed[0].description).toContain('https://visio.example.org/budget');
      await t.http.get(`/api/v1/municipalities/${other.slug}/venues/${far.id}/calendar`).expect(404);
      await t.http.get(`/api/v1/workshops/00000000-0000-4000-8000-000000000000/calendar`).expect(404);
    });

    it('a private feed of my places behind a secret URL, revocable; a new secret replaces the old', async () => {
      await t.http.post('/api/v1/me/workshop-calendar').expect(401);
      const issued = await citizen.auth(t.http.post('/api/v1/me/workshop-calendar')).expect(201);
      const mine = events(raw(await t.http.get(issued.body.path).expect(200)));
      expect(mine.map((e) => e.uid)).toEqual([`workshop-session-${mobility.sessions[0].id}@civic-platform`]);
      const rotated = await citizen.auth(t.http.post('/api/v1/me/workshop-calendar')).expect(201);
      await t.http.get(issued.body.path).expect(404);
      await t.http.get(rotated.body.path).expect(200);
      await citizen.auth(t.http.delete('/api/v1/me/workshop-calendar')).expect(204);
      const gone = await t.http.get(rotated.body.path).expect(404);
      expect(gone.body.code).toBe('WORKSHOP_FEED_TOKEN_INVALID');
      await t.http.get('/api/v1/workshop-calendars/guess').expect(404);
    });
  });

  describe('door codes and engagement', () => {
    it('the holder gets their code as a QR code in SVG and PNG; nobody else does', async () => {
      const me = await createSession(t.http);
      const reg = await registerFor(t.http, me, online.sessions[0].id);
      const svg = await me.auth(t.http.get(`/api/v1/registrations/${reg.id}/qr.svg`)).expect(200);
      expect(svg.headers['content-type']).toMatch(/^image\/svg\+xml/);
      expect(raw(svg)).toMatch(/^<svg[\s\S]*<\/svg>\s*$/);
      const png = await me.auth(t.http.get(`/api/v1/registrations/${reg.id}/qr.png`)).buffer(true).expect(200);
      expect(png.headers['content-type']).toBe('image/png');
      expect((png.body as Buffer).subarray(1, 4).toString('latin1')).toBe('PNG');
      await t.http.get(`/api/v1/registrations/${reg.id}/qr.png`).expect(401);
      await citizen.auth(t.http.get(`/api/v1/registrations/${reg.id}/qr.svg`)).expect(404);
      await staff.auth(t.http.get(`/api/v1/registrations/${reg.id}/qr.svg`)).expect(404);
    });

    it('staff add photos to a workshop (media); a citizen may not', async () => {
      const bytes = await plainPhoto('jpeg');
      const added = await staff.auth(t.http.post(`/api/v1/workshops/${online.id}/photos`)).attach('photo', bytes, { filename: 'room.jpg', contentType: 'image/jpeg' }).expect(201);
      // A workshop is public: anyone sees its photos.
      await t.http.get(`/api/v1/photos/${added.body.id}`).expect(200);
      await citizen.auth(t.http.post(`/api/v1/workshops/${online.id}/photos`)).attach('photo', bytes, { filename: 'x.jpg', contentType: 'image/jpeg' }).expect(403);
    });

    it('registering for a series takes a place at every open session, once', async () => {
      const series = await createWorkshop(t.http, staff, town.slug, workshopBody({ topic: 'series', sessions: [{ startsAt: localTime(20, 18), endsAt: localTime(20, 19), venueId: far.id, capacity: 1, repeat: { frequency: 'daily', count: 3 } }] }));
      const [one, two] = [await createSession(t.http), await createSession(t.http)];
      const first = await one.auth(t.http.post(`/api/v1/workshops/${series.id}/registrations`)).expect(201);
      expect(first.body.map((r: { sessionId: string; status: string }) => [r.sessionId, r.status])).toEqual(series.sessions.map((s) => [s.id, 'registered']));
      const again = await one.auth(t.http.post(`/api/v1/workshops/${series.id}/registrations`)).expect(201);
      expect(again.body.map((r: { id: string }) => r.id)).toEqual(first.body.map((r: { id: string }) => r.id));
      const second = await two.auth(t.http.post(`/api/v1/workshops/${series.id}/registrations`)).expect(201);
      expect(second.body.map((r: { status: string; waitlistPosition: number }) => [r.status, r.waitlistPosition])).toEqual([['waitlisted', 1], ['waitlisted', 1], ['waitlisted', 1]]);
      await t.http.post(`/api/v1/workshops/${series.id}/registrations`).expect(401);
    });

    it('workshops take comments and follows (engagement) like any subject', async () => {
      const comment = await citizen.auth(t.http.post(`/api/v1/workshops/${online.id}/comments`)).send({ body: 'Will there be childcare?' }).expect(201);
      const comments = await t.http.get(`/api/v1/workshops/${online.id}/comments`).expect(200);
      expect(comments.body.items.map((c: { id: string }) => c.id)).toContain(comment.body.id);
      await citizen.auth(t.http.put(`/api/v1/workshops/${online.id}/follow`)).expect((res) => expect([200, 201, 204]).toContain(res.status));
      await citizen.auth(t.http.post(`/api/v1/workshops/00000000-0000-4000-8000-000000000000/comments`)).send({ body: 'x' }).expect(404);
    });
  });
});

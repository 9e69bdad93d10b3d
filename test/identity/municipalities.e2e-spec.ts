import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, randomCenter, squareAround, squareRing, TestMunicipality, uniqueSlug } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

const HUGE = 'x'.repeat(300_000);

function fieldsOf(res: Response): string[] {
  return (res.body.details as Array<{ field: string }>).map((d) => d.field);
}

// Signing up hashes passwords with argon2id: set-up hooks take a few seconds.
jest.setTimeout(60_000);

describe('municipalities', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let citizen: Session;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    citizen = await createSession(t.http);
  });
  afterAll(() => t.close());

  const valid = () => ({ slug: uniqueSlug('m'), name: 'Villeneuve-d’Ascq', timezone: 'Europe/Paris', locale: 'fr' });

  describe('POST /api/v1/municipalities', () => {
    it('lets the platform admin create one, with its boundary and an indexed bounding box', async () => {
      const body = { ...valid(), countryCode: 'be', boundary: squareAround([3.25, 50.5], 0.125) };
      const res = await admin.auth(t.http.post('/api/v1/municipalities')).send(body).expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        slug: body.slug,
        name: body.name,
        timezone: 'Europe/Paris',
        locale: 'fr',
        countryCode: 'BE',
        boundary: body.boundary,
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const [row] = await db.query(`SELECT bbox::text AS bbox FROM municipalities WHERE id = $1`, [res.body.id]);
      expect(row.bbox).toBe('(3.375,50.625),(3.125,50.375)');
      const events = await db.query(`SELECT type, payload FROM outbox_events WHERE aggregate_id = $1`, [res.body.id]);
      expect(events).toEqual([{ type: 'identity.municipality_created', payload: { municipalityId: res.body.id, slug: body.slug } }]);
    });

    it('defaults the country to FR and accepts no boundary', async () => {
      const res = await admin.auth(t.http.post('/api/v1/municipalities')).send(valid()).expect(201);
      expect(res.body).toMatchObject({ countryCode: 'FR', boundary: null });
    });

    it.each(['UTC', 'Etc/UTC', 'America/Argentina/Buenos_Aires', 'Pacific/Chatham'])('accepts the IANA zone %s', async (timezone) => {
      await admin.auth(t.http.post('/api/v1/municipalities')).send({ ...valid(), timezone }).expect(201);
    });

    it('refuses a slug already taken with 409 MUNICIPALITY_SLUG_TAKEN', async () => {
      const body = valid();
      await admin.auth(t.http.post('/api/v1/municipalities')).send(body).expect(201);
      const res = await admin.auth(t.http.post('/api/v1/municipalities')).send({ ...body, name: 'Other' }).expect(409);
      expect(res.body.code).toBe('MUNICIPALITY_SLUG_TAKEN');
    });

    it('is for the platform admin only: 403 for a citizen, 403 for a municipality admin, 401 anonymous', async () => {
      const res = await citizen.auth(t.http.post('/api/v1/municipalities')).send(valid()).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      const town = await createMunicipality(t.http, admin.accessToken);
      const townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
      await townAdmin.auth(t.http.post('/api/v1/municipalities')).send(valid()).expect(403);
      await t.http.post('/api/v1/municipalities').send(valid()).expect(401);
    });

    const square = squareRing([2, 48], 0.01);
    it.each<[string, Record<string, unknown>, string]>([
      ['an uppercase slug', { slug: 'Lille' }, 'slug'],
      ['a one-letter slug', { slug: 'l' }, 'slug'],
      ['a 64-character slug', { slug: 'a'.repeat(64) }, 'slug'],
      ['a slug with a double dash', { slug: 'la--madeleine' }, 'slug'],
      ['a slug with a trailing dash', { slug: 'lille-' }, 'slug'],
      ['a slug with an accent', { slug: 'hem-é' }, 'slug'],
      ['the reserved slug "locate"', { slug: 'locate' }, 'slug'],
      ['a numeric slug', { slug: 42 }, 'slug'],
      ['an empty name', { name: '   ' }, 'name'],
      ['a 201-character name', { name: 'n'.repeat(201) }, 'name'],
      ['a huge name', { name: HUGE }, 'name'],
      ['a name with control characters', { name: 'Lille\u0000' }, 'name'],
      ['an unknown time zone', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
      ['a time zone in the wrong case', { timezone: 'europe/paris' }, 'timezone'],
      ['an offset for a time zone', { timezone: '+01:00' }, 'timezone'],
      ['a numeric time zone', { timezone: 1 }, 'timezone'],
      ['an unsupported locale', { locale: 'de' }, 'locale'],
      ['an unknown country code', { countryCode: 'ZZ' }, 'countryCode'],
      ['a three-letter country code', { countryCode: 'FRA' }, 'countryCode'],
      ['a Point boundary', { boundary: { type: 'Point', coordinates: [2, 48] } }, 'boundary'],
      ['an open ring', { boundary: { type: 'Polygon', coordinates: [square.slice(0, 4)] } }, 'boundary'],
      ['a ring of three positions', { boundary: { type: 'Polygon', coordinates: [[[2, 48], [2.1, 48], [2, 48]]] } }, 'boundary'],
      ['a latitude out of range', { boundary: { type: 'Polygon', coordinates: [[[2, 95], [2.1, 95], [2.1, 96], [2, 95]]] } }, 'boundary'],
      ['string coordinates', { boundary: { type: 'Polygon', coordinates: [[['2', '48'], [2.1, 48], [2.1, 48.1], ['2', '48']]] } }, 'boundary'],
      ['an empty MultiPolygon', { boundary: { type: 'MultiPolygon', coordinates: [] } }, 'boundary'],
      ['extra GeoJSON members', { boundary: { type: 'Polygon', coordinates: [square], crs: 'EPSG:4326' } }, 'boundary'],
      ['a Feature instead of a geometry', { boundary: { type: 'Feature', geometry: { type: 'Polygon', coordinates: [square] } } }, 'boundary'],
      ['a string boundary', { boundary: 'POLYGON((2 48, 2.1 48, 2.1 48.1, 2 48))' }, 'boundary'],
      ['too many vertices', { boundary: { type: 'Polygon', coordinates: [[...Array.from({ length: 50_001 }, (_, i) => [2 + i / 1e6, 48]), [2, 48]]] } }, 'boundary'],
      ['an unknown field', { population: 232_000 }, 'population'],
    ])('answers 400 naming the field for %s', async (_why, change, field) => {
      const res = await admin.auth(t.http.post('/api/v1/municipalities')).send({ ...valid(), ...change }).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      expect(fieldsOf(res)).toContain(field);
    });

    it('answers 400 listing every required field for a missing body', async () => {
      const res = await admin.auth(t.http.post('/api/v1/municipalities')).expect(400);
      expect(fieldsOf(res)).toEqual(expect.arrayContaining(['slug', 'name', 'timezone', 'locale']));
    });

    it('answers 400 for a body that is not a JSON object or not JSON', async () => {
      await admin.auth(t.http.post('/api/v1/municipalities')).send([valid()]).expect(400);
      const res = await admin.auth(t.http.post('/api/v1/municipalities')).set('Content-Type', 'application/json').send('{"slug":').expect(400);
      expect(res.body.statusCode).toBe(400);
    });
  });

  describe('GET /api/v1/municipalities/:slug', () => {
    it('is public and includes the boundary', async () => {
      const town = await createMunicipality(t.http, admin.accessToken, { name: 'Roubaix' });
      const res = await t.http.get(`/api/v1/municipalities/${town.slug}`).expect(200);
      expect(res.body).toMatchObject({ id: town.id, slug: town.slug, name: 'Roubaix', boundary: town.boundary });
    });

    it.each(['no-such-town', 'UPPER', 'a'.repeat(5000), '%F0%9F%98%80'])('answers 404 MUNICIPALITY_NOT_FOUND for %s', async (slug) => {
      const res = await t.http.get(`/api/v1/municipalities/${slug}`).expect(404);
      expect(res.body.code).toBe('MUNICIPALITY_NOT_FOUND');
    });
  });

  describe('GET /api/v1/municipalities', () => {
    it('is public, ordered by slug and keyset-paginated, with bounding boxes instead of boundaries', async () => {
      const prefix = uniqueSlug('list');
      const created: TestMunicipality[] = [];
      for (const suffix of ['c', 'a', 'b']) created.push(await createMunicipality(t.http, admin.accessToken, { slug: `${prefix}-${suffix}`, center: [10, 20], halfSize: 0.5 }));
      await createMunicipality(t.http, admin.accessToken, { slug: `${prefix}-d`, boundary: null });

      const seen: Array<{ slug: string; hasBoundary: boolean; bbox: number[] | null }> = [];
      let cursor: string | null = null;
      for (let pages = 0; pages < 1000; pages++) {
        const res: Response = await t.http.get('/api/v1/municipalities').query({ limit: 7, ...(cursor ? { cursor } : {}) }).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(7);
        for (const item of res.body.items) expect(item).not.toHaveProperty('boundary');
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
        if (!cursor) break;
      }
      const slugs = seen.map((m) => m.slug);
      expect(new Set(slugs).size).toBe(slugs.length);
      expect([...slugs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))).toEqual(slugs);
      const mine = seen.filter((m) => m.slug.startsWith(prefix));
      expect(mine.map((m) => m.slug)).toEqual(['a', 'b', 'c', 'd'].map((s) => `${prefix}-${s}`));
      expect(mine[0]).toMatchObject({ hasBoundary: true, bbox: [9.5, 19.5, 10.5, 20.5], timezone: 'Europe/Paris', countryCode: 'FR' });
      expect(mine[3]).toMatchObject({ hasBoundary: false, bbox: null });
    });

    it('finds towns by part of their name, accents and case aside, across pages, with % and _ taken literally', async () => {
      const tag = uniqueSlug('zq').replace(/-/g, '');
      const names = [`Évry-${tag}`, `Saint-Étienne-${tag}`, `Evreux ${tag}`, `Ivry 100%_${tag}`, `Ivry 100ab${tag}`];
      for (const name of names) await createMunicipality(t.http, admin.accessToken, { name });
      const search = async (q: string, limit = 100) => {
        const found: string[] = [];
        let cursor: string | null = null;
        do {
          const res: Response = await t.http.get('/api/v1/municipalities').query({ q, limit, ...(cursor ? { cursor } : {}) }).expect(200);
          found.push(...res.body.items.map((m: { name: string }) => m.name));
          cursor = res.body.nextCursor;
        } while (cursor);
        return found.filter((name) => name.includes(tag)).sort();
      };
      expect(await search(`EVR`)).toEqual([`Evreux ${tag}`, `Évry-${tag}`].sort());
      expect(await search(`étienne-${tag.toUpperCase()}`)).toEqual([`Saint-Étienne-${tag}`]);
      expect(await search(tag, 2)).toEqual([...names].sort());
      // A wildcard in the search is a character like any other.
      expect(await search(`100%_${tag}`)).toEqual([`Ivry 100%_${tag}`]);
      expect(await search(`100__${tag}`)).toEqual([]);
    });

    it('searches names through the trigram index', async () => {
      const runner = db.createQueryRunner();
      try {
        await runner.query('SET enable_seqscan = off');
        const plan = (await runner.query(`EXPLAIN SELECT id FROM municipalities WHERE civic_fold(name) LIKE '%' || civic_fold('evry') || '%'`)) as Array<{ 'QUERY PLAN': string }>;
        expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/municipalities_name_fold_idx/);
      } finally {
        await runner.query('RESET enable_seqscan');
        await runner.release();
      }
    });

    it.each<[string, Record<string, string>, string]>([
      ['limit 0', { limit: '0' }, 'limit'],
      ['limit 101', { limit: '101' }, 'limit'],
      ['a non-numeric limit', { limit: 'ten' }, 'limit'],
      ['a tampered cursor', { cursor: 'not-a-cursor' }, 'cursor'],
      ['a cursor of the wrong shape', { cursor: Buffer.from(JSON.stringify({ id: 3 })).toString('base64url') }, 'cursor'],
      ['a huge cursor', { cursor: 'c'.repeat(600) }, 'cursor'],
      ['an unknown parameter', { sort: 'name' }, 'sort'],
      ['an empty search', { q: '  ' }, 'q'],
      ['a search of 101 characters', { q: 'e'.repeat(101) }, 'q'],
      ['a search with a control character', { q: 'evry\u0000' }, 'q'],
    ])('answers 400 naming the parameter for %s', async (_why, query, field) => {
      const res = await t.http.get('/api/v1/municipalities').query(query).expect(400);
      expect(fieldsOf(res)).toContain(field);
    });
  });

  describe('GET /api/v1/municipalities/locate', () => {
    it('finds the municipality whose boundary contains the point, publicly', async () => {
      const town = await createMunicipality(t.http, admin.accessToken);
      const [lng, lat] = town.center;
      const res = await t.http.get('/api/v1/municipalities/locate').query({ lat, lng }).expect(200);
      expect(res.body).toEqual({
        municipality: expect.objectContaining({ id: town.id, slug: town.slug, hasBoundary: true, bbox: [lng - 0.01, lat - 0.01, lng + 0.01, lat + 0.01].map((n) => expect.closeTo(n, 9)) }),
      });
      expect(res.body.municipality).not.toHaveProperty('boundary');
    });

    it('answers 404 NO_MUNICIPALITY_AT_POINT outside every boundary', async () => {
      const town = await createMunicipality(t.http, admin.accessToken);
      const [lng, lat] = town.center;
      const res = await t.http.get('/api/v1/municipalities/locate').query({ lat: lat + 0.02, lng }).expect(404);
      expect(res.body.code).toBe('NO_MUNICIPALITY_AT_POINT');
    });

    it('does not place a point in a hole of the boundary', async () => {
      const center = randomCenter();
      const boundary = { type: 'Polygon' as const, coordinates: [squareRing(center, 0.1), squareRing(center, 0.02).reverse()] };
      const town = await createMunicipality(t.http, admin.accessToken, { boundary });
      const [lng, lat] = center;
      await t.http.get('/api/v1/municipalities/locate').query({ lat, lng }).expect(404);
      const inRing = await t.http.get('/api/v1/municipalities/locate').query({ lat: lat + 0.05, lng }).expect(200);
      expect(inRing.body.municipality.slug).toBe(town.slug);
    });

    it('handles a MultiPolygon: each part counts, the gap between them does not', async () => {
      const [lng, lat] = randomCenter();
      const boundary = { type: 'MultiPolygon' as const, coordinates: [[squareRing([lng - 0.1, lat], 0.02)], [squareRing([lng + 0.1, lat], 0.02)]] };
      const town = await createMunicipality(t.http, admin.accessToken, { boundary });
      for (const x of [lng - 0.1, lng + 0.1]) {
        const res = await t.http.get('/api/v1/municipalities/locate').query({ lat, lng: x }).expect(200);
        expect(res.body.municipality.slug).toBe(town.slug);
      }
      // Inside the bounding box of the whole, outside both parts.
      await t.http.get('/api/v1/municipalities/locate').query({ lat, lng }).expect(404);
    });

    it('prefers the smaller municipality where boundaries overlap', async () => {
      const center = randomCenter();
      const big = await createMunicipality(t.http, admin.accessToken, { center, halfSize: 0.2 });
      const small = await createMunicipality(t.http, admin.accessToken, { center, halfSize: 0.01 });
      const inSmall = await t.http.get('/api/v1/municipalities/locate').query({ lng: center[0], lat: center[1] }).expect(200);
      expect(inSmall.body.municipality.slug).toBe(small.slug);
      const inBig = await t.http.get('/api/v1/municipalities/locate').query({ lng: center[0] + 0.1, lat: center[1] }).expect(200);
      expect(inBig.body.municipality.slug).toBe(big.slug);
    });

    it('finds candidates through the GiST index on the bounding box', async () => {
      // On a small table the planner rightly prefers a sequential scan; the index must be usable.
      const runner = db.createQueryRunner();
      try {
        await runner.query('SET enable_seqscan = off');
        const plan = (await runner.query(
          `EXPLAIN SELECT id FROM municipalities WHERE bbox @> box(point(3.06, 50.63), point(3.06, 50.63))`,
        )) as Array<{ 'QUERY PLAN': string }>;
        expect(plan.map((r) => r['QUERY PLAN']).join('\n')).toMatch(/municipalities_bbox_idx/);
      } finally {
        await runner.query('RESET enable_seqscan');
        await runner.release();
      }
    });

    it.each<[string, Record<string, string>, string]>([
      ['a latitude above 90', { lat: '91', lng: '3' }, 'lat'],
      ['a longitude below -180', { lat: '50', lng: '-181' }, 'lng'],
      ['a non-numeric latitude', { lat: 'north', lng: '3' }, 'lat'],
      ['a missing longitude', { lat: '50' }, 'lng'],
      ['an empty latitude', { lat: '', lng: '3' }, 'lat'],
      ['an unknown parameter', { lat: '50', lng: '3', radius: '5' }, 'radius'],
    ])('answers 400 naming the parameter for %s (never read as a slug)', async (_why, query, field) => {
      const res = await t.http.get('/api/v1/municipalities/locate').query(query).expect(400);
      expect(fieldsOf(res)).toContain(field);
    });

    it('answers 400 for repeated parameters', async () => {
      await t.http.get('/api/v1/municipalities/locate?lat=1&lat=2&lng=3').expect(400);
    });
  });

  describe('PATCH /api/v1/municipalities/:slug', () => {
    it('lets the platform admin change name, time zone, locale and boundary, and audits it', async () => {
      const town = await createMunicipality(t.http, admin.accessToken);
      const center = randomCenter();
      const res = await admin
        .auth(t.http.patch(`/api/v1/municipalities/${town.slug}`))
        .send({ name: 'Tourcoing', timezone: 'Europe/Brussels', locale: 'en', boundary: squareAround(center, 0.03) })
        .expect(200);
      expect(res.body).toMatchObject({ slug: town.slug, name: 'Tourcoing', timezone: 'Europe/Brussels', locale: 'en', boundary: squareAround(center, 0.03) });
      const located = await t.http.get('/api/v1/municipalities/locate').query({ lng: center[0], lat: center[1] }).expect(200);
      expect(located.body.municipality.slug).toBe(town.slug);
      await t.http.get('/api/v1/municipalities/locate').query({ lng: town.center[0], lat: town.center[1] }).expect(404);

      const audit = await admin.auth(t.http.get(`/api/v1/municipalities/${town.slug}/audit`)).query({ action: 'municipality.updated' }).expect(200);
      expect(audit.body.items[0]).toMatchObject({
        actorId: admin.user.id,
        targetType: 'municipality',
        targetId: town.id,
        before: { name: 'Test town', timezone: 'Europe/Paris', locale: 'fr' },
        after: { name: 'Tourcoing', timezone: 'Europe/Brussels', locale: 'en' },
      });
    });

    it('removes the boundary with null', async () => {
      const town = await createMunicipality(t.http, admin.accessToken);
      const res = await admin.auth(t.http.patch(`/api/v1/municipalities/${town.slug}`)).send({ boundary: null }).expect(200);
      expect(res.body.boundary).toBeNull();
      await t.http.get('/api/v1/municipalities/locate').query({ lng: town.center[0], lat: town.center[1] }).expect(404);
    });

    it("lets a municipality's admin change their own, not another's; staff and citizens get 403", async () => {
      const a = await createMunicipality(t.http, admin.accessToken);
      const b = await createMunicipality(t.http, admin.accessToken);
      const adminOfA = await memberSession(t.http, admin.accessToken, a.slug, ['admin']);
      const staffOfA = await memberSession(t.http, admin.accessToken, a.slug, ['staff', 'facilitator']);
      await adminOfA.auth(t.http.patch(`/api/v1/municipalities/${a.slug}`)).send({ name: 'Renamed by its admin' }).expect(200);
      await adminOfA.auth(t.http.patch(`/api/v1/municipalities/${b.slug}`)).send({ name: 'Hijacked' }).expect(403);
      await staffOfA.auth(t.http.patch(`/api/v1/municipalities/${a.slug}`)).send({ name: 'By staff' }).expect(403);
      await citizen.auth(t.http.patch(`/api/v1/municipalities/${a.slug}`)).send({ name: 'By a citizen' }).expect(403);
      await t.http.patch(`/api/v1/municipalities/${a.slug}`).send({ name: 'Anonymous' }).expect(401);
      const after = await t.http.get(`/api/v1/municipalities/${b.slug}`).expect(200);
      expect(after.body.name).toBe('Test town');
    });

    it.each<[string, Record<string, unknown>, string]>([
      ['a bad time zone', { timezone: 'Europe/Atlantis' }, 'timezone'],
      ['a bad boundary', { boundary: { type: 'Polygon', coordinates: [[[0, 0], [1, 1]]] } }, 'boundary'],
      ['a huge name', { name: HUGE }, 'name'],
      ['a slug (cannot change)', { slug: 'renamed' }, 'slug'],
      ['a country code (cannot change)', { countryCode: 'BE' }, 'countryCode'],
    ])('answers 400 naming the field for %s', async (_why, body, field) => {
      const town = await createMunicipality(t.http, admin.accessToken);
      const res = await admin.auth(t.http.patch(`/api/v1/municipalities/${town.slug}`)).send(body).expect(400);
      expect(fieldsOf(res)).toContain(field);
    });

    it('answers 404 for an unknown municipality', async () => {
      const res = await admin.auth(t.http.patch(`/api/v1/municipalities/nowhere-${randomUUID().slice(0, 8)}`)).send({ name: 'X' }).expect(404);
      expect(res.body.code).toBe('MUNICIPALITY_NOT_FOUND');
    });
  });

  it('documents its routes, bodies and error answers in the OpenAPI document', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, { responses: Record<string, unknown>; parameters?: Array<{ name: string }> }>>;
    for (const [path, methods] of Object.entries({
      '/api/v1/municipalities': ['get', 'post'],
      '/api/v1/municipalities/locate': ['get'],
      '/api/v1/municipalities/{slug}': ['get', 'patch'],
      '/api/v1/municipalities/{slug}/members': ['get'],
      '/api/v1/municipalities/{slug}/members/{userId}': ['put'],
      '/api/v1/municipalities/{slug}/residency-codes': ['post'],
      '/api/v1/municipalities/{slug}/residency': ['post'],
      '/api/v1/municipalities/{slug}/residents/{userId}': ['put', 'delete'],
      '/api/v1/me/residencies': ['get'],
      '/api/v1/municipalities/{slug}/audit': ['get'],
      '/api/v1/admin/audit': ['get'],
    })) {
      for (const method of methods) expect(paths[path]?.[method]).toBeDefined();
    }
    expect(Object.keys(paths['/api/v1/municipalities'].post.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409']));
    expect(paths['/api/v1/municipalities/locate'].get.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['lat', 'lng']));
    const schemas = res.body.components.schemas as Record<string, { properties: Record<string, unknown> }>;
    expect(Object.keys(schemas.CreateMunicipalityDto.properties)).toEqual(['slug', 'name', 'timezone', 'locale', 'countryCode', 'boundary']);
    expect(Object.keys(schemas.SetMemberRolesDto.properties)).toEqual(['roles', 'department']);
  });
});

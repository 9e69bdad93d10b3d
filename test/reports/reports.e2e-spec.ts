import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';

describe('reports: filing and public views', () => {
  let t: TestApp;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let townAdmin: Session;
  let staff: Session;
  let citizen: Session;
  let category: { code: string };

  beforeAll(async () => {
    t = await createTestApp();
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Lumière' });
    other = await createMunicipality(t.http, admin.accessToken, { name: 'Voisine' });
    townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    citizen = await createSession(t.http, { displayName: 'Camille Citoyenne' });
    category = await createCategory(t.http, townAdmin.accessToken, town.slug, {
      attributes: [
        { code: 'size', datatype: 'singlevaluelist', required: true, description: 'How big?', values: [{ key: 'small', name: 'Small' }, { key: 'large', name: 'Large' }] },
        { code: 'depth', datatype: 'number', required: false, description: 'Depth in cm' },
      ],
    });
  });
  afterAll(() => t.close());

  const file = (token: string, body: Record<string, unknown>, key?: string) => {
    const req = t.http.post(`/api/v1/municipalities/${town.slug}/reports`).set('Authorization', `Bearer ${token}`);
    return (key ? req.set('Idempotency-Key', key) : req).send(body);
  };
  const validBody = () => ({
    kind: 'problem',
    categoryCode: category.code,
    description: 'Pothole on the cycle lane',
    location: near(town, 0.001, 0.001),
    attributes: { size: 'large', depth: '12' },
  });

  it('files a report and returns its public view', async () => {
    const res = await file(citizen.accessToken, validBody()).expect(201);
    expect(res.body).toMatchObject({
      municipality: town.slug,
      kind: 'problem',
      status: 'new',
      category: { code: category.code, name: { fr: 'Nid de poule', en: 'Pothole' } },
      reporterName: null,
      isMine: true,
      attributes: { size: 'large', depth: 12 },
      version: 1,
    });
    expect(res.body.number).toMatch(/^\d+$/);
    expect(res.body).not.toHaveProperty('staff');
  });

  it('requires a signed-in citizen', async () => {
    await t.http.post(`/api/v1/municipalities/${town.slug}/reports`).send(validBody()).expect(401);
  });

  it('rejects malformed bodies with field details', async () => {
    const cases: Array<[unknown, string]> = [
      [undefined, 'kind'],
      [{ ...validBody(), kind: 'rant' }, 'kind'],
      [{ ...validBody(), description: 'x'.repeat(5001) }, 'description'],
      [{ ...validBody(), location: { lat: 91, lng: 3 } }, 'location.lat'],
      [{ ...validBody(), location: 'here' }, 'location'],
      [{ ...validBody(), extra: true }, 'extra'],
      [{ ...validBody(), anonymous: 'yes' }, 'anonymous'],
      [{ ...validBody(), showName: 'yes' }, 'showName'],
    ];
    for (const [body, field] of cases) {
      const res = await t.http.post(`/api/v1/municipalities/${town.slug}/reports`).set('Authorization', `Bearer ${citizen.accessToken}`).send(body as object).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', code: 'VALIDATION_FAILED' });
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    }
  });

  it("validates attributes against the category's definition (422 naming the attribute)", async () => {
    const res = await file(citizen.accessToken, { ...validBody(), attributes: { size: 'huge', colour: 'red' } }).expect(422);
    expect(res.body.code).toBe('INVALID_ATTRIBUTES');
    expect(res.body.details.map((d: { field: string }) => d.field).sort()).toEqual(['attributes.colour', 'attributes.size']);
    const missing = await file(citizen.accessToken, { ...validBody(), attributes: {} }).expect(422);
    expect(missing.body.details).toEqual([{ field: 'attributes.size', code: 'REQUIRED', message: expect.any(String) }]);
  });

  it('refuses an unknown category', async () => {
    const res = await file(citizen.accessToken, { ...validBody(), categoryCode: 'nope' }).expect(422);
    expect(res.body.code).toBe('CATEGORY_NOT_FOUND');
  });

  it('refuses a location outside the municipality and names the one containing it', async () => {
    const res = await file(citizen.accessToken, { ...validBody(), location: near(other) }).expect(422);
    expect(res.body).toMatchObject({ code: 'OUTSIDE_MUNICIPALITY', meta: { containingMunicipality: { slug: other.slug, name: 'Voisine' } } });
    const nowhere = await file(citizen.accessToken, { ...validBody(), location: { lat: -89.9, lng: 179.9 } }).expect(422);
    expect(nowhere.body.meta.containingMunicipality).toBeNull();
  });

  it('returns the same report for a retried request with the same Idempotency-Key', async () => {
    const key = `retry-${Date.now()}-a`;
    const first = await file(citizen.accessToken, validBody(), key).expect(201);
    const second = await file(citizen.accessToken, validBody(), key).expect(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const mine = await t.http.get('/api/v1/me/reports?limit=100').set('Authorization', `Bearer ${citizen.accessToken}`).expect(200);
    expect(mine.body.items.filter((r: { id: string }) => r.id === first.body.id)).toHaveLength(1);
  });

  it('creates one report when two requests with one key arrive at the same time', async () => {
    const key = `race-${Date.now()}-b`;
    const before = await t.http.get('/api/v1/me/reports?limit=100').set('Authorization', `Bearer ${citizen.accessToken}`).expect(200);
    const results = await Promise.all(Array.from({ length: 5 }, () => file(citizen.accessToken, validBody(), key)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body.id)).size).toBe(1);
    const after = await t.http.get('/api/v1/me/reports?limit=100').set('Authorization', `Bearer ${citizen.accessToken}`).expect(200);
    expect(after.body.items.length).toBe(before.body.items.length + 1);
  });

  it('refuses one key reused for a different request, and malformed keys', async () => {
    const key = `reuse-${Date.now()}-c`;
    await file(citizen.accessToken, validBody(), key).expect(201);
    const res = await file(citizen.accessToken, { ...validBody(), description: 'Something else entirely' }, key).expect(422);
    expect(res.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await file(citizen.accessToken, validBody(), 'short').expect(400);
  });

  it('never shows an anonymous reporter publicly, in JSON or GeoJSON, but shows staff', async () => {
    const shy = await createSession(t.http, { displayName: 'Sacha Secret' });
    const anon = await createReport(t.http, shy.accessToken, town, category.code, {
      anonymous: true,
      attributes: { size: 'small' },
      location: near(town, -0.002, 0.002),
    });
    const publicView = await t.http.get(`/api/v1/reports/${anon.id}`).expect(200);
    expect(publicView.body.reporterName).toBeNull();
    expect(JSON.stringify(publicView.body)).not.toContain('Sacha Secret');
    expect(JSON.stringify(publicView.body)).not.toContain(shy.user.email);
    expect(publicView.body).not.toHaveProperty('attributes');

    const list = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?limit=200`).expect(200);
    const listed = list.body.items.find((r: { id: string }) => r.id === anon.id);
    expect(listed.reporterName).toBeNull();
    const geo = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?limit=200`).set('Accept', 'application/geo+json').expect(200);
    expect(geo.headers['content-type']).toContain('application/geo+json');
    expect(JSON.stringify(geo.body)).not.toContain('Sacha Secret');
    expect(JSON.stringify(geo.body)).not.toContain(shy.user.email);

    const staffView = await t.http.get(`/api/v1/reports/${anon.id}`).set('Authorization', `Bearer ${staff.accessToken}`).expect(200);
    expect(staffView.body.staff).toMatchObject({ anonymous: true, reporter: { id: shy.user.id, name: 'Sacha Secret', email: shy.user.email } });
  });

  it('keeps staff fields away from staff of another municipality', async () => {
    const foreignStaff = await memberSession(t.http, admin.accessToken, other.slug, ['staff']);
    const report = await createReport(t.http, citizen.accessToken, town, category.code, { attributes: { size: 'small' } });
    const res = await t.http.get(`/api/v1/reports/${report.id}`).set('Authorization', `Bearer ${foreignStaff.accessToken}`).expect(200);
    expect(res.body).not.toHaveProperty('staff');
    expect(JSON.stringify(res.body)).not.toContain(citizen.user.email);
  });

  /** Reports of a test's own near the centre (each test sets up what it reads; any order works). */
  async function fileNearCentre(count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) {
      ids.push((await createReport(t.http, citizen.accessToken, town, category.code, { location: near(town, 0.0004 * i, -0.0003 * i), attributes: { size: 'small' } })).id);
    }
    return ids;
  }

  it('serves the public list as GeoJSON with ?format=geojson', async () => {
    const [newest] = await fileNearCentre(1);
    const res = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?format=geojson&limit=5`).expect(200);
    expect(res.body.type).toBe('FeatureCollection');
    const feature = res.body.features[0];
    expect(feature.id).toBe(newest);
    expect(feature).toMatchObject({ type: 'Feature', geometry: { type: 'Point' } });
    expect(feature.geometry.coordinates).toHaveLength(2);
    expect(feature.properties).not.toHaveProperty('location');
  });

  it('pages newest first by keyset without duplicates or gaps', async () => {
    const mine = await fileNearCentre(7);
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const url: string = `/api/v1/municipalities/${town.slug}/reports?limit=3${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.http.get(url).expect(200);
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
      pages++;
    } while (cursor && pages < 50);
    expect(new Set(seen).size).toBe(seen.length);
    const all = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?limit=200`).expect(200);
    expect(seen).toEqual(all.body.items.map((r: { id: string }) => r.id));
    expect(pages).toBeGreaterThanOrEqual(3);
    expect(seen.slice(0, 7)).toEqual([...mine].reverse());
    await t.http.get(`/api/v1/municipalities/${town.slug}/reports?cursor=not-a-cursor`).expect(400);
  });

  it('pages newest first inside a bbox as well', async () => {
    await fileNearCentre(5);
    const [lng, lat] = town.center;
    const box = `${lng - 0.02},${lat - 0.02},${lng + 0.02},${lat + 0.02}`;
    const all = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?bbox=${box}&limit=200`).expect(200);
    expect(all.body.items.length).toBeGreaterThan(3);
    const times = all.body.items.map((r: { createdAt: string }) => r.createdAt);
    expect([...times].sort().reverse()).toEqual(times);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const url: string = `/api/v1/municipalities/${town.slug}/reports?bbox=${box}&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const res = await t.http.get(url).expect(200);
      seen.push(...res.body.items.map((r: { id: string }) => r.id));
      cursor = res.body.nextCursor;
    } while (cursor && seen.length < 500);
    expect(seen).toEqual(all.body.items.map((r: { id: string }) => r.id));
  });

  it('filters by bbox, status, kind and category', async () => {
    const far = await createReport(t.http, citizen.accessToken, town, category.code, {
      kind: 'suggestion',
      location: near(town, 0.008, 0.008),
      attributes: { size: 'small' },
    });
    const [lng, lat] = town.center;
    const box = `${lng + 0.007},${lat + 0.007},${lng + 0.009},${lat + 0.009}`;
    const res = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?bbox=${box}`).expect(200);
    expect(res.body.items.map((r: { id: string }) => r.id)).toEqual([far.id]);
    const suggestions = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?kind=suggestion`).expect(200);
    expect(suggestions.body.items.every((r: { kind: string }) => r.kind === 'suggestion')).toBe(true);
    const closed = await t.http.get(`/api/v1/municipalities/${town.slug}/reports?status=closed,rejected`).expect(200);
    expect(closed.body.items).toEqual([]);
    await t.http.get(`/api/v1/municipalities/${town.slug}/reports?bbox=1,2,3`).expect(400);
    await t.http.get(`/api/v1/municipalities/${town.slug}/reports?bbox=10,10,5,5`).expect(400);
    await t.http.get(`/api/v1/municipalities/${town.slug}/reports?status=lost`).expect(400);
    await t.http.get(`/api/v1/municipalities/${town.slug}/reports?limit=1000`).expect(400);
  });

  it('answers "is it already reported?" with open reports nearest first within the radius', async () => {
    const base = near(town, 0.004, -0.004);
    const close = await createReport(t.http, citizen.accessToken, town, category.code, { location: { lat: base.lat + 0.0003, lng: base.lng }, attributes: { size: 'small' } });
    const closer = await createReport(t.http, citizen.accessToken, town, category.code, { location: { lat: base.lat + 0.0001, lng: base.lng }, attributes: { size: 'small' } });
    await createReport(t.http, citizen.accessToken, town, category.code, { location: { lat: base.lat + 0.004, lng: base.lng }, attributes: { size: 'small' } });
    const res = await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby?lat=${base.lat}&lng=${base.lng}&radius=100`).expect(200);
    expect(res.body.map((r: { id: string }) => r.id)).toEqual([closer.id, close.id]);
    expect(res.body[0].distance).toBeGreaterThanOrEqual(10);
    expect(res.body[0].distance).toBeLessThanOrEqual(12);
    expect(res.body[1].distance).toBeLessThanOrEqual(100);
    expect(res.body[0]).toHaveProperty('description');
    await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby?lat=${base.lat}&lng=${base.lng}&radius=5000`).expect(400);
    await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby?lat=abc&lng=1`).expect(400);
    await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby`).expect(400);
  });

  it('leaves out of "is it already reported?" the box corners beyond the radius, closed reports and other categories', async () => {
    const base = near(town, -0.004, 0.004);
    const metresNorth = (m: number) => m / 111_320;
    const metresEast = (m: number) => m / (111_320 * Math.cos((base.lat * Math.PI) / 180));
    const file = (north: number, east: number, code = category.code) =>
      createReport(t.http, citizen.accessToken, town, code, {
        location: { lat: base.lat + metresNorth(north), lng: base.lng + metresEast(east) },
        ...(code === category.code ? { attributes: { size: 'small' } } : {}),
      });
    const plain = await createCategory(t.http, townAdmin.accessToken, town.slug);
    const inside = await file(60, 0);
    // Inside the square around the 100 m circle, but ~127 m away.
    await file(90, 90);
    const otherCategory = await file(30, 0, plain.code);
    const rejected = await file(20, 0);
    await staff
      .auth(t.http.patch(`/api/v1/reports/${rejected.id}/triage`))
      .send({ version: rejected.version, status: 'rejected', reason: 'invalid' })
      .expect(200);

    const at = `lat=${base.lat}&lng=${base.lng}&radius=100`;
    const all = await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby?${at}`).expect(200);
    expect(all.body.map((r: { id: string }) => r.id)).toEqual([otherCategory.id, inside.id]);
    const ofCategory = await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby?${at}&category=${category.code}`).expect(200);
    expect(ofCategory.body.map((r: { id: string }) => r.id)).toEqual([inside.id]);
    const first = await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby?${at}&limit=1`).expect(200);
    expect(first.body.map((r: { id: string }) => r.id)).toEqual([otherCategory.id]);
  });

  it('lets a citizen support a report once ("me too") and withdraw', async () => {
    const report = await createReport(t.http, citizen.accessToken, town, category.code, { attributes: { size: 'small' } });
    const neighbour = await createSession(t.http);
    const first = await t.http.post(`/api/v1/reports/${report.id}/support`).set('Authorization', `Bearer ${neighbour.accessToken}`).expect(200);
    expect(first.body).toMatchObject({ supportCount: 1, supportedByMe: true });
    // A "me too" must not make a staff member's loaded version stale.
    expect(first.body.version).toBe(report.version);
    const again = await t.http.post(`/api/v1/reports/${report.id}/support`).set('Authorization', `Bearer ${neighbour.accessToken}`).expect(200);
    expect(again.body.supportCount).toBe(1);
    const withdrawn = await t.http.delete(`/api/v1/reports/${report.id}/support`).set('Authorization', `Bearer ${neighbour.accessToken}`).expect(200);
    expect(withdrawn.body).toMatchObject({ supportCount: 0, supportedByMe: false });
    await t.http.post(`/api/v1/reports/${report.id}/support`).expect(401);
    await t.http.post(`/api/v1/reports/not-a-uuid/support`).set('Authorization', `Bearer ${neighbour.accessToken}`).expect(400);
    await t.http.post(`/api/v1/reports/00000000-0000-4000-8000-000000000000/support`).set('Authorization', `Bearer ${neighbour.accessToken}`).expect(404);
  });

  it('shows a public timeline starting with the creation', async () => {
    const report = await createReport(t.http, citizen.accessToken, town, category.code, { attributes: { size: 'small' } });
    const res = await t.http.get(`/api/v1/reports/${report.id}/timeline`).expect(200);
    expect(res.body).toEqual([expect.objectContaining({ type: 'created', toStatus: 'new', by: 'reporter', visibility: 'public' })]);
  });

  it('lists categories publicly and lets only the municipality admin manage them', async () => {
    const list = await t.http.get(`/api/v1/municipalities/${town.slug}/categories`).expect(200);
    expect(list.body.map((c: { code: string }) => c.code)).toContain(category.code);
    await t.http.post(`/api/v1/municipalities/${town.slug}/categories`).set('Authorization', `Bearer ${staff.accessToken}`).send({ code: 'graffiti', name: { fr: 'Tag' } }).expect(403);
    await t.http.post(`/api/v1/municipalities/${town.slug}/categories`).set('Authorization', `Bearer ${citizen.accessToken}`).send({ code: 'graffiti', name: { fr: 'Tag' } }).expect(403);
    await t.http.post(`/api/v1/municipalities/${town.slug}/categories`).set('Authorization', `Bearer ${townAdmin.accessToken}`).send({ code: category.code, name: { fr: 'Double' } }).expect(409);
    const bad = await t.http
      .post(`/api/v1/municipalities/${town.slug}/categories`)
      .set('Authorization', `Bearer ${townAdmin.accessToken}`)
      .send({ code: 'list', name: { fr: 'Liste' }, attributes: [{ code: 'a', datatype: 'singlevaluelist', required: true, description: 'A' }] })
      .expect(400);
    expect(bad.body.details[0].field).toBe('attributes.0.values');
    const off = await t.http.patch(`/api/v1/municipalities/${town.slug}/categories/${category.code}`).set('Authorization', `Bearer ${townAdmin.accessToken}`).send({ active: false }).expect(200);
    expect(off.body.active).toBe(false);
    const refused = await file(citizen.accessToken, validBody()).expect(422);
    expect(refused.body.code).toBe('CATEGORY_INACTIVE');
    await t.http.patch(`/api/v1/municipalities/${town.slug}/categories/${category.code}`).set('Authorization', `Bearer ${townAdmin.accessToken}`).send({ active: true }).expect(200);
  });
});

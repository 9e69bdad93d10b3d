import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, Position, squareAround, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

jest.setTimeout(60_000);

/** The town is a 0.02° square; its two districts are its west and east halves. */
function halves(c: Position): { west: object; east: object } {
  const [lng, lat] = c;
  const rect = (x0: number, x1: number) => ({
    type: 'Polygon',
    coordinates: [[[x0, lat - 0.01], [x1, lat - 0.01], [x1, lat + 0.01], [x0, lat + 0.01], [x0, lat - 0.01]]],
  });
  return { west: rect(lng - 0.01, lng), east: rect(lng, lng + 0.01) };
}

describe('districts', () => {
  let t: TestApp;
  let db: DataSource;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let townAdmin: Session;
  let townStaff: Session;
  let otherAdmin: Session;
  let citizen: Session;
  let erased: Session;
  const base = () => `/api/v1/municipalities/${town.slug}/districts`;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken);
    other = await createMunicipality(t.http, admin.accessToken);
    townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    townStaff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    otherAdmin = await memberSession(t.http, admin.accessToken, other.slug, ['admin']);
    citizen = await createSession(t.http);
    erased = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    await erased.auth(t.http.delete('/api/v1/me')).send({ password: erased.user.password }).expect(204);
  });
  afterAll(() => t.close());

  it('lets the municipality admin create districts with boundaries inside the town, audited and emitted', async () => {
    const { west, east } = halves(town.center);
    const res = await townAdmin.auth(t.http.post(base())).send({ code: 'WEST', nameFr: 'Ouest', nameEn: 'West', boundary: west }).expect(201);
    expect(res.body).toEqual({
      id: expect.any(String),
      municipalityId: town.id,
      code: 'WEST',
      nameFr: 'Ouest',
      nameEn: 'West',
      boundary: west,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await townAdmin.auth(t.http.post(base())).send({ code: 'EAST', nameFr: 'Est', nameEn: 'East', boundary: east }).expect(201);
    await townAdmin.auth(t.http.post(base())).send({ code: 'NOWHERE', nameFr: 'Sans limite', nameEn: 'Unbounded' }).expect(201);
    const audit = await db.query(`SELECT action FROM audit_log WHERE target_id = $1`, [res.body.id]);
    expect(audit).toEqual([{ action: 'district.created' }]);
    const events = await db.query(`SELECT payload FROM outbox_events WHERE type = 'identity.district_changed' AND aggregate_id = $1`, [res.body.id]);
    expect(events).toEqual([{ payload: { municipalityId: town.id, districtId: res.body.id, code: 'WEST', change: 'created' } }]);
  });

  it('lists them publicly by code, keyset-paginated', async () => {
    const first = await t.http.get(`${base()}?limit=2`).expect(200);
    expect(first.body.items.map((d: { code: string }) => d.code)).toEqual(['EAST', 'NOWHERE']);
    const second = await t.http.get(`${base()}?limit=2&cursor=${first.body.nextCursor}`).expect(200);
    expect(second.body).toEqual({ items: [expect.objectContaining({ code: 'WEST' })], nextCursor: null });
  });

  it('locates a point in its district, and answers 404 outside any', async () => {
    const [lng, lat] = town.center;
    const west = await t.http.get(`${base()}/locate?lat=${lat}&lng=${lng - 0.005}`).expect(200);
    expect(west.body.district).toMatchObject({ code: 'WEST', municipalityId: town.id });
    const east = await t.http.get(`${base()}/locate?lat=${lat + 0.009}&lng=${lng + 0.009}`).expect(200);
    expect(east.body.district.code).toBe('EAST');
    const outside = await t.http.get(`${base()}/locate?lat=${lat}&lng=${lng + 0.5}`).expect(404);
    expect(outside.body.code).toBe('NO_DISTRICT_AT_POINT');
    const bad = await t.http.get(`${base()}/locate?lat=91&lng=abc`).expect(400);
    expect([...new Set(bad.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(['lat', 'lng']);
  });

  it('serves locate from the GiST index on (municipality_id, bbox)', async () => {
    const [lng, lat] = town.center;
    await db.query('SET enable_seqscan = off');
    const plan = await db.query(
      `EXPLAIN SELECT id FROM districts WHERE municipality_id = $1 AND bbox @> box(point($2, $3), point($2, $3))`,
      [town.id, lng, lat],
    );
    await db.query('SET enable_seqscan = on');
    expect(JSON.stringify(plan)).toContain('districts_bbox_idx');
  });

  it('refuses a boundary outside the town (422), a taken code (409) and bad fields (400), writing nothing', async () => {
    const [lng, lat] = town.center;
    const straddling = squareAround([lng + 0.01, lat], 0.005);
    const res = await townAdmin.auth(t.http.post(base())).send({ code: 'OUT', nameFr: 'Dehors', nameEn: 'Out', boundary: straddling }).expect(422);
    expect(res.body.code).toBe('DISTRICT_OUTSIDE_MUNICIPALITY');
    const taken = await townAdmin.auth(t.http.post(base())).send({ code: 'WEST', nameFr: 'x', nameEn: 'x' }).expect(409);
    expect(taken.body.code).toBe('DISTRICT_CODE_TAKEN');
    const bad = await townAdmin
      .auth(t.http.post(base()))
      .send({ code: 'a b', nameFr: '', nameEn: 'x'.repeat(201), boundary: { type: 'Point', coordinates: [1, 2] } })
      .expect(400);
    expect([...new Set(bad.body.details.map((d: { field: string }) => d.field))].sort()).toEqual(['boundary', 'code', 'nameEn', 'nameFr']);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM districts WHERE municipality_id = $1`, [town.id]);
    expect(n).toBe(3);
  });

  it('refuses a district boundary in a town without one', async () => {
    const admin = await platformAdminSession(t.http);
    const bare = await createMunicipality(t.http, admin.accessToken, { boundary: null });
    const res = await admin
      .auth(t.http.post(`/api/v1/municipalities/${bare.slug}/districts`))
      .send({ code: 'A', nameFr: 'A', nameEn: 'A', boundary: squareAround([0, 0], 0.001) })
      .expect(422);
    expect(res.body.code).toBe('DISTRICT_OUTSIDE_MUNICIPALITY');
  });

  it('lets the admin rename, re-code and re-shape a district, then delete it', async () => {
    const created = await townAdmin.auth(t.http.post(base())).send({ code: 'TMP', nameFr: 'Tmp', nameEn: 'Tmp' }).expect(201);
    const url = `${base()}/${created.body.id}`;
    const patched = await townAdmin.auth(t.http.patch(url)).send({ code: 'TMP2', nameEn: 'Temporary', boundary: squareAround(town.center, 0.001) }).expect(200);
    expect(patched.body).toMatchObject({ code: 'TMP2', nameFr: 'Tmp', nameEn: 'Temporary' });
    const clash = await townAdmin.auth(t.http.patch(url)).send({ code: 'WEST' }).expect(409);
    expect(clash.body.code).toBe('DISTRICT_CODE_TAKEN');
    await townAdmin.auth(t.http.patch(url)).send({ boundary: squareAround(town.center, 1) }).expect(422);
    // The smallest box wins where districts overlap: the centre is now in TMP2.
    const [lng, lat] = town.center;
    const located = await t.http.get(`${base()}/locate?lat=${lat}&lng=${lng}`).expect(200);
    expect(located.body.district.code).toBe('TMP2');
    await t.http.get(url).expect(200);
    await townAdmin.auth(t.http.delete(url)).expect(204);
    const gone = await t.http.get(url).expect(404);
    expect(gone.body.code).toBe('DISTRICT_NOT_FOUND');
    await townAdmin.auth(t.http.delete(url)).expect(404);
  });

  describe('who may change districts', () => {
    let districtUrl: string;
    beforeAll(async () => {
      const res = await townAdmin.auth(t.http.post(base())).send({ code: 'GUARDED', nameFr: 'Gardé', nameEn: 'Guarded' }).expect(201);
      districtUrl = `${base()}/${res.body.id}`;
    });

    it('answers 401 to anonymous callers and to an erased account', async () => {
      for (const who of [undefined, erased]) {
        const call = (req: ReturnType<typeof t.http.post>) => (who ? who.auth(req) : req);
        await call(t.http.post(base())).send({ code: 'X', nameFr: 'X', nameEn: 'X' }).expect(401);
        await call(t.http.patch(districtUrl)).send({ nameFr: 'Y' }).expect(401);
        await call(t.http.delete(districtUrl)).expect(401);
      }
    });

    it.each([
      ['a citizen', () => citizen],
      ['staff of the town (not admin)', () => townStaff],
      ['the admin of another town', () => otherAdmin],
    ])('answers 403 to %s', async (_label, who) => {
      const res = await who().auth(t.http.post(base())).send({ code: 'X', nameFr: 'X', nameEn: 'X' }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      await who().auth(t.http.patch(districtUrl)).send({ nameFr: 'Y' }).expect(403);
      await who().auth(t.http.delete(districtUrl)).expect(403);
    });

    it("does not let another town's admin reach this town's district through their own slug", async () => {
      const res = await otherAdmin.auth(t.http.delete(`/api/v1/municipalities/${other.slug}/districts/${districtUrl.split('/').pop()}`)).expect(404);
      expect(res.body.code).toBe('DISTRICT_NOT_FOUND');
      await t.http.get(districtUrl).expect(200);
    });
  });
});

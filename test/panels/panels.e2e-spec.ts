import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createPanel, smallPanelBody } from '../factories/panel.factory';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

const fieldsOf = (res: Response): string[] => (res.body.details as Array<{ field: string }>).map((d) => d.field);

describe('panels: rules, volunteers, pool import, access', () => {
  let t: TestApp;
  let db: DataSource;
  let platform: Session;
  let a: TestMunicipality;
  let b: TestMunicipality;
  let adminOfA: Session;
  let staffOfA: Session;
  let adminOfB: Session;
  let citizen: Session;

  async function resident(town: TestMunicipality, by: Session): Promise<Session> {
    const s = await createSession(t.http);
    const codes = await by.auth(t.http.post(`/api/v1/municipalities/${town.slug}/residency-codes`)).send({ count: 1 }).expect(201);
    await s.auth(t.http.post(`/api/v1/municipalities/${town.slug}/residency`)).send({ code: codes.body.codes[0] }).expect(201);
    return s;
  }
  const volunteerBody = (overrides: Record<string, unknown> = {}) => ({
    consentVersion: 'v1',
    features: { gender: 'f', age: 'young' },
    address: '12, rue de la Gare',
    contact: { email: true, post: false },
    ...overrides,
  });

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    platform = await platformAdminSession(t.http);
    a = await createMunicipality(t.http, platform.accessToken);
    b = await createMunicipality(t.http, platform.accessToken);
    adminOfA = await memberSession(t.http, platform.accessToken, a.slug, ['admin']);
    staffOfA = await memberSession(t.http, platform.accessToken, a.slug, ['staff']);
    adminOfB = await memberSession(t.http, platform.accessToken, b.slug, ['admin']);
    citizen = await createSession(t.http);
  });
  afterAll(() => t.close());

  describe('POST/GET/PATCH /api/v1/municipalities/:slug/panels', () => {
    it('lets the municipality admin create and change a panel, audited; anyone reads it', async () => {
      const panel = await createPanel(t.http, adminOfA, a.slug, smallPanelBody());
      const list = await t.http.get(`/api/v1/municipalities/${a.slug}/panels`).expect(200);
      expect(list.body.items.map((p: { id: string }) => p.id)).toContain(panel.id);
      const patched = await adminOfA.auth(t.http.patch(`/api/v1/municipalities/${a.slug}/panels/${panel.id}`)).send({ name: 'Panel 2027', termMonths: 24 }).expect(200);
      expect(patched.body).toMatchObject({ name: 'Panel 2027', termMonths: 24, status: 'recruiting', poolHash: null });
      const audit = await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [panel.id]);
      expect(audit.map((r: { action: string }) => r.action)).toEqual(['panel.created', 'panel.updated']);
    });

    it('refuses anonymous (401), citizens, staff and admins of another town (403), and an erased account (401)', async () => {
      const url = `/api/v1/municipalities/${a.slug}/panels`;
      await t.http.post(url).send(smallPanelBody()).expect(401);
      for (const caller of [citizen, staffOfA, adminOfB]) await caller.auth(t.http.post(url)).send(smallPanelBody()).expect(403);
      const panel = await createPanel(t.http, adminOfA, a.slug, smallPanelBody());
      await adminOfB.auth(t.http.patch(`/api/v1/municipalities/${a.slug}/panels/${panel.id}`)).send({ name: 'x' }).expect(403);
      // Admin of B patching through B's slug does not reach A's panel.
      await adminOfB.auth(t.http.patch(`/api/v1/municipalities/${b.slug}/panels/${panel.id}`)).send({ name: 'x' }).expect(404);
      const erased = await memberSession(t.http, platform.accessToken, a.slug, ['admin']);
      await erased.auth(t.http.delete('/api/v1/me')).send({ password: erased.user.password }).expect(204);
      await erased.auth(t.http.post(url)).send(smallPanelBody()).expect(401);
    });

    it('validates the rules: 400 for a malformed body naming the field, 422 for inconsistent quotas', async () => {
      const url = `/api/v1/municipalities/${a.slug}/panels`;
      expect(fieldsOf(await adminOfA.auth(t.http.post(url)).send({ ...smallPanelBody(), size: 0 }).expect(400))).toContain('size');
      expect(fieldsOf(await adminOfA.auth(t.http.post(url)).send({ ...smallPanelBody(), features: [{ code: 'bad code', values: [] }] }).expect(400)).join()).toMatch(/features/);
      const badQuota = smallPanelBody({ features: [{ code: 'gender', values: [{ code: 'f', min: 3, max: 2 }, { code: 'm', min: 0, max: 4 }] }] });
      const res = await adminOfA.auth(t.http.post(url)).send(badQuota).expect(422);
      expect(fieldsOf(res)).toContain('features.0.values.0.min');
      const tooMany = smallPanelBody({ features: [{ code: 'gender', values: [{ code: 'f', min: 3, max: 3 }, { code: 'm', min: 3, max: 3 }] }] });
      expect(fieldsOf(await adminOfA.auth(t.http.post(url)).send(tooMany).expect(422))).toContain('features.0.values');
    });
  });

  describe('volunteers', () => {
    it('a verified resident volunteers with consent (version and time recorded), sees, exports and withdraws the profile', async () => {
      const panel = await createPanel(t.http, adminOfA, a.slug, smallPanelBody());
      const me = await resident(a, adminOfA);
      const res = await me.auth(t.http.post(`/api/v1/panels/${panel.id}/volunteers`)).send(volunteerBody()).expect(201);
      expect(res.body).toMatchObject({ consentVersion: 'v1', consentedAt: expect.any(String), features: { gender: 'f', age: 'young' }, address: '12, rue de la Gare' });
      await me.auth(t.http.post(`/api/v1/panels/${panel.id}/volunteers`)).send(volunteerBody()).expect(409);
      const mine = await me.auth(t.http.get(`/api/v1/panels/${panel.id}/volunteers/me`)).expect(200);
      expect(mine.body.id).toBe(res.body.id);
      const exported = await me.auth(t.http.get('/api/v1/me/export')).expect(200);
      expect(exported.body.sections.panels.volunteerProfiles).toEqual([expect.objectContaining({ id: res.body.id, address: '12, rue de la Gare' })]);
      await me.auth(t.http.delete(`/api/v1/panels/${panel.id}/volunteers/me`)).expect(204);
      await me.auth(t.http.get(`/api/v1/panels/${panel.id}/volunteers/me`)).expect(404);
      expect(await db.query(`SELECT 1 FROM panel_pool_members WHERE id = $1`, [res.body.id])).toHaveLength(0);
    });

    it('erasing the account deletes the volunteer profile', async () => {
      const panel = await createPanel(t.http, adminOfA, a.slug, smallPanelBody());
      const me = await resident(a, adminOfA);
      const res = await me.auth(t.http.post(`/api/v1/panels/${panel.id}/volunteers`)).send(volunteerBody()).expect(201);
      await me.auth(t.http.delete('/api/v1/me')).send({ password: me.user.password }).expect(204);
      expect(await db.query(`SELECT 1 FROM panel_pool_members WHERE id = $1`, [res.body.id])).toHaveLength(0);
      await me.auth(t.http.post(`/api/v1/panels/${panel.id}/volunteers`)).send(volunteerBody()).expect(401);
    });

    it('refuses anonymous (401), non-residents and residents of another town (403); bad values and stale consent (422)', async () => {
      const panel = await createPanel(t.http, adminOfA, a.slug, smallPanelBody());
      const url = `/api/v1/panels/${panel.id}/volunteers`;
      await t.http.post(url).send(volunteerBody()).expect(401);
      await citizen.auth(t.http.post(url)).send(volunteerBody()).expect(403);
      const elsewhere = await resident(b, adminOfB);
      await elsewhere.auth(t.http.post(url)).send(volunteerBody()).expect(403);
      const me = await resident(a, adminOfA);
      const bad = await me.auth(t.http.post(url)).send(volunteerBody({ features: { gender: 'x', shoe: '42' }, consentVersion: 'v0', address: undefined })).expect(422);
      expect(fieldsOf(bad)).toEqual(expect.arrayContaining(['features.gender', 'features.age', 'features.shoe', 'consentVersion', 'address']));
      expect(fieldsOf(await me.auth(t.http.post(url)).send(volunteerBody({ contact: { email: 'yes' } })).expect(400)).join()).toMatch(/contact/);
      await me.auth(t.http.get(`/api/v1/panels/${panel.id}/volunteers/me`)).expect(404);
    });
  });

  describe('POST /api/v1/panels/:id/pool/import', () => {
    const url = (id: string) => `/api/v1/panels/${id}/pool/import`;

    it('imports valid rows and reports each rejected row with its reasons', async () => {
      const panel = await createPanel(t.http, adminOfA, a.slug, smallPanelBody());
      const csv = ['external_id,household,gender,age', 'r1,h1,f,young', 'r2,h1,m,old', 'r3,,x,young', 'r1,h2,f,old', ',h3,m,old', '"r 6",h4,m,"old"'].join('\n');
      // The reasons are in the caller's language: the header's, else the account's (French by default).
      const res = await adminOfA.auth(t.http.post(url(panel.id))).set('Content-Type', 'text/csv').set('Accept-Language', 'en').send(csv).expect(200);
      expect(res.body.imported).toBe(3);
      expect(res.body.rejected).toEqual([
        { line: 4, externalId: 'r3', reasons: [expect.stringMatching(/^gender: /)] },
        { line: 5, externalId: 'r1', reasons: ['external_id appears twice in the file'] },
        { line: 6, externalId: null, reasons: ['external_id is empty'] },
      ]);
      // A second round: ids already in the pool are rejected, the others added.
      const again = await adminOfA.auth(t.http.post(url(panel.id))).set('Content-Type', 'text/csv').set('Accept-Language', 'en').send('external_id,gender,age\nr2,m,old\nr7,f,old\n').expect(200);
      expect(again.body).toEqual({ imported: 1, rejected: [{ line: 2, externalId: 'r2', reasons: ['external_id is already in the pool'] }] });
    });

    it('answers in French when asked: the rejected rows, a malformed file and the rules', async () => {
      const panel = await createPanel(t.http, adminOfA, a.slug, smallPanelBody());
      const fr = (req: ReturnType<typeof t.http.post>) => adminOfA.auth(req).set('Accept-Language', 'fr-FR,fr;q=0.9');
      const rows = await fr(t.http.post(url(panel.id))).set('Content-Type', 'text/csv').send('external_id,gender,age\nr1,f,young\nr1,x,old\n').expect(200);
      expect(rows.body.rejected).toEqual([{ line: 3, externalId: 'r1', reasons: ['external_id figure deux fois dans le fichier', 'gender: valeur inconnue « x »'] }]);
      const malformed = await fr(t.http.post(url(panel.id))).set('Content-Type', 'text/csv').send('external_id,gender\nr1,f\n').expect(400);
      expect(malformed.body).toMatchObject({
        code: 'POOL_CSV_MALFORMED',
        message: "Le fichier CSV est illisible (voir le détail) ; rien n'a été importé",
        details: [{ field: 'file', code: 'CSV_COLUMNS_MISSING', message: 'colonnes de critère manquantes : age' }],
      });
      const rules = await fr(t.http.post(`/api/v1/municipalities/${a.slug}/panels`))
        .send(smallPanelBody({ features: [{ code: 'gender', values: [{ code: 'f', min: 3, max: 4 }, { code: 'm', min: 2, max: 4 }] }] }))
        .expect(422);
      expect(rules.body).toMatchObject({
        code: 'INVALID_PANEL_RULES',
        message: 'Règles du panel invalides',
        details: [{ field: 'features.0.values', code: 'QUOTA_MINIMUMS_OVER_SIZE', message: 'les minimums totalisent 5, plus que les 4 sièges' }],
      });
    });

    it('imports nothing from a malformed file (400) or a non-CSV body', async () => {
      const panel = await createPanel(t.http, adminOfA, a.slug, smallPanelBody());
      const send = (body: string, type = 'text/csv') => adminOfA.auth(t.http.post(url(panel.id))).set('Content-Type', type).send(body);
      for (const body of ['id,gender,age\nr1,f,young', 'external_id,gender\nr1,f', 'external_id,gender,age,shoe\nr1,f,young,42', 'external_id,gender,age\nr1,f,young\nr2,"m,old', 'external_id,gender,age\nr1,f\n', '']) {
        const res = await send(body).expect(400);
        expect(['POOL_CSV_MALFORMED', 'VALIDATION_FAILED', 'POOL_CSV_REQUIRED']).toContain(res.body.code);
      }
      await send(JSON.stringify({ external_id: 'r1' }), 'application/json').expect(400);
      expect(await db.query(`SELECT 1 FROM panel_pool_members WHERE panel_id = $1`, [panel.id])).toHaveLength(0);
    });

    it('is for the municipality admin only, and only while the pool is open', async () => {
      const panel = await createPanel(t.http, adminOfA, a.slug, smallPanelBody());
      const csv = 'external_id,gender,age\nr1,f,young\n';
      await t.http.post(url(panel.id)).set('Content-Type', 'text/csv').send(csv).expect(401);
      for (const caller of [citizen, staffOfA, adminOfB]) await caller.auth(t.http.post(url(panel.id))).set('Content-Type', 'text/csv').send(csv).expect(403);
      await adminOfA.auth(t.http.post(url(panel.id))).set('Content-Type', 'text/csv').send(csv).expect(200);
      // With people in the pool, quotas may change but not the feature and value codes.
      const patch = `/api/v1/municipalities/${a.slug}/panels/${panel.id}`;
      const renamed = smallPanelBody().features.map((f) => (f.code === 'age' ? { ...f, code: 'age_band' } : f));
      expect((await adminOfA.auth(t.http.patch(patch)).send({ features: renamed }).expect(409)).body.code).toBe('PANEL_POOL_NOT_EMPTY');
      const widened = smallPanelBody().features.map((f) => (f.code === 'age' ? { ...f, values: f.values.map((v) => ({ ...v, min: 0, max: 4 })) } : f));
      await adminOfA.auth(t.http.patch(patch)).send({ features: widened }).expect(200);
      await adminOfA.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/close`)).expect(200);
      await adminOfA.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/close`)).expect(409);
      await adminOfA.auth(t.http.post(url(panel.id))).set('Content-Type', 'text/csv').send(csv).expect(409);
      expect((await adminOfA.auth(t.http.patch(patch)).send({ size: 5 }).expect(409)).body.code).toBe('PANEL_POOL_CLOSED');
      await adminOfA.auth(t.http.patch(patch)).send({ purpose: 'Mobility' }).expect(200);
      const late = await resident(a, adminOfA);
      await late.auth(t.http.post(`/api/v1/panels/${panel.id}/volunteers`)).send(volunteerBody()).expect(409);
      await adminOfA.auth(t.http.post(url('00000000-0000-4000-8000-000000000000'))).set('Content-Type', 'text/csv').send(csv).expect(404);
    });
  });

  describe('selection', () => {
    async function poolOf(rows: string[], body = smallPanelBody()): Promise<string> {
      const panel = await createPanel(t.http, adminOfA, a.slug, body);
      await adminOfA.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/import`)).set('Content-Type', 'text/csv').send(['external_id,household,gender,age', ...rows].join('\n')).expect(200);
      return panel.id;
    }

    it('probabilities are for staff of the town only; the draw for its admin only', async () => {
      const id = await poolOf(['p1,h1,f,young', 'p2,h2,f,old', 'p3,h3,m,young', 'p4,h4,m,old', 'p5,h5,f,old']);
      const probs = `/api/v1/panels/${id}/selection-probabilities`;
      await t.http.get(probs).expect(401);
      for (const caller of [citizen, adminOfB]) await caller.auth(t.http.get(probs)).expect(403);
      const res = await staffOfA.auth(t.http.get(probs)).expect(200);
      // p3 and p4 are the only men: always on the panel. Three women share two seats.
      const byId = Object.fromEntries(res.body.probabilities.map((p: { id: string; probability: number }) => [p.id, p.probability]));
      expect(byId.p3).toBeCloseTo(1, 6);
      expect(byId.p4).toBeCloseTo(1, 6);
      expect(res.body.minimumProbability).toBeCloseTo(2 / 3, 4);
      await adminOfA.auth(t.http.post(`/api/v1/panels/${id}/pool/close`)).expect(200);
      for (const caller of [citizen, staffOfA, adminOfB]) await caller.auth(t.http.post(`/api/v1/panels/${id}/selections`)).send({ seed: '1' }).expect(403);
      await t.http.post(`/api/v1/panels/${id}/selections`).send({ seed: '1' }).expect(401);
      expect(fieldsOf(await adminOfA.auth(t.http.post(`/api/v1/panels/${id}/selections`)).send({}).expect(400))).toContain('seed');
      await adminOfA.auth(t.http.post(`/api/v1/panels/${id}/selections`)).send({ seed: '1' }).expect(201);
      const list = await staffOfA.auth(t.http.get(`/api/v1/panels/${id}/selections`)).expect(200);
      expect(list.body).toHaveLength(1);
      await adminOfB.auth(t.http.get(`/api/v1/panels/${id}/selections/${list.body[0].id}/run`)).expect(403);
    });

    it('the household rule: housemates are never drawn together', async () => {
      const id = await poolOf(['p1,same,f,young', 'p2,same,f,old', 'p3,h3,m,young', 'p4,h4,m,old', 'p5,h5,f,old']);
      const res = await staffOfA.auth(t.http.get(`/api/v1/panels/${id}/selection-probabilities`)).expect(200);
      const byId = Object.fromEntries(res.body.probabilities.map((p: { id: string; probability: number }) => [p.id, p.probability]));
      // Two seats for women, one per household: p5 always, p1 and p2 share the other.
      expect(byId.p5).toBeCloseTo(1, 6);
      expect(byId.p1 + byId.p2).toBeCloseTo(1, 6);
    });

    it('unmeetable quotas: 422 naming the failing quota', async () => {
      const id = await poolOf(['p1,h1,f,young', 'p2,h2,f,old', 'p3,h3,m,young', 'p5,h5,f,old']);
      const res = await staffOfA.auth(t.http.get(`/api/v1/panels/${id}/selection-probabilities`)).expect(422);
      expect(res.body.code).toBe('QUOTAS_INFEASIBLE');
      expect(fieldsOf(res)).toContain('quotas.gender.m');
    });
  });
});

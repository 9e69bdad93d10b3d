import { createMunicipality, memberSession } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession } from '../utils/sessions';

/** Each class of hostile input that used to reach a 500, refused at the edge with a 400 naming the field. */
describe('hostile input at the edge', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  const nested = (levels: number, inner = '1') => '['.repeat(levels) + inner + ']'.repeat(levels);

  it('refuses a body nested 20,000 levels deep, even on anonymous sign-in', async () => {
    const res = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send(`{"email":${nested(20_000)}}`).expect(400);
    expect(res.body).toMatchObject({ code: 'BODY_TOO_DEEP', details: [], meta: { maxDepth: 32 } });
  });

  it('refuses 3,000 levels inside one field of a signed-in route', async () => {
    const s = await createSession(t.http);
    const res = await s.auth(t.http.patch('/api/v1/me')).set('Content-Type', 'application/json').send(`{"displayName":${nested(3_000)}}`).expect(400);
    expect(res.body.code).toBe('BODY_TOO_DEEP');
  });

  it('still takes brackets inside strings and the nesting real bodies use', async () => {
    const s = await createSession(t.http);
    const name = '[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{{"';
    const res = await s.auth(t.http.patch('/api/v1/me')).send({ displayName: name }).expect(200);
    expect(res.body.displayName).toBe(name);
  });

  it('names a NUL character in a query parameter, a path parameter and a body field', async () => {
    const query = await t.http.get('/api/v1/municipalities?cursor=a%00b').expect(400);
    expect(query.body.details).toEqual([{ field: 'cursor', code: 'NUL_CHARACTER', message: expect.any(String) }]);
    const path = await t.http.get('/api/v1/municipalities/ab%00cd').expect(400);
    expect(path.body.details).toEqual([{ field: 'slug', code: 'NUL_CHARACTER', message: expect.any(String) }]);
    const body = await t.http.post('/api/v1/auth/login').send({ email: 'a\u0000@example.org', password: 'whatever-123' }).expect(400);
    expect(body.body.details).toEqual([{ field: 'email', code: 'NUL_CHARACTER', message: expect.any(String) }]);
  });

  it('names a lone surrogate in a body field and in a key', async () => {
    const res = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email":"a\\ud800@example.org","password":"whatever-123"}').expect(400);
    expect(res.body.details).toEqual([{ field: 'email', code: 'LONE_SURROGATE', message: expect.any(String) }]);
    const s = await createSession(t.http);
    const key = await s.auth(t.http.patch('/api/v1/me')).set('Content-Type', 'application/json').send('{"\\udc00x":"y"}').expect(400);
    expect(key.body.details[0]).toMatchObject({ code: 'LONE_SURROGATE' });
  });

  describe('null in an optional field', () => {
    it('is refused, naming the field, where the column takes no null', async () => {
      const s = await createSession(t.http);
      const me = await s.auth(t.http.patch('/api/v1/me')).send({ displayName: null }).expect(400);
      expect(me.body.details).toEqual([{ field: 'displayName', code: 'NOT_NULL', message: expect.any(String) }]);

      const admin = await platformAdminSession(t.http);
      const town = await createMunicipality(t.http, admin.accessToken);
      const renamed = await admin.auth(t.http.patch(`/api/v1/municipalities/${town.slug}`)).send({ name: null }).expect(400);
      expect(renamed.body.details).toEqual([{ field: 'name', code: 'NOT_NULL', message: expect.any(String) }]);
      const category = await createCategory(t.http, admin.accessToken, town.slug);
      const attributes = await admin.auth(t.http.patch(`/api/v1/municipalities/${town.slug}/categories/${category.code}`)).send({ attributes: null }).expect(400);
      expect(attributes.body.details).toEqual([{ field: 'attributes', code: 'NOT_NULL', message: expect.any(String) }]);

      const citizen = await createSession(t.http);
      const report = await createReport(t.http, citizen.accessToken, town, category.code);
      const staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
      const bulk = await staff.auth(t.http.post(`/api/v1/municipalities/${town.slug}/triage/bulk`)).send({ items: [{ id: report.id, version: report.version }], changes: { priority: null } }).expect(400);
      expect(bulk.body.details).toEqual([{ field: 'changes.priority', code: 'NOT_NULL', message: expect.any(String) }]);
      // Documented as nullable: null clears the assignee.
      await staff.auth(t.http.post(`/api/v1/municipalities/${town.slug}/triage/bulk`)).send({ items: [{ id: report.id, version: report.version }], changes: { assigneeId: null } }).expect(200);
    });
  });
});

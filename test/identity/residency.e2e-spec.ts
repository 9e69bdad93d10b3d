import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

const CODE_SHAPE = /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}-[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{4}$/;
const DAY_MS = 86_400_000;

function fieldsOf(res: Response): string[] {
  return (res.body.details as Array<{ field: string }>).map((d) => d.field);
}

function hashOf(code: string): string {
  return createHash('sha256').update(code.replace(/-/g, '')).digest('hex');
}

/** A documentation-range address per test, so rate-limit counters never meet. */
function randomIp(): string {
  return `198.51.100.${1 + (randomBytes(1)[0] % 250)}`;
}

// Signing up hashes passwords with argon2id: set-up hooks take a few seconds.
jest.setTimeout(60_000);

describe('residency', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let a: TestMunicipality;
  let b: TestMunicipality;
  let adminOfA: Session;
  let staffOfA: Session;
  let facilitatorOfA: Session;
  let adminOfB: Session;
  let staffOfB: Session;

  const codesUrl = (slug: string) => `/api/v1/municipalities/${slug}/residency-codes`;
  const redeemUrl = (slug: string) => `/api/v1/municipalities/${slug}/residency`;
  const residentUrl = (slug: string, userId: string) => `/api/v1/municipalities/${slug}/residents/${userId}`;

  async function codesFor(slug: string, count = 1, by: Session = adminOfA): Promise<string[]> {
    const res = await by.auth(t.http.post(codesUrl(slug))).send({ count }).expect(201);
    return res.body.codes as string[];
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    a = await createMunicipality(t.http, admin.accessToken, { name: 'Wattrelos' });
    b = await createMunicipality(t.http, admin.accessToken, { name: 'Croix' });
    adminOfA = await memberSession(t.http, admin.accessToken, a.slug, ['admin']);
    staffOfA = await memberSession(t.http, admin.accessToken, a.slug, ['staff']);
    facilitatorOfA = await memberSession(t.http, admin.accessToken, a.slug, ['facilitator']);
    adminOfB = await memberSession(t.http, admin.accessToken, b.slug, ['admin']);
    staffOfB = await memberSession(t.http, admin.accessToken, b.slug, ['staff']);
  });
  afterAll(() => t.close());

  describe('POST /api/v1/municipalities/:slug/residency-codes', () => {
    it('gives the municipality admin fresh, distinct, grouped codes once, and keeps only their hashes', async () => {
      const before = Date.now();
      const res = await adminOfA.auth(t.http.post(codesUrl(a.slug))).send({ count: 25 }).expect(201);
      expect(res.body.codes).toHaveLength(25);
      expect(new Set(res.body.codes).size).toBe(25);
      for (const code of res.body.codes) expect(code).toMatch(CODE_SHAPE);
      const expiresAt = new Date(res.body.expiresAt).getTime();
      expect(expiresAt - before).toBeGreaterThanOrEqual(90 * DAY_MS - 1000);
      expect(expiresAt - before).toBeLessThanOrEqual(90 * DAY_MS + 60_000);

      const rows = await db.query(`SELECT code_hash, created_by_id, redeemed_at FROM residency_codes WHERE code_hash = ANY($1)`, [
        res.body.codes.map(hashOf),
      ]);
      expect(rows).toHaveLength(25);
      for (const row of rows) expect(row).toEqual({ code_hash: expect.stringMatching(/^[0-9a-f]{64}$/), created_by_id: adminOfA.user.id, redeemed_at: null });
      const plain = await db.query(`SELECT count(*)::int AS n FROM residency_codes WHERE code_hash = ANY($1)`, [res.body.codes]);
      expect(plain[0].n).toBe(0);
    });

    it('honours expiresInDays and audits the batch without the codes', async () => {
      const before = Date.now();
      const res = await adminOfA.auth(t.http.post(codesUrl(a.slug))).send({ count: 3, expiresInDays: 7 }).expect(201);
      expect(new Date(res.body.expiresAt).getTime() - before).toBeLessThanOrEqual(7 * DAY_MS + 60_000);
      expect(new Date(res.body.expiresAt).getTime() - before).toBeGreaterThanOrEqual(7 * DAY_MS - 1000);
      const audit = await adminOfA.auth(t.http.get(`/api/v1/municipalities/${a.slug}/audit`)).query({ action: 'residency.codes_generated', limit: 1 }).expect(200);
      expect(audit.body.items[0]).toMatchObject({ actorId: adminOfA.user.id, after: { count: 3, expiresAt: res.body.expiresAt } });
      expect(JSON.stringify(audit.body)).not.toContain(res.body.codes[0]);
    });

    it('generates up to 1000 codes in one go', async () => {
      const res = await admin.auth(t.http.post(codesUrl(b.slug))).send({ count: 1000 }).expect(201);
      expect(new Set(res.body.codes).size).toBe(1000);
    });

    it("is for that municipality's admin: staff, other towns' admins and citizens get 403", async () => {
      const citizen = await createSession(t.http);
      for (const caller of [staffOfA, facilitatorOfA, adminOfB, staffOfB, citizen]) {
        const res = await caller.auth(t.http.post(codesUrl(a.slug))).send({ count: 1 }).expect(403);
        expect(res.body.code).toBe('FORBIDDEN');
      }
      await t.http.post(codesUrl(a.slug)).send({ count: 1 }).expect(401);
      await adminOfA.auth(t.http.post(codesUrl('no-such-town'))).send({ count: 1 }).expect(404);
    });

    it.each<[string, unknown, string]>([
      ['a count of 0', { count: 0 }, 'count'],
      ['a count of 1001', { count: 1001 }, 'count'],
      ['a fractional count', { count: 2.5 }, 'count'],
      ['a count given as a string', { count: '5' }, 'count'],
      ['a missing count', { expiresInDays: 30 }, 'count'],
      ['expiresInDays of 0', { count: 1, expiresInDays: 0 }, 'expiresInDays'],
      ['expiresInDays of 366', { count: 1, expiresInDays: 366 }, 'expiresInDays'],
      ['an unknown field', { count: 1, prefix: 'LILLE' }, 'prefix'],
    ])('answers 400 naming the field for %s', async (_why, body, field) => {
      const res = await adminOfA.auth(t.http.post(codesUrl(a.slug))).send(body as object).expect(400);
      expect(fieldsOf(res)).toContain(field);
    });

    it('answers 400 naming count for a missing body', async () => {
      expect(fieldsOf(await adminOfA.auth(t.http.post(codesUrl(a.slug))).expect(400))).toContain('count');
    });
  });

  describe('POST /api/v1/municipalities/:slug/residency', () => {
    it('makes the person a resident; the code works once, for one person', async () => {
      const [code] = await codesFor(a.slug);
      const first = await createSession(t.http);
      const typed = ` ${code.toLowerCase().replace(/-/g, ' ')} `;
      const res = await first.auth(t.http.post(redeemUrl(a.slug))).send({ code: typed }).expect(201);
      expect(res.body).toEqual({ municipalityId: a.id, userId: first.user.id, method: 'code', verifiedById: null, verifiedAt: expect.any(String), districtId: null, birthYear: null });

      const second = await createSession(t.http);
      const used = await second.auth(t.http.post(redeemUrl(a.slug))).send({ code }).expect(410);
      expect(used.body.code).toBe('RESIDENCY_CODE_USED');
      const again = await first.auth(t.http.post(redeemUrl(a.slug))).send({ code }).expect(409);
      expect(again.body.code).toBe('ALREADY_RESIDENT');

      const [row] = await db.query(`SELECT redeemed_by_id FROM residency_codes WHERE code_hash = $1`, [hashOf(code)]);
      expect(row.redeemed_by_id).toBe(first.user.id);
      const events = await db.query(`SELECT payload FROM outbox_events WHERE type = 'identity.residency_verified' AND aggregate_id = $1`, [first.user.id]);
      expect(events).toEqual([{ payload: { municipalityId: a.id, userId: first.user.id, method: 'code' } }]);
    });

    it('refuses a resident a second code with ALREADY_RESIDENT, leaving that code for someone else', async () => {
      const [one, two] = await codesFor(a.slug, 2);
      const resident = await createSession(t.http);
      await resident.auth(t.http.post(redeemUrl(a.slug))).send({ code: one }).expect(201);
      const res = await resident.auth(t.http.post(redeemUrl(a.slug))).send({ code: two }).expect(409);
      expect(res.body.code).toBe('ALREADY_RESIDENT');
      const neighbour = await createSession(t.http);
      await neighbour.auth(t.http.post(redeemUrl(a.slug))).send({ code: two }).expect(201);
    });

    it('lets only one of two people racing for one code win', async () => {
      const [code] = await codesFor(a.slug);
      const racers = await Promise.all([createSession(t.http), createSession(t.http), createSession(t.http)]);
      const results = await Promise.all(racers.map((s) => s.auth(t.http.post(redeemUrl(a.slug))).send({ code })));
      expect(results.map((r) => r.status).sort()).toEqual([201, 410, 410]);
    });

    it("answers one way for an unknown code and another municipality's code: 400 RESIDENCY_CODE_INVALID", async () => {
      const [codeOfB] = await codesFor(b.slug, 1, adminOfB);
      const person = await createSession(t.http);
      const foreign = await person.auth(t.http.post(redeemUrl(a.slug))).send({ code: codeOfB }).expect(400);
      const unknown = await person.auth(t.http.post(redeemUrl(a.slug))).send({ code: 'ABCD-EFGH-JKMN' }).expect(400);
      const garbage = await person.auth(t.http.post(redeemUrl(a.slug))).send({ code: 'open sesame' }).expect(400);
      for (const res of [foreign, unknown, garbage]) {
        expect(res.body).toMatchObject({ code: 'RESIDENCY_CODE_INVALID', message: foreign.body.message, details: [{ field: 'code' }] });
      }
      // B's code was not consumed by the attempt at A.
      await person.auth(t.http.post(redeemUrl(b.slug))).send({ code: codeOfB }).expect(201);
    });

    it('refuses an expired code as invalid', async () => {
      const [code] = await codesFor(a.slug);
      await db.query(`UPDATE residency_codes SET expires_at = now() - interval '1 second' WHERE code_hash = $1`, [hashOf(code)]);
      const person = await createSession(t.http);
      const res = await person.auth(t.http.post(redeemUrl(a.slug))).send({ code }).expect(400);
      expect(res.body.code).toBe('RESIDENCY_CODE_INVALID');
    });

    it('needs a signed-in person and a known municipality', async () => {
      const [code] = await codesFor(a.slug);
      await t.http.post(redeemUrl(a.slug)).send({ code }).expect(401);
      const person = await createSession(t.http);
      const res = await person.auth(t.http.post(redeemUrl('no-such-town'))).send({ code }).expect(404);
      expect(res.body.code).toBe('MUNICIPALITY_NOT_FOUND');
    });

    it.each<[string, unknown, string]>([
      ['a missing code', {}, 'code'],
      ['an empty code', { code: '' }, 'code'],
      ['a numeric code', { code: 123456789012 }, 'code'],
      ['a 65-character code', { code: 'A'.repeat(65) }, 'code'],
      ['a huge code', { code: 'A'.repeat(300_000) }, 'code'],
      ['an unknown field', { code: 'ABCD-EFGH-JKMN', userId: randomUUID() }, 'userId'],
    ])('answers 400 naming the field for %s', async (_why, body, field) => {
      const person = await createSession(t.http);
      const res = await person.auth(t.http.post(redeemUrl(a.slug))).send(body as object).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain(field);
    });
  });

  describe('PUT and DELETE /api/v1/municipalities/:slug/residents/:userId', () => {
    it('lets staff verify a person directly (201, then 200), audited', async () => {
      const person = await createSession(t.http);
      const res = await staffOfA.auth(t.http.put(residentUrl(a.slug, person.user.id))).expect(201);
      expect(res.body).toEqual({ municipalityId: a.id, userId: person.user.id, method: 'staff', verifiedById: staffOfA.user.id, verifiedAt: res.body.verifiedAt, districtId: null, birthYear: null });
      const again = await adminOfA.auth(t.http.put(residentUrl(a.slug, person.user.id))).expect(200);
      expect(again.body).toEqual(res.body);
      // A verified resident cannot spend a code on the same town.
      const [code] = await codesFor(a.slug);
      await person.auth(t.http.post(redeemUrl(a.slug))).send({ code }).expect(409);

      const audit = await adminOfA.auth(t.http.get(`/api/v1/municipalities/${a.slug}/audit`)).query({ targetId: person.user.id }).expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({ action: 'residency.verified', actorId: staffOfA.user.id, before: null, after: { method: 'staff', verifiedById: staffOfA.user.id, codeId: null, districtId: null, birthYearKnown: false } }),
      ]);
    });

    it('revokes a residency (204), after which the person may redeem a code again', async () => {
      const person = await createSession(t.http);
      await staffOfA.auth(t.http.put(residentUrl(a.slug, person.user.id))).expect(201);
      await staffOfA.auth(t.http.delete(residentUrl(a.slug, person.user.id))).expect(204);
      const gone = await staffOfA.auth(t.http.delete(residentUrl(a.slug, person.user.id))).expect(404);
      expect(gone.body.code).toBe('RESIDENCY_NOT_FOUND');
      const mine = await person.auth(t.http.get('/api/v1/me/residencies')).expect(200);
      expect(mine.body.items).toEqual([]);
      const [code] = await codesFor(a.slug);
      await person.auth(t.http.post(redeemUrl(a.slug))).send({ code }).expect(201);
      const audit = await adminOfA.auth(t.http.get(`/api/v1/municipalities/${a.slug}/audit`)).query({ action: 'residency.revoked', targetId: person.user.id }).expect(200);
      expect(audit.body.items).toEqual([expect.objectContaining({ before: expect.objectContaining({ method: 'staff' }), after: null })]);
    });

    it("is for that municipality's staff and admins: facilitators, citizens and other towns' staff get 403", async () => {
      const person = await createSession(t.http);
      const citizen = await createSession(t.http);
      for (const caller of [facilitatorOfA, citizen, staffOfB, adminOfB, person]) {
        await caller.auth(t.http.put(residentUrl(a.slug, person.user.id))).expect(403);
        await caller.auth(t.http.delete(residentUrl(a.slug, person.user.id))).expect(403);
      }
      await t.http.put(residentUrl(a.slug, person.user.id)).expect(401);
      const mine = await person.auth(t.http.get('/api/v1/me/residencies')).expect(200);
      expect(mine.body.items).toEqual([]);
    });

    it('answers 404 for an unknown person and 400 naming userId for a malformed one', async () => {
      const res = await staffOfA.auth(t.http.put(residentUrl(a.slug, randomUUID()))).expect(404);
      expect(res.body.code).toBe('USER_NOT_FOUND');
      for (const bad of ['42', 'not-a-uuid', 'z'.repeat(500)]) {
        expect(fieldsOf(await staffOfA.auth(t.http.put(residentUrl(a.slug, bad))).expect(400))).toEqual(['userId']);
        expect(fieldsOf(await staffOfA.auth(t.http.delete(residentUrl(a.slug, bad))).expect(400))).toEqual(['userId']);
      }
    });
  });

  describe('GET /api/v1/me/residencies', () => {
    it('lists where the caller is a verified resident, and only theirs', async () => {
      const person = await createSession(t.http);
      const [code] = await codesFor(a.slug);
      await person.auth(t.http.post(redeemUrl(a.slug))).send({ code }).expect(201);
      await staffOfB.auth(t.http.put(residentUrl(b.slug, person.user.id))).expect(201);
      const res = await person.auth(t.http.get('/api/v1/me/residencies')).expect(200);
      expect(res.body.items).toEqual([
        { municipality: { id: b.id, slug: b.slug, name: 'Croix' }, method: 'staff', verifiedAt: expect.any(String) },
        { municipality: { id: a.id, slug: a.slug, name: 'Wattrelos' }, method: 'code', verifiedAt: expect.any(String) },
      ]);
      const other = await createSession(t.http);
      expect((await other.auth(t.http.get('/api/v1/me/residencies')).expect(200)).body.items).toEqual([]);
      await t.http.get('/api/v1/me/residencies').expect(401);
    });
  });

  // Last on purpose: a second app re-registers passport's global 'jwt' strategy (see auth.e2e-spec).
  describe('brute force on redemption', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '5' } });
    });
    afterAll(() => strict.close());

    it('puts code redemption under the stricter per-IP limit of authentication routes', async () => {
      // Signed up through the lenient app: sign-ups from loopback are under the same strict limit.
      const person = await createSession(t.http);
      const ip = randomIp();
      const statuses: number[] = [];
      for (let i = 0; i < 7; i++) {
        const res = await person.auth(strict.http.post(redeemUrl(a.slug))).set('X-Forwarded-For', ip).send({ code: 'ABCD-EFGH-JKMN' });
        statuses.push(res.status);
      }
      expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429]);
      // Other routes are not under that limit.
      await person.auth(strict.http.get('/api/v1/me/residencies')).set('X-Forwarded-For', ip).expect(200);
    });
  });
});

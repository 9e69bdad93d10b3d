import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';

/**
 * A municipality's admins find a person by exact e-mail (to grant a role or verify residency) and
 * list the town's verified residents; nobody else learns anything about who has an account.
 */
describe('people: finding a person, listing residents', () => {
  let t: TestApp;
  let db: DataSource;
  let town: TestMunicipality;
  let platform: Session;
  let admin: Session;
  let staff: Session;
  let otherAdmin: Session;
  let citizen: Session;
  let resident: Session;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Annuaireville' });
    const elsewhere = await createMunicipality(t.http, platform.accessToken, { name: 'Ailleurs' });
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    otherAdmin = await memberSession(t.http, platform.accessToken, elsewhere.slug, ['admin']);
    citizen = await createSession(t.http);
    resident = await createSession(t.http, { displayName: 'Rosa Resident' });
    await admin.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${resident.user.id}`)).expect(201);
  });
  afterAll(() => t.close());

  const lookup = (who: Session | undefined, email: string, slug = town.slug) => {
    const req = t.http.post(`/api/v1/municipalities/${slug}/people/lookup`).send({ email });
    return who ? who.auth(req) : req;
  };
  const residents = (who: Session | undefined, query = '') => {
    const req = t.http.get(`/api/v1/municipalities/${town.slug}/residents${query}`);
    return who ? who.auth(req) : req;
  };

  describe('POST /api/v1/municipalities/:slug/people/lookup', () => {
    it('gives an admin the id, name, roles and residency here, and nothing else', async () => {
      const res = await lookup(admin, `  ${resident.user.email.toUpperCase()} `).expect(200);
      expect(res.body).toEqual({ id: resident.user.id, displayName: 'Rosa Resident', roles: [], residentSince: expect.any(String) });
      const ofStaff = await lookup(admin, staff.user.email).expect(200);
      expect(ofStaff.body).toMatchObject({ id: staff.user.id, roles: ['staff'], residentSince: null });
      // The platform admin may too.
      await lookup(platform, resident.user.email).expect(200);
    });

    it('is audited, found or not, without the address', async () => {
      await lookup(admin, resident.user.email).expect(200);
      const missing = await lookup(admin, 'nobody-here@test.local').expect(404);
      expect(missing.body.code).toBe('USER_NOT_FOUND');
      const entries = (await admin.auth(t.http.get(`/api/v1/municipalities/${town.slug}/audit?action=person.looked_up&limit=100`)).expect(200)).body.items as Array<{
        actorId: string;
        targetType: string;
        targetId: string;
        after: unknown;
      }>;
      expect(entries).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ actorId: admin.user.id, targetType: 'user', targetId: resident.user.id, after: { found: true } }),
          expect.objectContaining({ actorId: admin.user.id, targetType: 'municipality', targetId: town.id, after: { found: false } }),
        ]),
      );
      expect(JSON.stringify(entries)).not.toContain('nobody-here');
    });

    it.each([
      ['a citizen', () => citizen],
      ['staff of the town', () => staff],
      ['an admin of another town', () => otherAdmin],
    ])('refuses %s with the same 403 whether or not the address exists', async (_, who) => {
      const known = await lookup(who(), resident.user.email).expect(403);
      const unknown = await lookup(who(), 'nobody-at-all@test.local').expect(403);
      expect(known.body.code).toBe('FORBIDDEN');
      expect(unknown.body).toEqual(known.body);
    });

    it('refuses anonymous callers (401)', async () => {
      await lookup(undefined, resident.user.email).expect(401);
    });

    it('matches the exact address only: a pattern finds nobody', async () => {
      await lookup(admin, '%@test.local').expect(404);
      await lookup(admin, `%${resident.user.email.slice(3)}`).expect(404);
    });

    it('does not find an erased account', async () => {
      const leaver = await createSession(t.http);
      await leaver.auth(t.http.delete('/api/v1/me')).send({ password: leaver.user.password }).expect(204);
      await lookup(admin, leaver.user.email).expect(404);
    });

    it.each([
      ['no address', {}],
      ['a malformed address', { email: 'not-an-address' }],
      ['a huge address', { email: `${'a'.repeat(300)}@test.local` }],
    ])('refuses %s with 400 naming email', async (_, body) => {
      const res = await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/people/lookup`)).send(body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('email');
    });
  });

  describe('GET /api/v1/municipalities/:slug/residents', () => {
    it('lists the verified residents newest first, page by page', async () => {
      const more = [await createSession(t.http, { displayName: 'Second Resident' }), await createSession(t.http, { displayName: 'Third Resident' })];
      for (const s of more) await admin.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${s.user.id}`)).expect(201);
      const seen: Array<{ userId: string; displayName: string; method: string }> = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: typeof seen; nextCursor: string | null } } = await residents(admin, `?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`).expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen.map((r) => r.displayName)).toEqual(['Third Resident', 'Second Resident', 'Rosa Resident']);
      expect(seen[0]).toEqual({ userId: more[1].user.id, displayName: 'Third Resident', method: 'staff', verifiedAt: expect.any(String) });
      await residents(platform).expect(200);
    });

    it.each([
      ['a citizen', () => citizen],
      ['a resident', () => resident],
      ['staff of the town', () => staff],
      ['an admin of another town', () => otherAdmin],
    ])('refuses %s (403)', async (_, who) => {
      expect((await residents(who()).expect(403)).body.code).toBe('FORBIDDEN');
    });

    it('refuses anonymous callers (401)', async () => {
      await residents(undefined).expect(401);
    });

    it('refuses a forged cursor and a bad limit with 400', async () => {
      const forged = Buffer.from(JSON.stringify({ t: 'not a date', id: 'x' })).toString('base64url');
      await residents(admin, `?cursor=${forged}`).expect(400);
      await residents(admin, '?limit=100000').expect(400);
    });

    it('is served by the residents index', async () => {
      const runner = db.createQueryRunner();
      try {
        // A test town has a handful of rows, where a scan wins: ask which index PostgreSQL would use.
        await runner.query('SET enable_seqscan = off');
        await runner.query('SET enable_bitmapscan = off');
        const plan: unknown = await runner.query(
          `EXPLAIN (FORMAT JSON) SELECT r.user_id FROM residencies r WHERE r.municipality_id = $1 ORDER BY r.verified_at DESC, r.user_id DESC LIMIT 51`,
          [town.id],
        );
        expect(JSON.stringify(plan)).toContain('residencies_municipality_verified_idx');
        expect(JSON.stringify(plan)).not.toContain('"Sort"');
      } finally {
        await runner.query('RESET enable_seqscan');
        await runner.query('RESET enable_bitmapscan');
        await runner.release();
      }
    });
  });

  describe('POST /api/v1/municipalities/:slug/residents/search (the paper ballot desk)', () => {
    let otherStaff: Session;
    let elsewhereResident: Session;
    beforeAll(async () => {
      const third = await createMunicipality(t.http, platform.accessToken, { name: 'Troisièmeville' });
      otherStaff = await memberSession(t.http, platform.accessToken, third.slug, ['staff']);
      // A resident of another town with a matching name: never found from here.
      elsewhereResident = await createSession(t.http, { displayName: 'Rosalie Ailleurs' });
      await platform.auth(t.http.put(`/api/v1/municipalities/${third.slug}/residents/${elsewhereResident.user.id}`)).expect(201);
      await createSession(t.http, { displayName: 'Rosine Pasrésidente' });
      await admin.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${(await createSession(t.http, { displayName: 'Hélène Rösa' })).user.id}`)).expect(201);
    });
    const search = (who: Session | undefined, q: unknown, slug = town.slug) => {
      const req = t.http.post(`/api/v1/municipalities/${slug}/residents/search`).send({ q });
      return who ? who.auth(req) : req;
    };

    it("gives staff here the town's verified residents matching a name fragment, accents and case aside: id and name only", async () => {
      const res = await search(staff, '  ROSA ').expect(200);
      expect(res.body).toEqual({
        items: [
          { id: expect.any(String), displayName: 'Hélène Rösa' },
          { id: resident.user.id, displayName: 'Rosa Resident' },
        ],
        more: false,
      });
    });

    it('finds a resident by a fragment of the address, and never a non-resident or a resident of another town', async () => {
      const local = resident.user.email.split('@')[0];
      expect((await search(staff, local.slice(2)).expect(200)).body.items).toEqual([{ id: resident.user.id, displayName: 'Rosa Resident' }]);
      expect((await search(staff, 'Rosine').expect(200)).body.items).toEqual([]);
      expect((await search(staff, 'Rosalie').expect(200)).body.items).toEqual([]);
      expect((await search(staff, elsewhereResident.user.email).expect(200)).body.items).toEqual([]);
    });

    it('does not find a resident who erased their account', async () => {
      const leaver = await createSession(t.http, { displayName: 'Rosanne Partie' });
      await admin.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${leaver.user.id}`)).expect(201);
      expect((await search(staff, 'Rosanne').expect(200)).body.items).toEqual([{ id: leaver.user.id, displayName: 'Rosanne Partie' }]);
      await leaver.auth(t.http.delete('/api/v1/me')).send({ password: leaver.user.password }).expect(204);
      expect((await search(staff, 'Rosanne').expect(200)).body.items).toEqual([]);
    });

    it('takes % and _ literally', async () => {
      expect((await search(staff, '%%%').expect(200)).body.items).toEqual([]);
      expect((await search(staff, '___').expect(200)).body.items).toEqual([]);
    });

    it('answers admins here and the platform admin too', async () => {
      expect((await search(admin, 'rosa').expect(200)).body.items).toHaveLength(2);
      expect((await search(platform, 'rosa').expect(200)).body.items).toHaveLength(2);
    });

    it('is audited with the count, without the fragment', async () => {
      await search(staff, 'Resident').expect(200);
      const entries = (await admin.auth(t.http.get(`/api/v1/municipalities/${town.slug}/audit?action=resident.searched&limit=100`)).expect(200)).body.items as Array<{ actorId: string; after: unknown }>;
      expect(entries).toEqual(expect.arrayContaining([expect.objectContaining({ actorId: staff.user.id, targetType: 'municipality', targetId: town.id, after: { results: 1 } })]));
      expect(JSON.stringify(entries)).not.toMatch(/Resident"|ROSA|rosa/);
    });

    it('says when more than ten match', async () => {
      for (let i = 0; i < 11; i++) {
        const s = await createSession(t.http, { displayName: `Homonyme ${i}` });
        await admin.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${s.user.id}`)).expect(201);
      }
      const res = await search(staff, 'homonyme').expect(200);
      expect(res.body.items).toHaveLength(10);
      expect(res.body.more).toBe(true);
    });

    it.each([
      ['a citizen', () => citizen],
      ['a resident', () => resident],
      ['staff of another town', () => otherStaff],
      ['an admin of another town', () => otherAdmin],
    ])('refuses %s (403), whatever matches', async (_, who) => {
      const res = await search(who(), 'rosa').expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      expect(JSON.stringify(res.body)).not.toContain('Rosa');
    });

    it('refuses anonymous callers (401)', async () => {
      await search(undefined, 'rosa').expect(401);
    });

    it('answers 404 for an unknown town', async () => {
      expect((await search(staff, 'rosa', 'no-such-town').expect(404)).body.code).toBe('MUNICIPALITY_NOT_FOUND');
    });

    it.each([
      ['no fragment', undefined],
      ['two characters', 'ro'],
      ['spaces around two characters', '  ro  '],
      ['a number', 12345],
      ['a huge fragment', 'a'.repeat(101)],
    ])('refuses %s with 400 naming q', async (_, q) => {
      const res = await search(staff, q).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain('q');
    });

    it('refuses unknown fields with 400', async () => {
      const res = await staff.auth(t.http.post(`/api/v1/municipalities/${town.slug}/residents/search`)).send({ q: 'rosa', email: 'x' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });
  });
});

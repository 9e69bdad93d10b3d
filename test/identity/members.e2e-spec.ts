import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createMunicipality, grantRoles, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, registerUser, Session } from '../utils/sessions';

function fieldsOf(res: Response): string[] {
  return (res.body.details as Array<{ field: string }>).map((d) => d.field);
}

// Signing up hashes passwords with argon2id: set-up hooks take a few seconds.
jest.setTimeout(60_000);

describe('municipality members and the audit trail', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let citizen: Session;
  let a: TestMunicipality;
  let b: TestMunicipality;
  let adminOfA: Session;
  let staffOfA: Session;
  let facilitatorOfA: Session;
  let adminOfB: Session;
  let staffOfB: Session;

  const members = (slug: string) => `/api/v1/municipalities/${slug}/members`;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    citizen = await createSession(t.http);
    a = await createMunicipality(t.http, admin.accessToken, { name: 'Town A' });
    b = await createMunicipality(t.http, admin.accessToken, { name: 'Town B' });
    adminOfA = await memberSession(t.http, admin.accessToken, a.slug, ['admin']);
    staffOfA = await memberSession(t.http, admin.accessToken, a.slug, ['staff']);
    facilitatorOfA = await memberSession(t.http, admin.accessToken, a.slug, ['facilitator']);
    adminOfB = await memberSession(t.http, admin.accessToken, b.slug, ['admin']);
    staffOfB = await memberSession(t.http, admin.accessToken, b.slug, ['staff']);
  });
  afterAll(() => t.close());

  describe('PUT /api/v1/municipalities/:slug/members/:userId', () => {
    it('lets the platform admin grant roles: 200 with the membership, roles in a fixed order', async () => {
      const person = await registerUser(t.http, { displayName: 'Nadia Benali' });
      const res = await admin
        .auth(t.http.put(`${members(a.slug)}/${person.id}`))
        .send({ roles: ['admin', 'staff'], department: '  Voirie  ' })
        .expect(200);
      expect(res.body).toEqual({
        municipalityId: a.id,
        userId: person.id,
        displayName: 'Nadia Benali',
        roles: ['staff', 'admin'],
        department: 'Voirie',
        createdAt: expect.any(String),
        updatedAt: expect.any(String),
      });
      const events = await db.query(`SELECT type, payload, municipality_id FROM outbox_events WHERE type = 'identity.roles_changed' AND aggregate_id = $1`, [
        person.id,
      ]);
      expect(events).toEqual([
        { type: 'identity.roles_changed', municipality_id: a.id, payload: { municipalityId: a.id, userId: person.id, roles: ['staff', 'admin'], department: 'Voirie' } },
      ]);
    });

    it("lets a municipality's admin grant roles in their own municipality only", async () => {
      const person = await registerUser(t.http);
      await adminOfA.auth(t.http.put(`${members(a.slug)}/${person.id}`)).send({ roles: ['facilitator'] }).expect(200);
      const res = await adminOfA.auth(t.http.put(`${members(b.slug)}/${person.id}`)).send({ roles: ['staff'] }).expect(403);
      expect(res.body.code).toBe('FORBIDDEN');
      // Nor may they make themselves admin of B.
      await adminOfA.auth(t.http.put(`${members(b.slug)}/${adminOfA.user.id}`)).send({ roles: ['admin'] }).expect(403);
      const listed = await adminOfB.auth(t.http.get(members(b.slug))).query({ limit: 100 }).expect(200);
      expect(listed.body.items.map((m: { userId: string }) => m.userId)).not.toContain(person.id);
    });

    it('refuses staff, facilitators, citizens (403) and anonymous callers (401)', async () => {
      const person = await registerUser(t.http);
      for (const caller of [staffOfA, facilitatorOfA, citizen]) {
        await caller.auth(t.http.put(`${members(a.slug)}/${person.id}`)).send({ roles: ['staff'] }).expect(403);
      }
      await caller401(`${members(a.slug)}/${person.id}`);
      // Not even to promote themselves.
      await staffOfA.auth(t.http.put(`${members(a.slug)}/${staffOfA.user.id}`)).send({ roles: ['staff', 'admin'] }).expect(403);
    });

    async function caller401(url: string) {
      await t.http.put(url).send({ roles: ['staff'] }).expect(401);
    }

    it('takes effect at once, and an empty list removes the membership (204)', async () => {
      const person = await createSession(t.http);
      await person.auth(t.http.get(members(a.slug))).expect(403);
      await grantRoles(t.http, adminOfA.accessToken, a.slug, person.user.id, ['staff']);
      await person.auth(t.http.get(members(a.slug))).expect(200);
      const res = await adminOfA.auth(t.http.put(`${members(a.slug)}/${person.user.id}`)).send({ roles: [] }).expect(204);
      expect(res.text).toBe('');
      await person.auth(t.http.get(members(a.slug))).expect(403);
      // Removing again is a no-op.
      await adminOfA.auth(t.http.put(`${members(a.slug)}/${person.user.id}`)).send({ roles: [] }).expect(204);
    });

    it('keeps the department when omitted and clears it when empty', async () => {
      const person = await registerUser(t.http);
      const url = `${members(a.slug)}/${person.id}`;
      await adminOfA.auth(t.http.put(url)).send({ roles: ['staff'], department: 'Propreté' }).expect(200);
      const kept = await adminOfA.auth(t.http.put(url)).send({ roles: ['staff', 'facilitator'] }).expect(200);
      expect(kept.body).toMatchObject({ roles: ['staff', 'facilitator'], department: 'Propreté' });
      const cleared = await adminOfA.auth(t.http.put(url)).send({ roles: ['staff'], department: '' }).expect(200);
      expect(cleared.body.department).toBeNull();
      const nulled = await adminOfA.auth(t.http.put(url)).send({ roles: ['staff'], department: null }).expect(200);
      expect(nulled.body.department).toBeNull();
    });

    it('answers 404 for an unknown user or municipality', async () => {
      const res = await admin.auth(t.http.put(`${members(a.slug)}/${randomUUID()}`)).send({ roles: ['staff'] }).expect(404);
      expect(res.body.code).toBe('USER_NOT_FOUND');
      const person = await registerUser(t.http);
      const nowhere = await admin.auth(t.http.put(`${members('no-such-town')}/${person.id}`)).send({ roles: ['staff'] }).expect(404);
      expect(nowhere.body.code).toBe('MUNICIPALITY_NOT_FOUND');
    });

    it.each(['not-a-uuid', '123', "1' OR '1'='1", 'x'.repeat(2000)])('answers 400 naming userId for the parameter %s', async (userId) => {
      const res = await adminOfA.auth(t.http.put(`${members(a.slug)}/${encodeURIComponent(userId)}`)).send({ roles: ['staff'] }).expect(400);
      expect(fieldsOf(res)).toEqual(['userId']);
    });

    it.each<[string, unknown, string]>([
      ['a missing roles field', { department: 'Voirie' }, 'roles'],
      ['roles that are not a list', { roles: 'staff' }, 'roles'],
      ['an unknown role', { roles: ['mayor'] }, 'roles'],
      ['a repeated role', { roles: ['staff', 'staff'] }, 'roles'],
      ['too many roles', { roles: ['staff', 'facilitator', 'admin', 'staff'] }, 'roles'],
      ['a role that is not a string', { roles: [{ name: 'admin' }] }, 'roles'],
      ['a 101-character department', { roles: ['staff'], department: 'd'.repeat(101) }, 'department'],
      ['a huge department', { roles: ['staff'], department: 'd'.repeat(300_000) }, 'department'],
      ['a numeric department', { roles: ['staff'], department: 7 }, 'department'],
      ['an unknown field', { roles: ['staff'], isPlatformAdmin: true }, 'isPlatformAdmin'],
    ])('answers 400 naming the field for %s', async (_why, body, field) => {
      const person = await registerUser(t.http);
      const res = await adminOfA.auth(t.http.put(`${members(a.slug)}/${person.id}`)).send(body as object).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(fieldsOf(res)).toContain(field);
    });

    it('answers 400 naming roles for a missing body', async () => {
      const person = await registerUser(t.http);
      const res = await adminOfA.auth(t.http.put(`${members(a.slug)}/${person.id}`)).expect(400);
      expect(fieldsOf(res)).toContain('roles');
    });
  });

  describe('GET /api/v1/municipalities/:slug/members', () => {
    it("lists a municipality's members with display names, by name, keyset-paginated", async () => {
      const town = await createMunicipality(t.http, admin.accessToken);
      const names = ['Zoé Lambert', 'Amine Haddad', 'Manon Lefebvre'];
      for (const displayName of names) {
        const person = await registerUser(t.http, { displayName });
        await grantRoles(t.http, admin.accessToken, town.slug, person.id, ['staff'], 'Urbanisme');
      }
      const first = await admin.auth(t.http.get(members(town.slug))).query({ limit: 2 }).expect(200);
      expect(first.body.items.map((m: { displayName: string }) => m.displayName)).toEqual(['Amine Haddad', 'Manon Lefebvre']);
      expect(first.body.items[0]).toMatchObject({ municipalityId: town.id, roles: ['staff'], department: 'Urbanisme' });
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await admin.auth(t.http.get(members(town.slug))).query({ limit: 2, cursor: first.body.nextCursor }).expect(200);
      expect(second.body.items.map((m: { displayName: string }) => m.displayName)).toEqual(['Zoé Lambert']);
      expect(second.body.nextCursor).toBeNull();
    });

    it("is for that municipality's admins and staff: facilitators, citizens and other towns' staff get 403", async () => {
      await adminOfA.auth(t.http.get(members(a.slug))).expect(200);
      await staffOfA.auth(t.http.get(members(a.slug))).expect(200);
      await facilitatorOfA.auth(t.http.get(members(a.slug))).expect(403);
      await citizen.auth(t.http.get(members(a.slug))).expect(403);
      await staffOfB.auth(t.http.get(members(a.slug))).expect(403);
      await adminOfB.auth(t.http.get(members(a.slug))).expect(403);
      await staffOfA.auth(t.http.get(members(b.slug))).expect(403);
      await t.http.get(members(a.slug)).expect(401);
    });

    it('answers 400 for a bad limit or cursor', async () => {
      expect(fieldsOf(await staffOfA.auth(t.http.get(members(a.slug))).query({ limit: 1000 }).expect(400))).toContain('limit');
      expect(fieldsOf(await staffOfA.auth(t.http.get(members(a.slug))).query({ cursor: '%%%' }).expect(400))).toContain('cursor');
      const foreign = Buffer.from(JSON.stringify({ name: 'x', user: 'not-a-uuid' })).toString('base64url');
      expect(fieldsOf(await staffOfA.auth(t.http.get(members(a.slug))).query({ cursor: foreign }).expect(400))).toContain('cursor');
    });
  });

  describe('audit of role changes', () => {
    const audit = (slug: string) => `/api/v1/municipalities/${slug}/audit`;

    it('records every change with before and after, visible to the municipality admin', async () => {
      const person = await registerUser(t.http);
      const url = `${members(a.slug)}/${person.id}`;
      await adminOfA.auth(t.http.put(url)).send({ roles: ['staff'], department: 'Voirie' }).expect(200);
      await adminOfA.auth(t.http.put(url)).send({ roles: ['staff'], department: 'Voirie' }).expect(200); // no change, no entry
      await adminOfA.auth(t.http.put(url)).send({ roles: ['staff', 'admin'] }).expect(200);
      await adminOfA.auth(t.http.put(url)).send({ roles: [] }).expect(204);

      const res = await adminOfA.auth(t.http.get(audit(a.slug))).query({ targetType: 'user', targetId: person.id }).expect(200);
      expect(res.body.nextCursor).toBeNull();
      expect(res.body.items).toEqual([
        expect.objectContaining({
          action: 'member.roles_changed',
          actorId: adminOfA.user.id,
          municipalityId: a.id,
          before: { roles: ['staff', 'admin'], department: 'Voirie' },
          after: null,
        }),
        expect.objectContaining({ before: { roles: ['staff'], department: 'Voirie' }, after: { roles: ['staff', 'admin'], department: 'Voirie' } }),
        expect.objectContaining({ before: null, after: { roles: ['staff'], department: 'Voirie' }, createdAt: expect.any(String), id: expect.any(String) }),
      ]);
    });

    it('filters by action and pages from newest to oldest', async () => {
      const town = await createMunicipality(t.http, admin.accessToken);
      const ids: string[] = [];
      for (let i = 0; i < 3; i++) {
        const person = await registerUser(t.http);
        ids.push(person.id);
        await grantRoles(t.http, admin.accessToken, town.slug, person.id, ['facilitator']);
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: Response = await admin
          .auth(t.http.get(audit(town.slug)))
          .query({ action: 'member.roles_changed', limit: 2, ...(cursor ? { cursor } : {}) })
          .expect(200);
        seen.push(...res.body.items.map((e: { targetId: string }) => e.targetId));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen).toEqual([...ids].reverse());
      const created = await admin.auth(t.http.get(audit(town.slug))).query({ action: 'municipality.created' }).expect(200);
      expect(created.body.items).toEqual([expect.objectContaining({ targetType: 'municipality', targetId: town.id, before: null })]);
    });

    it("keeps municipalities apart: A's admin cannot read B's trail; staff cannot read their own", async () => {
      await adminOfA.auth(t.http.get(audit(b.slug))).expect(403);
      await staffOfA.auth(t.http.get(audit(a.slug))).expect(403);
      await citizen.auth(t.http.get(audit(a.slug))).expect(403);
      const own = await adminOfB.auth(t.http.get(audit(b.slug))).query({ limit: 100 }).expect(200);
      for (const entry of own.body.items) expect(entry.municipalityId).toBe(b.id);
    });

    it.each<[string, Record<string, string>, string]>([
      ['a tampered cursor', { cursor: Buffer.from(JSON.stringify({ id: 'abc' })).toString('base64url') }, 'cursor'],
      ['a limit of 0', { limit: '0' }, 'limit'],
      ['a huge action', { action: 'a'.repeat(101) }, 'action'],
      ['an unknown filter', { actorEmail: 'x@y.z' }, 'actorEmail'],
    ])('answers 400 for %s', async (_why, query, field) => {
      expect(fieldsOf(await adminOfA.auth(t.http.get(audit(a.slug))).query(query).expect(400))).toContain(field);
    });
  });

  describe('GET /api/v1/admin/audit', () => {
    it('shows the platform admin the trail across municipalities, with filters', async () => {
      const res = await admin.auth(t.http.get('/api/v1/admin/audit')).query({ action: 'municipality.created', limit: 100 }).expect(200);
      const targets = res.body.items.map((e: { targetId: string }) => e.targetId);
      expect(targets).toEqual(expect.arrayContaining([a.id, b.id]));
      const onlyB = await admin.auth(t.http.get('/api/v1/admin/audit')).query({ municipalityId: b.id, limit: 100 }).expect(200);
      expect(onlyB.body.items.length).toBeGreaterThan(0);
      for (const entry of onlyB.body.items) expect(entry.municipalityId).toBe(b.id);
      const byActor = await admin.auth(t.http.get('/api/v1/admin/audit')).query({ actorId: adminOfA.user.id, limit: 100 }).expect(200);
      for (const entry of byActor.body.items) expect(entry.actorId).toBe(adminOfA.user.id);
    });

    it('is for the platform admin only', async () => {
      await adminOfA.auth(t.http.get('/api/v1/admin/audit')).expect(403);
      await citizen.auth(t.http.get('/api/v1/admin/audit')).expect(403);
      await t.http.get('/api/v1/admin/audit').expect(401);
    });

    it('answers 400 naming a malformed id filter', async () => {
      expect(fieldsOf(await admin.auth(t.http.get('/api/v1/admin/audit')).query({ municipalityId: 'lille' }).expect(400))).toContain('municipalityId');
      expect(fieldsOf(await admin.auth(t.http.get('/api/v1/admin/audit')).query({ actorId: '42' }).expect(400))).toContain('actorId');
    });
  });
});

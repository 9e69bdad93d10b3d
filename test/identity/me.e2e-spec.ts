import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { bearer, createSession, login, platformAdminSession, registerUser, Session, TEST_PASSWORD } from '../utils/sessions';

describe('me', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  describe('GET /api/v1/me', () => {
    it('answers the caller profile', async () => {
      const s = await createSession(t.http, { displayName: 'Noor Haddad', locale: 'en' });
      const res = await s.auth(t.http.get('/api/v1/me')).expect(200);
      expect(res.body).toEqual({
        id: s.user.id,
        email: s.user.email,
        displayName: 'Noor Haddad',
        locale: 'en',
        emailVerified: false,
        isPlatformAdmin: false,
        createdAt: expect.any(String),
      });
    });

    it('needs a valid access token', async () => {
      const unauth = await t.http.get('/api/v1/me').expect(401);
      expect(unauth.body.code).toBe('UNAUTHENTICATED');
      await t.http.get('/api/v1/me').set('Authorization', 'Bearer nonsense').expect(401);
      const s = await createSession(t.http);
      const [header, payload] = s.accessToken.split('.');
      await t.http.get('/api/v1/me').set('Authorization', `Bearer ${header}.${payload}.${randomBytes(32).toString('base64url')}`).expect(401);
    });
  });

  describe('PATCH /api/v1/me', () => {
    it('changes the display name and the language', async () => {
      const s = await createSession(t.http);
      const res = await s.auth(t.http.patch('/api/v1/me')).send({ displayName: '  Renamed Person ', locale: 'en' }).expect(200);
      expect(res.body).toMatchObject({ id: s.user.id, displayName: 'Renamed Person', locale: 'en' });
      const again = await s.auth(t.http.patch('/api/v1/me')).send({ locale: 'fr' }).expect(200);
      expect(again.body).toMatchObject({ displayName: 'Renamed Person', locale: 'fr' });
      await s.auth(t.http.patch('/api/v1/me')).send({}).expect(200);
    });

    it.each([
      ['an email change (out of scope)', { email: 'new@test.local' }, 'email'],
      ['a platform admin flag', { isPlatformAdmin: true }, 'isPlatformAdmin'],
      ['a wrong type', { displayName: 12 }, 'displayName'],
      ['a blank name', { displayName: '  ' }, 'displayName'],
      ['a huge name', { displayName: 'x'.repeat(100_000) }, 'displayName'],
      ['an unknown language', { locale: 'xx' }, 'locale'],
    ])('refuses %s with 400 naming the field', async (_case, body, field) => {
      const s = await createSession(t.http);
      const res = await s.auth(t.http.patch('/api/v1/me')).send(body).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('needs a signed-in caller', async () => {
      await t.http.patch('/api/v1/me').send({ displayName: 'X' }).expect(401);
    });
  });

  describe('GET /api/v1/me/export', () => {
    it('gives all personal data of the caller, without secrets', async () => {
      const user = await registerUser(t.http, { displayName: 'Export Me', locale: 'en' });
      const signIn = await t.http
        .post('/api/v1/auth/login')
        .set('User-Agent', 'export-test-agent/1.0')
        .send({ email: user.email, password: user.password })
        .expect(200);
      const s = { user, refreshToken: signIn.body.refreshToken as string, auth: bearer(signIn.body.accessToken) };
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
      const res = await s.auth(t.http.get('/api/v1/me/export')).expect(200);
      expect(res.body.exportedAt).toEqual(expect.any(String));
      expect(res.body.profile).toMatchObject({ id: s.user.id, email: s.user.email, displayName: 'Export Me', locale: 'en' });
      expect(res.body.sessions).toHaveLength(1);
      expect(res.body.sessions[0]).toEqual({
        id: expect.any(String),
        userAgent: 'export-test-agent/1.0',
        ip: expect.any(String),
        createdAt: expect.any(String),
        lastRefreshedAt: expect.any(String),
        revokedAt: null,
        revokedReason: null,
      });
      expect(res.body.sections).toMatchObject({ memberships: [], residencies: [] });
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/argon2|passwordHash|tokenHash|token_hash/);
      expect(text).not.toContain(s.refreshToken.split('.')[1]);
    });

    it("holds only the caller's data", async () => {
      const a = await createSession(t.http);
      const b = await createSession(t.http);
      const res = await a.auth(t.http.get('/api/v1/me/export')).expect(200);
      expect(JSON.stringify(res.body)).not.toContain(b.user.email);
      expect(JSON.stringify(res.body)).not.toContain(b.user.id);
    });

    it('includes municipality roles', async () => {
      const admin = await platformAdminSession(t.http);
      const slug = `export-${randomBytes(4).toString('hex')}`;
      await admin.auth(t.http.post('/api/v1/municipalities')).send({ slug, name: 'Exportville', timezone: 'Europe/Paris', locale: 'fr' }).expect(201);
      const s = await createSession(t.http);
      await admin.auth(t.http.put(`/api/v1/municipalities/${slug}/members/${s.user.id}`)).send({ roles: ['staff'] }).expect(200);
      const res = await s.auth(t.http.get('/api/v1/me/export')).expect(200);
      expect(res.body.sections.memberships).toEqual([expect.objectContaining({ municipalitySlug: slug, roles: ['staff'] })]);
    });

    it('needs a signed-in caller', async () => {
      await t.http.get('/api/v1/me/export').expect(401);
    });
  });

  describe('DELETE /api/v1/me', () => {
    /**
     * Each test erases an account of its own: two sessions and a mailed reset token, then the
     * erasure (204) — so any test runs alone, or in any order.
     */
    async function erasedAccount(): Promise<{ s: Session; other: { accessToken: string; refreshToken: string } }> {
      const s = await createSession(t.http, { displayName: 'Leaving Soon' });
      const other = await login(t.http, s.user.email, s.user.password);
      await t.http.post('/api/v1/auth/forgot-password').send({ email: s.user.email }).expect(202);
      await s.auth(t.http.delete('/api/v1/me')).send({ password: s.user.password }).expect(204);
      return { s, other };
    }

    it('erases the account and answers 204', async () => {
      const { s } = await erasedAccount();
      const [user] = await db.query(`SELECT deleted_at FROM users WHERE id = $1`, [s.user.id]);
      expect(user.deleted_at).toEqual(expect.any(Date));
    });

    it('ends every session: access tokens, refresh tokens and the password stop working', async () => {
      const { s, other } = await erasedAccount();
      await s.auth(t.http.get('/api/v1/me')).expect(401);
      await bearer(other.accessToken)(t.http.get('/api/v1/me')).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: other.refreshToken }).expect(401);
      const res = await t.http.post('/api/v1/auth/login').send({ email: s.user.email, password: s.user.password }).expect(401);
      expect(res.body.code).toBe('INVALID_CREDENTIALS');
      await s.auth(t.http.delete('/api/v1/me')).expect(401);
    });

    it('strips the personal data from the account row and drops mailed tokens', async () => {
      const { s } = await erasedAccount();
      const [user] = await db.query(`SELECT email, display_name, password_hash, deleted_at FROM users WHERE id = $1`, [s.user.id]);
      expect(user).toEqual({
        email: `deleted-${s.user.id}@erased.invalid`,
        display_name: 'Deleted user',
        password_hash: null,
        deleted_at: expect.any(Date),
      });
      expect(await db.query(`SELECT 1 FROM user_tokens WHERE user_id = $1`, [s.user.id])).toHaveLength(0);
      const sessions = await db.query(`SELECT revoked_reason, ip, user_agent FROM auth_sessions WHERE user_id = $1`, [s.user.id]);
      expect(sessions).toEqual([
        { revoked_reason: 'account_deleted', ip: null, user_agent: null },
        { revoked_reason: 'account_deleted', ip: null, user_agent: null },
      ]);
    });

    it('records the erasure as an event and in the audit log', async () => {
      const { s } = await erasedAccount();
      const events = await db.query(`SELECT payload FROM outbox_events WHERE type = 'identity.user_erased' AND aggregate_id = $1`, [s.user.id]);
      expect(events).toEqual([{ payload: { userId: s.user.id } }]);
      const audit = await db.query(`SELECT actor_id, action FROM audit_log WHERE target_type = 'user' AND target_id = $1`, [s.user.id]);
      expect(audit).toEqual([{ actor_id: s.user.id, action: 'user.erased' }]);
    });

    it('frees the email address for a new account', async () => {
      const { s } = await erasedAccount();
      const again = await registerUser(t.http, { email: s.user.email, password: TEST_PASSWORD });
      expect(again.id).not.toBe(s.user.id);
    });

    it('removes municipality roles', async () => {
      const admin = await platformAdminSession(t.http);
      const slug = `erase-${randomBytes(4).toString('hex')}`;
      await admin.auth(t.http.post('/api/v1/municipalities')).send({ slug, name: 'Eraseville', timezone: 'Europe/Paris', locale: 'fr' }).expect(201);
      const member = await createSession(t.http);
      await admin.auth(t.http.put(`/api/v1/municipalities/${slug}/members/${member.user.id}`)).send({ roles: ['staff'] }).expect(200);
      await member.auth(t.http.delete('/api/v1/me')).send({ password: member.user.password }).expect(204);
      expect(await db.query(`SELECT 1 FROM municipality_members WHERE user_id = $1`, [member.user.id])).toHaveLength(0);
    });

    it('needs a signed-in caller', async () => {
      await t.http.delete('/api/v1/me').expect(401);
    });
  });
});

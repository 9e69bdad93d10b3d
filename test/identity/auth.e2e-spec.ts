import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { DEFAULT_PASSWORD_HASH } from '@app/common';
import { ScrubMailTokens1763860001000 } from '../../migrations/1763860001000-ScrubMailTokens';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { SmtpCapture, tokenFrom } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { bearer, createSession, login, platformAdminSession, registerUser, TEST_PASSWORD, uniqueEmail } from '../utils/sessions';

/** A random private address, sent as X-Forwarded-For, so lockout counters of different tests never meet. */
function randomIp(): string {
  const [a, b, c] = randomBytes(3);
  return `10.${a}.${b}.${c}`;
}

const HUGE = 'x'.repeat(300_000);

describe('auth', () => {
  let t: TestApp;
  let db: DataSource;
  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
  });
  afterAll(() => t.close());

  it('documents every auth and /me route in the OpenAPI document', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, unknown>>;
    for (const route of ['register', 'login', 'refresh', 'logout', 'verify-email', 'resend-verification', 'forgot-password', 'reset-password']) {
      expect(paths[`/api/v1/auth/${route}`]?.post).toBeDefined();
    }
    expect(Object.keys(paths['/api/v1/me']).sort()).toEqual(['delete', 'get', 'patch']);
    expect(paths['/api/v1/me/export']?.get).toBeDefined();
  });

  describe('POST /api/v1/auth/register', () => {
    it('creates an account and answers its public profile, never the hash', async () => {
      const email = uniqueEmail('reg');
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({ email: `  ${email.toUpperCase()} `, password: TEST_PASSWORD, displayName: '  Camille Martin ', locale: 'en' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        email,
        displayName: 'Camille Martin',
        locale: 'en',
        emailVerified: false,
        isPlatformAdmin: false,
        createdAt: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toMatch(/argon2|password/i);
    });

    it('stores an argon2id hash, a hashed verification token and both events in the same transaction', async () => {
      const user = await registerUser(t.http, { locale: 'fr' });
      const [row] = await db.query(`SELECT password_hash, locale FROM users WHERE id = $1`, [user.id]);
      expect(row.password_hash).toMatch(/^\$argon2id\$/);
      expect(row.locale).toBe('fr');
      const tokens = await db.query(`SELECT purpose, token_hash, expires_at, created_at FROM user_tokens WHERE user_id = $1`, [user.id]);
      expect(tokens).toHaveLength(1);
      expect(tokens[0].purpose).toBe('verify_email');
      expect(tokens[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
      const hours = (tokens[0].expires_at.getTime() - tokens[0].created_at.getTime()) / 3600_000;
      expect(hours).toBeCloseTo(48, 1);
      const events = await db.query(`SELECT type FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`, [user.id]);
      expect(events.map((e: { type: string }) => e.type)).toEqual(['identity.user_registered', 'identity.verification_mail_requested']);
    });

    it('defaults the locale to French', async () => {
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({ email: uniqueEmail('fr'), password: TEST_PASSWORD, displayName: 'Lou' })
        .expect(201);
      expect(res.body.locale).toBe('fr');
    });

    it('refuses a duplicate email with 409 EMAIL_TAKEN, whatever its case', async () => {
      const user = await registerUser(t.http);
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({ email: user.email.toUpperCase(), password: TEST_PASSWORD, displayName: 'Again' })
        .expect(409);
      expect(res.body.code).toBe('EMAIL_TAKEN');
    });

    it('lets only one of two simultaneous sign-ups with one email through', async () => {
      const email = uniqueEmail('race');
      const send = () => t.http.post('/api/v1/auth/register').send({ email, password: TEST_PASSWORD, displayName: 'Racer' });
      const statuses = (await Promise.all([send(), send(), send()])).map((r) => r.status).sort();
      expect(statuses).toEqual([201, 409, 409]);
    });

    it.each([
      ['too short', 'Xq7#p2!z'],
      ['common', 'password1234'],
      ['a keyboard walk', 'azertyuiop'],
      ['French and common', 'motdepasse123'],
    ])('refuses a %s password, naming the password field', async (_case, password) => {
      const res = await t.http.post('/api/v1/auth/register').send({ email: uniqueEmail('weak'), password, displayName: 'Weak' }).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details).toEqual(expect.arrayContaining([{ field: 'password', code: expect.any(String), message: expect.any(String) }]));
    });

    it('refuses a password made of the email or the name', async () => {
      const email = `zephyrine.k-${randomUUID().slice(0, 8)}@test.local`;
      const local = email.split('@')[0];
      const byEmail = await t.http.post('/api/v1/auth/register').send({ email, password: `${local}!A9`, displayName: 'Z' }).expect(400);
      expect(byEmail.body.details[0].field).toBe('password');
      const byName = await t.http
        .post('/api/v1/auth/register')
        .send({ email: uniqueEmail('name'), password: 'Bartholomew-Quince-2024', displayName: 'Bartholomew Quince' })
        .expect(400);
      expect(byName.body.details).toEqual([{ field: 'password', code: 'WEAK_PASSWORD', message: expect.stringMatching(/email address or your name/) }]);
    });

    it.each([
      ['a missing body', undefined, ['email', 'password', 'displayName']],
      ['wrong types', { email: 42, password: ['x'], displayName: {}, locale: 3 }, ['email', 'password', 'displayName', 'locale']],
      ['an unknown field', { email: uniqueEmail(), password: TEST_PASSWORD, displayName: 'A', isPlatformAdmin: true }, ['isPlatformAdmin']],
      ['huge strings', { email: `${HUGE}@test.local`, password: HUGE, displayName: HUGE }, ['email', 'password', 'displayName']],
      ['an invalid email', { email: 'not-an-email', password: TEST_PASSWORD, displayName: 'A' }, ['email']],
      ['an unknown locale', { email: uniqueEmail(), password: TEST_PASSWORD, displayName: 'A', locale: 'de' }, ['locale']],
      ['a blank name', { email: uniqueEmail(), password: TEST_PASSWORD, displayName: '   ' }, ['displayName']],
      ['a name with control characters', { email: uniqueEmail(), password: TEST_PASSWORD, displayName: 'A\nB' }, ['displayName']],
    ])('answers 400 with field details for %s', async (_case, body, fields) => {
      const req = t.http.post('/api/v1/auth/register');
      const res = await (body === undefined ? req : req.send(body)).expect(400);
      expect(res.body).toMatchObject({ statusCode: 400, code: 'VALIDATION_FAILED' });
      const named = (res.body.details as Array<{ field: string }>).map((d) => d.field);
      for (const field of fields) expect(named).toContain(field);
    });

    it('answers 400 to a body that is not JSON or not an object', async () => {
      await t.http.post('/api/v1/auth/register').set('Content-Type', 'application/json').send('{"email": ').expect(400);
      await t.http.post('/api/v1/auth/register').send([1, 2]).expect(400);
    });
  });

  describe('POST /api/v1/auth/login', () => {
    it('answers a token pair for the right password, whatever the email case', async () => {
      const user = await registerUser(t.http);
      const res = await t.http.post('/api/v1/auth/login').send({ email: ` ${user.email.toUpperCase()}`, password: user.password }).expect(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/),
        expiresIn: 900,
        tokenType: 'Bearer',
      });
      const claims = JSON.parse(Buffer.from(res.body.accessToken.split('.')[1], 'base64url').toString()) as Record<string, number | string>;
      expect(claims).toMatchObject({ sub: user.id, sid: expect.any(String), adm: false });
      expect(Number(claims.exp) - Number(claims.iat)).toBe(900);
      await t.http.get('/api/v1/me').set('Authorization', `Bearer ${res.body.accessToken}`).expect(200);
    });

    it('lets an unverified account sign in', async () => {
      const s = await createSession(t.http);
      const me = await s.auth(t.http.get('/api/v1/me')).expect(200);
      expect(me.body.emailVerified).toBe(false);
    });

    it('refuses a wrong password and an unknown email with the same answer', async () => {
      const user = await registerUser(t.http);
      const wrong = await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'Not-the-password-42' }).expect(401);
      const unknown = await t.http.post('/api/v1/auth/login').send({ email: uniqueEmail('nobody'), password: 'Not-the-password-42' }).expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('takes about as long for an unknown email as for a wrong password', async () => {
      // At the production hash cost: the test run's cheap hashing (global-setup) takes less time
      // than the request itself, so a skipped hash would not show.
      const { memoryKib, passes } = DEFAULT_PASSWORD_HASH;
      const production = await createTestApp({ env: { PASSWORD_HASH_MEMORY_KIB: String(memoryKib), PASSWORD_HASH_PASSES: String(passes) } });
      try {
        const user = await registerUser(production.http);
        const time = async (email: string) => {
          const started = process.hrtime.bigint();
          await production.http.post('/api/v1/auth/login').send({ email, password: 'Not-the-password-42' }).expect(401);
          return Number(process.hrtime.bigint() - started) / 1e6;
        };
        await time(uniqueEmail('warm')); // the dummy hash is computed once
        // Interleaved and the fastest of five each, so a loaded machine slows both alike; skipping
        // the hash for an unknown email makes it ten times faster or more, far below a third.
        const known: number[] = [];
        const unknown: number[] = [];
        for (let i = 0; i < 5; i++) {
          known.push(await time(user.email));
          unknown.push(await time(uniqueEmail('nobody')));
        }
        expect(Math.min(...unknown)).toBeGreaterThan(Math.min(...known) / 3);
      } finally {
        await production.close();
      }
    });

    it('signs in the bootstrapped platform admin', async () => {
      const admin = await platformAdminSession(t.http);
      const payload = JSON.parse(Buffer.from(admin.accessToken.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
      expect(payload).toMatchObject({ sub: admin.user.id, adm: true });
      const me = await admin.auth(t.http.get('/api/v1/me')).expect(200);
      expect(me.body).toMatchObject({ email: process.env.ADMIN_EMAIL, isPlatformAdmin: true, emailVerified: true });
    });

    it.each([
      ['a missing body', undefined, ['email', 'password']],
      ['wrong types', { email: true, password: 12 }, ['email', 'password']],
      ['an unknown field', { email: 'a@b.c', password: 'whatever-long', remember: true }, ['remember']],
      ['huge strings', { email: HUGE, password: HUGE }, ['email', 'password']],
    ])('answers 400 with field details for %s', async (_case, body, fields) => {
      const req = t.http.post('/api/v1/auth/login');
      const res = await (body === undefined ? req : req.send(body)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const named = (res.body.details as Array<{ field: string }>).map((d) => d.field);
      for (const field of fields) expect(named).toContain(field);
    });
  });

  describe('POST /api/v1/auth/refresh', () => {
    it('rotates: the new pair works, the access token is fresh', async () => {
      const s = await createSession(t.http);
      const res = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
      expect(res.body).toEqual({ accessToken: expect.any(String), refreshToken: expect.any(String), expiresIn: 900, tokenType: 'Bearer' });
      expect(res.body.refreshToken).not.toBe(s.refreshToken);
      await bearer(res.body.accessToken)(t.http.get('/api/v1/me')).expect(200);
      // Same session: the refresh kept its id.
      const sid = (token: string) => (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sid: string }).sid;
      expect(sid(res.body.accessToken)).toBe(sid(s.accessToken));
      const next = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: res.body.refreshToken }).expect(200);
      expect(next.body.refreshToken).not.toBe(res.body.refreshToken);
    });

    it('treats a used token as theft: the whole family is revoked', async () => {
      const s = await createSession(t.http);
      const second = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
      const reuse = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
      expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');
      const newest = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: second.body.refreshToken }).expect(401);
      expect(newest.body.code).toBe('REFRESH_TOKEN_INVALID');
      await bearer(second.body.accessToken)(t.http.get('/api/v1/me')).expect(401);
      await s.auth(t.http.get('/api/v1/me')).expect(401);
      const [session] = await db.query(`SELECT revoked_at, revoked_reason FROM auth_sessions WHERE user_id = $1`, [s.user.id]);
      expect(session.revoked_reason).toBe('reuse_detected');
      // Another device of the same person is not affected.
      const other = await login(t.http, s.user.email, s.user.password);
      await bearer(other.accessToken)(t.http.get('/api/v1/me')).expect(200);
    });

    it('lets only one of two simultaneous refreshes with one token through, and revokes the family', async () => {
      const s = await createSession(t.http);
      const results = await Promise.all([1, 2].map(() => t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken })));
      expect(results.map((r) => r.status).sort()).toEqual([200, 401]);
      const winner = results.find((r) => r.status === 200)!;
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: winner.body.refreshToken }).expect(401);
    });

    it('refuses unknown, malformed, forged and expired tokens with 401', async () => {
      const s = await createSession(t.http);
      const [id] = s.refreshToken.split('.');
      for (const refreshToken of [`${randomUUID()}.${randomBytes(32).toString('base64url')}`, 'garbage', `${id}.${randomBytes(32).toString('base64url')}`, `${id}.`]) {
        const res = await t.http.post('/api/v1/auth/refresh').send({ refreshToken }).expect(401);
        expect(res.body.code).toBe('REFRESH_TOKEN_INVALID');
      }
      // A forged secret is not reuse: the real token still works.
      const ok = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
      await db.query(`UPDATE refresh_tokens SET expires_at = now() - interval '1 second' WHERE id = $1`, [ok.body.refreshToken.split('.')[0]]);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: ok.body.refreshToken }).expect(401);
    });

    it.each([
      ['a missing body', undefined],
      ['a wrong type', { refreshToken: 42 }],
      ['an unknown field', { refreshToken: 'a.b', extra: 1 }],
      ['a huge string', { refreshToken: HUGE }],
    ])('answers 400 with field details for %s', async (_case, body) => {
      const req = t.http.post('/api/v1/auth/refresh');
      const res = await (body === undefined ? req : req.send(body)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.length).toBeGreaterThan(0);
    });
  });

  describe('POST /api/v1/auth/logout', () => {
    it('ends the session: its access and refresh tokens stop working', async () => {
      const s = await createSession(t.http);
      const other = await login(t.http, s.user.email, s.user.password);
      await s.auth(t.http.post('/api/v1/auth/logout')).expect(204);
      await s.auth(t.http.get('/api/v1/me')).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
      // Only this session.
      await bearer(other.accessToken)(t.http.get('/api/v1/me')).expect(200);
    });

    it('needs a signed-in caller', async () => {
      await t.http.post('/api/v1/auth/logout').expect(401);
      await t.http.post('/api/v1/auth/logout').set('Authorization', 'Bearer not.a.jwt').expect(401);
    });
  });

  describe('tokens from mails, without a worker', () => {
    it('refuses an unknown verification token with 400 TOKEN_INVALID', async () => {
      const res = await t.http.post('/api/v1/auth/verify-email').send({ token: randomBytes(32).toString('base64url') }).expect(400);
      expect(res.body.code).toBe('TOKEN_INVALID');
      await t.http.post('/api/v1/auth/verify-email').send({ token: 'short' }).expect(400);
    });

    it('answers forgot-password with 202 and the same body, whether or not the account exists', async () => {
      const user = await registerUser(t.http);
      const known = await t.http.post('/api/v1/auth/forgot-password').send({ email: user.email }).expect(202);
      const unknown = await t.http.post('/api/v1/auth/forgot-password').send({ email: uniqueEmail('nobody') }).expect(202);
      expect(known.body).toEqual(unknown.body);
      expect(known.body.message).toEqual(expect.any(String));
      const events = await db.query(`SELECT type FROM outbox_events WHERE aggregate_id = $1 AND type = 'identity.password_reset_requested'`, [user.id]);
      expect(events).toHaveLength(1);
      const [token] = await db.query(`SELECT expires_at, created_at FROM user_tokens WHERE user_id = $1 AND purpose = 'reset_password'`, [user.id]);
      expect((token.expires_at.getTime() - token.created_at.getTime()) / 3600_000).toBeCloseTo(1, 1);
    });

    it('refuses an unknown reset token with 400 TOKEN_INVALID', async () => {
      const res = await t.http
        .post('/api/v1/auth/reset-password')
        .send({ token: randomBytes(32).toString('base64url'), password: 'Another-fine-password-31' })
        .expect(400);
      expect(res.body.code).toBe('TOKEN_INVALID');
    });

    it.each([
      ['/api/v1/auth/verify-email', undefined, ['token']],
      ['/api/v1/auth/verify-email', { token: 5 }, ['token']],
      ['/api/v1/auth/verify-email', { token: 'a', more: 1 }, ['more']],
      ['/api/v1/auth/verify-email', { token: HUGE }, ['token']],
      ['/api/v1/auth/forgot-password', undefined, ['email']],
      ['/api/v1/auth/forgot-password', { email: ['a@b.c'] }, ['email']],
      ['/api/v1/auth/forgot-password', { email: 'a@b.c', x: 1 }, ['x']],
      ['/api/v1/auth/forgot-password', { email: `${HUGE}@b.c` }, ['email']],
      ['/api/v1/auth/reset-password', undefined, ['token', 'password']],
      ['/api/v1/auth/reset-password', { token: 1, password: 2 }, ['token', 'password']],
      ['/api/v1/auth/reset-password', { token: 'a', password: TEST_PASSWORD, y: 1 }, ['y']],
      ['/api/v1/auth/reset-password', { token: HUGE, password: HUGE }, ['token', 'password']],
    ])('POST %s answers 400 with field details (case %#)', async (path, body, fields) => {
      const req = t.http.post(path);
      const res = await (body === undefined ? req : req.send(body as object)).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      const named = (res.body.details as Array<{ field: string }>).map((d) => d.field);
      for (const field of fields) expect(named).toContain(field);
    });
  });

  describe('mails over SMTP (with the worker)', () => {
    // A database and queue prefix of its own: workers of other suites on the shared ones would
    // otherwise take these mail events and send them to their own SMTP (this suite then times out).
    let t: TestApp;
    let db: DataSource;
    let env: IsolatedEnv;
    let smtp: SmtpCapture;
    let worker: TestWorker;
    beforeAll(async () => {
      smtp = new SmtpCapture();
      const smtpUrl = await smtp.start();
      env = await isolatedEnv('auth_mail', { SMTP_URL: smtpUrl });
      t = await createTestApp({ env: env.env });
      db = t.app.get(DataSource);
      worker = await startTestWorker({ env: env.env });
    });
    afterAll(async () => {
      await worker?.close();
      await t?.close();
      await smtp?.stop();
      await env?.teardown();
    });

    const mailTo = (email: string, subject: RegExp) => smtp.waitFor((m) => m.to.includes(email) && subject.test(m.subject), 20000);

    it('mails a verification link whose token works once', async () => {
      const s = await createSession(t.http, { locale: 'en', displayName: 'Ada Verify' });
      const mail = await mailTo(s.user.email, /Confirm your email/);
      expect(mail.text).toContain('Hello Ada Verify,');
      expect(mail.text).toContain(`${t.config.publicUrl}/verify-email?token=`);
      expect(mail.text).toContain('48 hours');
      const token = tokenFrom(mail);
      await t.http.post('/api/v1/auth/verify-email').send({ token }).expect(204);
      const me = await s.auth(t.http.get('/api/v1/me')).expect(200);
      expect(me.body.emailVerified).toBe(true);
      const again = await t.http.post('/api/v1/auth/verify-email').send({ token }).expect(400);
      expect(again.body.code).toBe('TOKEN_INVALID');
      // Already verified: no new link.
      const resend = await s.auth(t.http.post('/api/v1/auth/resend-verification')).expect(409);
      expect(resend.body.code).toBe('EMAIL_ALREADY_VERIFIED');
    });

    it('mails in French to a French-speaking person', async () => {
      const user = await registerUser(t.http, { locale: 'fr', displayName: 'Élodie' });
      const mail = await mailTo(user.email, /./);
      expect(mail.subject).toBe('Confirmez votre adresse e-mail');
      expect(mail.text).toContain('Bonjour Élodie,');
      expect(mail.text).toContain('48 heures');
    });

    it('refuses an expired verification token', async () => {
      const user = await registerUser(t.http, { locale: 'en' });
      const token = tokenFrom(await mailTo(user.email, /Confirm/));
      await db.query(`UPDATE user_tokens SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
      const res = await t.http.post('/api/v1/auth/verify-email').send({ token }).expect(400);
      expect(res.body.code).toBe('TOKEN_INVALID');
    });

    it('resends a verification link on request', async () => {
      const s = await createSession(t.http, { locale: 'en' });
      await mailTo(s.user.email, /Confirm/);
      await s.auth(t.http.post('/api/v1/auth/resend-verification')).expect(202);
      await smtp.waitFor(() => smtp.to(s.user.email).length >= 2, 20000);
      const [, second] = smtp.to(s.user.email);
      await t.http.post('/api/v1/auth/verify-email').send({ token: tokenFrom(second) }).expect(204);
    });

    it('resets the password through the mailed link and signs out everywhere', async () => {
      const s = await createSession(t.http, { locale: 'en', displayName: 'Reset Person' });
      const refreshed = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
      await t.http.post('/api/v1/auth/forgot-password').send({ email: s.user.email.toUpperCase() }).expect(202);
      const mail = await mailTo(s.user.email, /Reset your password/);
      expect(mail.text).toContain(`${t.config.publicUrl}/reset-password?token=`);
      expect(mail.text).toContain('1 hour');
      const token = tokenFrom(mail);

      // A refused new password leaves the link usable.
      const weak = await t.http.post('/api/v1/auth/reset-password').send({ token, password: 'password1234' }).expect(400);
      expect(weak.body.details[0].field).toBe('password');

      const newPassword = 'Brand-new-harbour-password-8';
      await t.http.post('/api/v1/auth/reset-password').send({ token, password: newPassword }).expect(204);
      await s.auth(t.http.get('/api/v1/me')).expect(401);
      await bearer(refreshed.body.accessToken)(t.http.get('/api/v1/me')).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: refreshed.body.refreshToken }).expect(401);
      await t.http.post('/api/v1/auth/login').send({ email: s.user.email, password: s.user.password }).expect(401);
      const again = await t.http.post('/api/v1/auth/reset-password').send({ token, password: 'Yet-another-password-77' }).expect(400);
      expect(again.body.code).toBe('TOKEN_INVALID');

      // Tokens issued right after the reset work, in the same second as it or not.
      const fresh = await login(t.http, s.user.email, newPassword);
      const me = await bearer(fresh.accessToken)(t.http.get('/api/v1/me')).expect(200);
      expect(me.body.emailVerified).toBe(true);
      const sessions = await db.query(`SELECT revoked_reason FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NOT NULL`, [s.user.id]);
      expect(sessions.map((r: { revoked_reason: string }) => r.revoked_reason)).toEqual(['password_reset']);
    });

    describe('tokens in the outbox', () => {
      const MAIL_EVENTS = ['identity.verification_mail_requested', 'identity.password_reset_requested'];
      const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

      const mailEvents = async (userId: string) =>
        (await db.query(`SELECT id, type, payload FROM outbox_events WHERE aggregate_id = $1 AND type = ANY($2) ORDER BY id`, [userId, MAIL_EVENTS])) as Array<{
          id: string;
          type: string;
          payload: Record<string, unknown>;
        }>;

      /** Waits until the mail consumer has recorded these events (the mail goes out just before). */
      const delivered = async (eventIds: string[]) => {
        const deadline = Date.now() + 20000;
        for (;;) {
          const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM event_consumptions WHERE consumer = 'identity-mails' AND event_id = ANY($1::bigint[])`, [
            eventIds,
          ])) as Array<{ n: number }>;
          if (n === eventIds.length) return;
          if (Date.now() > deadline) throw new Error(`events ${eventIds.join(', ')} not consumed`);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };

      it('keeps no usable token in outbox_events after the mails, while the mailed links work', async () => {
        const s = await createSession(t.http, { locale: 'en', displayName: 'Sealed Tokens' });
        await t.http.post('/api/v1/auth/forgot-password').send({ email: s.user.email }).expect(202);
        const verifyToken = tokenFrom(await mailTo(s.user.email, /Confirm your email/));
        const resetToken = tokenFrom(await mailTo(s.user.email, /Reset your password/));
        const events = await mailEvents(s.user.id);
        expect(events.map((e) => e.type)).toEqual(MAIL_EVENTS);
        await delivered(events.map((e) => e.id));

        // What anyone reading the table sees: no token, and nothing whose hash user_tokens knows.
        for (const { payload } of await mailEvents(s.user.id)) {
          expect(payload).toEqual({ userId: s.user.id, email: s.user.email, displayName: 'Sealed Tokens', locale: 'en', sealedToken: expect.stringMatching(/^v1\./) });
          const hashes = Object.values(payload).filter((v): v is string => typeof v === 'string').map(sha256);
          expect(await db.query(`SELECT id FROM user_tokens WHERE token_hash = ANY($1)`, [hashes])).toEqual([]);
        }
        for (const token of [verifyToken, resetToken]) {
          expect(await db.query(`SELECT id FROM outbox_events WHERE payload::text LIKE '%' || $1 || '%'`, [token])).toEqual([]);
        }

        await t.http.post('/api/v1/auth/verify-email').send({ token: verifyToken }).expect(204);
        await t.http.post('/api/v1/auth/reset-password').send({ token: resetToken, password: 'Quartz-harbour-window-64' }).expect(204);
        await login(t.http, s.user.email, 'Quartz-harbour-window-64');
      });

      it('mails nothing for a sealed token it cannot open (altered, or sealed under another JWT secret)', async () => {
        const user = await registerUser(t.http, { locale: 'en' });
        await mailTo(user.email, /Confirm/);
        // The same request again, sealed with a key this deployment does not have.
        const [event] = await mailEvents(user.id);
        const alien = Buffer.from(String(event.payload.sealedToken).slice(3), 'base64url');
        alien[0] ^= 1;
        const [{ id }] = (await db.query(
          `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload) VALUES ($1, 'user', $2, $3) RETURNING id`,
          [event.type, user.id, { ...event.payload, sealedToken: `v1.${alien.toString('base64url')}` }],
        )) as Array<{ id: string }>;
        await delivered([id]);
        expect(smtp.to(user.email)).toHaveLength(1);
      });

      it('still mails a request an older release recorded with its token in clear, and the migration scrubs such tokens once mailed', async () => {
        const user = await registerUser(t.http, { locale: 'en' });
        await mailTo(user.email, /Confirm/);
        const token = randomBytes(32).toString('base64url');
        await db.query(`INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at) VALUES ($1, 'verify_email', $2, now() + interval '1 day')`, [user.id, sha256(token)]);
        const legacy = { userId: user.id, email: user.email, displayName: 'Legacy', locale: 'en', token };
        const [{ id }] = (await db.query(
          `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload) VALUES ('identity.verification_mail_requested', 'user', $1, $2) RETURNING id`,
          [user.id, legacy],
        )) as Array<{ id: string }>;
        await smtp.waitFor(() => smtp.to(user.email).length >= 2, 20000);
        expect(tokenFrom(smtp.to(user.email)[1])).toBe(token);
        await delivered([id]);

        // Another legacy event, never consumed but past every token's validity; and one still waiting.
        const insertLegacy = async (age: string) =>
          (
            (await db.query(
              `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload, occurred_at, published_at)
               VALUES ('identity.password_reset_requested', 'user', $1, $2, now() - $3::interval, now()) RETURNING id`,
              [user.id, { ...legacy, token: randomBytes(32).toString('base64url') }, age],
            )) as Array<{ id: string }>
          )[0].id;
        const stale = await insertLegacy('3 days');
        const waiting = await insertLegacy('1 minute');
        const runner = db.createQueryRunner();
        try {
          await new ScrubMailTokens1763860001000().up(runner);
        } finally {
          await runner.release();
        }
        const rows = (await db.query(`SELECT id, payload ? 'token' AS "hasToken" FROM outbox_events WHERE id = ANY($1::bigint[]) ORDER BY id`, [[id, stale, waiting]])) as Array<{
          id: string;
          hasToken: boolean;
        }>;
        expect(rows).toEqual([
          { id, hasToken: false },
          { id: stale, hasToken: false },
          { id: waiting, hasToken: true },
        ]);
      });
    });

    it('mails nothing for an unknown address', async () => {
      const email = uniqueEmail('nobody');
      await t.http.post('/api/v1/auth/forgot-password').send({ email }).expect(202);
      // A known address asked after it is mailed; by then the unknown one would have been too.
      const user = await registerUser(t.http, { locale: 'en' });
      await t.http.post('/api/v1/auth/forgot-password').send({ email: user.email }).expect(202);
      await mailTo(user.email, /Reset/);
      expect(smtp.to(email)).toHaveLength(0);
    });
  });

  // Last on purpose: a second app in this process re-registers passport's global 'jwt' strategy,
  // and once it is closed, bearer tokens sent to the first app would be checked by a dead app.
  describe('failed sign-in lockout', () => {
    let strict: TestApp;
    beforeAll(async () => {
      strict = await createTestApp({ env: { LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_FAILURES_PER_IP: '5' } });
    });
    afterAll(() => strict.close());

    it('locks an account after repeated failures, with Retry-After, even for the right password', async () => {
      const user = await registerUser(strict.http);
      const ip = randomIp();
      const attempt = (password: string) => strict.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: user.email, password });
      for (let i = 0; i < 3; i++) await attempt('Not-the-password-42').expect(401);
      const locked = await attempt('Not-the-password-42').expect(429);
      expect(locked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      const retryAfter = Number(locked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(900);
      const right = await attempt(user.password).expect(429);
      expect(right.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      // From elsewhere too: it is the account that is locked.
      await strict.http.post('/api/v1/auth/login').set('X-Forwarded-For', randomIp()).send({ email: user.email, password: user.password }).expect(429);
    });

    it('counts failures for unknown accounts too', async () => {
      const email = uniqueEmail('ghost');
      const ip = randomIp();
      for (let i = 0; i < 3; i++) {
        await strict.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password: 'Not-the-password-42' }).expect(401);
      }
      await strict.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password: 'Not-the-password-42' }).expect(429);
    });

    it('starts the count afresh after a successful sign-in', async () => {
      const user = await registerUser(strict.http);
      const ip = randomIp();
      const attempt = (password: string) => strict.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: user.email, password });
      await attempt('Not-the-password-42').expect(401);
      await attempt('Not-the-password-42').expect(401);
      await attempt(user.password).expect(200);
      await attempt('Not-the-password-42').expect(401);
      await attempt('Not-the-password-42').expect(401);
      await attempt(user.password).expect(200);
    });

    it('locks an IP that fails across many accounts, while other IPs still sign in', async () => {
      const ip = randomIp();
      for (let i = 0; i < 5; i++) {
        await strict.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: uniqueEmail('spray'), password: 'Not-the-password-42' }).expect(401);
      }
      const user = await registerUser(strict.http);
      const locked = await strict.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: user.email, password: user.password }).expect(429);
      expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
      expect(locked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
      await strict.http.post('/api/v1/auth/login').set('X-Forwarded-For', randomIp()).send({ email: user.email, password: user.password }).expect(200);
    });

    it('holds under parallel guessing: no more than the allowed number of tries get checked', async () => {
      const user = await registerUser(strict.http);
      const results = await Promise.all(
        Array.from({ length: 8 }, () =>
          strict.http.post('/api/v1/auth/login').set('X-Forwarded-For', randomIp()).send({ email: user.email, password: 'Not-the-password-42' }),
        ),
      );
      const statuses = results.map((r) => r.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(3);
      expect(statuses.filter((s) => s === 429)).toHaveLength(5);
    });
  });
});

import { DataSource } from 'typeorm';
import { isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { bearer, createSession, login, registerUser } from '../utils/sessions';
import { SmtpCapture, tokenFrom } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';

/**
 * A signed-in person changes their e-mail address (confirmed from the new address, the old one
 * told) and their password (other sessions ended, this one kept), through the real worker and SMTP.
 */
describe('account changes while signed in', () => {
  let env: IsolatedEnv;
  let smtp: SmtpCapture;
  let t: TestApp;
  let worker: TestWorker;
  let db: DataSource;

  beforeAll(async () => {
    smtp = new SmtpCapture();
    // A database and queues of our own: other suites' workers would take our mails.
    env = await isolatedEnv('accounts', { SMTP_URL: await smtp.start() });
    t = await createTestApp({ env: env.env });
    worker = await startTestWorker({ env: env.env });
    db = t.app.get(DataSource);
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp?.stop();
    await env?.teardown();
  });

  const mailTo = (email: string, subject: RegExp) => smtp.waitFor((m) => m.to.includes(email) && subject.test(m.subject), 20000);
  const newAddress = () => `moved-${Math.random().toString(36).slice(2)}@test.local`;

  describe('POST /api/v1/me/email', () => {
    it('moves the account only once the link mailed to the new address is opened, and tells the old one', async () => {
      const s = await createSession(t.http, { locale: 'en', displayName: 'Mo Mover' });
      await t.http.post('/api/v1/auth/forgot-password').send({ email: s.user.email }).expect(202);
      const oldResetToken = tokenFrom(await mailTo(s.user.email, /Reset your password/));
      const target = newAddress();

      await s.auth(t.http.post('/api/v1/me/email')).send({ newEmail: `  ${target.toUpperCase()} `, password: s.user.password }).expect(202);
      const mail = await mailTo(target, /Confirm your new email address/);
      expect(mail.text).toContain('Hello Mo Mover,');
      expect(mail.text).toContain(`${t.config.publicUrl}/verify-email?token=`);
      expect(mail.text).toContain('24 hours');

      // Nothing changes until the link is opened.
      expect((await s.auth(t.http.get('/api/v1/me')).expect(200)).body.email).toBe(s.user.email);
      await login(t.http, s.user.email, s.user.password);

      const token = tokenFrom(mail);
      await t.http.post('/api/v1/auth/verify-email').send({ token }).expect(204);
      const me = await s.auth(t.http.get('/api/v1/me')).expect(200);
      expect(me.body).toMatchObject({ email: target, emailVerified: true });

      const notice = await mailTo(s.user.email, /Your email address was changed/);
      expect(notice.text).toContain('m***@test.local');
      expect(notice.text).not.toContain(target);
      expect(notice.text).not.toMatch(/token=/);

      await login(t.http, target, s.user.password);
      await t.http.post('/api/v1/auth/login').send({ email: s.user.email, password: s.user.password }).expect(401);
      expect((await t.http.post('/api/v1/auth/verify-email').send({ token }).expect(400)).body.code).toBe('TOKEN_INVALID');
      // A reset link mailed to the old address no longer works.
      const reset = await t.http.post('/api/v1/auth/reset-password').send({ token: oldResetToken, password: 'Fresh-window-harbour-31' }).expect(400);
      expect(reset.body.code).toBe('TOKEN_INVALID');
      const audit = await db.query(`SELECT action, before, after FROM audit_log WHERE target_id = $1 AND action = 'user.email_changed'`, [s.user.id]);
      expect(audit).toEqual([{ action: 'user.email_changed', before: null, after: null }]);
    });

    it('voids an earlier link when a newer one is asked for', async () => {
      const s = await createSession(t.http, { locale: 'en' });
      const first = newAddress();
      const second = newAddress();
      await s.auth(t.http.post('/api/v1/me/email')).send({ newEmail: first, password: s.user.password }).expect(202);
      const firstToken = tokenFrom(await mailTo(first, /Confirm your new email/));
      await s.auth(t.http.post('/api/v1/me/email')).send({ newEmail: second, password: s.user.password }).expect(202);
      const secondToken = tokenFrom(await mailTo(second, /Confirm your new email/));
      await t.http.post('/api/v1/auth/verify-email').send({ token: firstToken }).expect(400);
      await t.http.post('/api/v1/auth/verify-email').send({ token: secondToken }).expect(204);
      expect((await s.auth(t.http.get('/api/v1/me')).expect(200)).body.email).toBe(second);
    });

    it('refuses at confirmation an address another account took meanwhile, leaving the account as it was', async () => {
      const s = await createSession(t.http, { locale: 'en' });
      const target = newAddress();
      await s.auth(t.http.post('/api/v1/me/email')).send({ newEmail: target, password: s.user.password }).expect(202);
      const token = tokenFrom(await mailTo(target, /Confirm your new email/));
      await registerUser(t.http, { email: target });
      expect((await t.http.post('/api/v1/auth/verify-email').send({ token }).expect(409)).body.code).toBe('EMAIL_TAKEN');
      expect((await s.auth(t.http.get('/api/v1/me')).expect(200)).body.email).toBe(s.user.email);
    });

    it('asks for the right password, and mails nothing without it', async () => {
      const s = await createSession(t.http);
      const target = newAddress();
      const res = await s.auth(t.http.post('/api/v1/me/email')).send({ newEmail: target, password: 'Not-my-password-at-all-9' }).expect(403);
      expect(res.body.code).toBe('PASSWORD_INCORRECT');
      expect(await db.query(`SELECT 1 FROM user_tokens WHERE user_id = $1 AND purpose = 'change_email'`, [s.user.id])).toEqual([]);
    });

    it('refuses an address already in use (409) and its own address (400)', async () => {
      const s = await createSession(t.http);
      const other = await registerUser(t.http);
      expect((await s.auth(t.http.post('/api/v1/me/email')).send({ newEmail: other.email, password: s.user.password }).expect(409)).body.code).toBe('EMAIL_TAKEN');
      const same = await s.auth(t.http.post('/api/v1/me/email')).send({ newEmail: s.user.email, password: s.user.password }).expect(400);
      expect(same.body.details.map((d: { field: string }) => d.field)).toContain('newEmail');
    });

    it.each([
      ['no address', { password: 'x' }, 'newEmail'],
      ['a malformed address', { newEmail: 'not-an-address', password: 'x' }, 'newEmail'],
      ['a huge address', { newEmail: `${'a'.repeat(300)}@test.local`, password: 'x' }, 'newEmail'],
      ['no password', { newEmail: 'someone@test.local' }, 'password'],
    ])('refuses %s with 400 naming the field', async (_, body, field) => {
      const s = await createSession(t.http);
      const res = await s.auth(t.http.post('/api/v1/me/email')).send(body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('needs a signed-in caller', async () => {
      await t.http.post('/api/v1/me/email').send({ newEmail: 'someone@test.local', password: 'x' }).expect(401);
    });
  });

  describe('POST /api/v1/me/password', () => {
    it('sets the new password, ends every other session and keeps this one', async () => {
      const s = await createSession(t.http);
      const other = await login(t.http, s.user.email, s.user.password);
      const newPassword = 'Lighthouse-gravel-ninety-4';
      await s.auth(t.http.post('/api/v1/me/password')).send({ currentPassword: s.user.password, newPassword }).expect(204);

      await s.auth(t.http.get('/api/v1/me')).expect(200);
      const refreshed = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
      await bearer(refreshed.body.accessToken)(t.http.get('/api/v1/me')).expect(200);

      await bearer(other.accessToken)(t.http.get('/api/v1/me')).expect(401);
      await t.http.post('/api/v1/auth/refresh').send({ refreshToken: other.refreshToken }).expect(401);
      await t.http.post('/api/v1/auth/login').send({ email: s.user.email, password: s.user.password }).expect(401);
      await login(t.http, s.user.email, newPassword);
      const reasons = await db.query(`SELECT revoked_reason FROM auth_sessions WHERE user_id = $1 AND revoked_at IS NOT NULL`, [s.user.id]);
      expect(reasons).toEqual([{ revoked_reason: 'password_changed' }]);
    });

    it('asks for the right current password (403 naming currentPassword)', async () => {
      const s = await createSession(t.http);
      const res = await s.auth(t.http.post('/api/v1/me/password')).send({ currentPassword: 'Wrong-one-entirely-55', newPassword: 'Lighthouse-gravel-ninety-4' }).expect(403);
      expect(res.body.code).toBe('PASSWORD_INCORRECT');
      expect(res.body.details.map((d: { field: string }) => d.field)).toEqual(['currentPassword']);
      await login(t.http, s.user.email, s.user.password);
    });

    it.each([
      ['a weak new password', { newPassword: 'password1234' }, 'newPassword'],
      ['a short new password', { newPassword: 'short' }, 'newPassword'],
      ['no current password', { currentPassword: undefined, newPassword: 'Lighthouse-gravel-ninety-4' }, 'currentPassword'],
    ])('refuses %s with 400 naming the field', async (_, body, field) => {
      const s = await createSession(t.http);
      const res = await s.auth(t.http.post('/api/v1/me/password')).send({ currentPassword: s.user.password, ...body }).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      await login(t.http, s.user.email, s.user.password);
    });

    it('needs a signed-in caller', async () => {
      await t.http.post('/api/v1/me/password').send({ currentPassword: 'x', newPassword: 'Lighthouse-gravel-ninety-4' }).expect(401);
    });
  });
});

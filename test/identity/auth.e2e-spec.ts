import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, login, platformAdminSession, registerUser, TEST_PASSWORD, uniqueEmail } from '../utils/sessions';

describe('auth', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

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

    it('refuses a duplicate email with 409 EMAIL_TAKEN', async () => {
      const user = await registerUser(t.http);
      const res = await t.http
        .post('/api/v1/auth/register')
        .send({ email: user.email.toUpperCase(), password: TEST_PASSWORD, displayName: 'Again' })
        .expect(409);
      expect(res.body.code).toBe('EMAIL_TAKEN');
    });
  });

  describe('POST /api/v1/auth/login', () => {
    it('answers a token pair for the right password', async () => {
      const user = await registerUser(t.http);
      const res = await t.http.post('/api/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
      expect(res.body).toEqual({
        accessToken: expect.any(String),
        refreshToken: expect.stringMatching(/^[0-9a-f-]{36}\.[A-Za-z0-9_-]{43}$/),
        expiresIn: 900,
        tokenType: 'Bearer',
      });
    });

    it('refuses a wrong password and an unknown email alike', async () => {
      const user = await registerUser(t.http);
      const wrong = await t.http.post('/api/v1/auth/login').send({ email: user.email, password: 'Not-the-password-42' }).expect(401);
      const unknown = await t.http.post('/api/v1/auth/login').send({ email: uniqueEmail('nobody'), password: 'Not-the-password-42' }).expect(401);
      expect(wrong.body).toEqual(unknown.body);
      expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
    });

    it('signs in the bootstrapped platform admin', async () => {
      const admin = await platformAdminSession(t.http);
      const payload = JSON.parse(Buffer.from(admin.accessToken.split('.')[1], 'base64url').toString()) as Record<string, unknown>;
      expect(payload).toMatchObject({ sub: admin.user.id, adm: true });
    });

    it('session helpers work', async () => {
      const s = await createSession(t.http);
      await expect(login(t.http, s.user.email, s.user.password)).resolves.toHaveProperty('accessToken');
    });
  });
});

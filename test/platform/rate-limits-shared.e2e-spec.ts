import { randomInt, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { registerUser } from '../utils/sessions';

const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/**
 * README, scaling out: "Rate limits and login lockouts are counted in Redis, shared by every API
 * instance". Two instances with real (small) limits and a Redis prefix of their own (other suites
 * run with limits of a million on the shared one); each scenario comes from its own client IP.
 */
describe('rate limits and lockouts shared by two API instances', () => {
  const prefix = `${process.env.QUEUE_PREFIX}_limits_${randomUUID().slice(0, 8)}`;
  const limits = {
    QUEUE_PREFIX: prefix,
    RATE_LIMIT_PER_MINUTE: '6',
    AUTH_RATE_LIMIT_PER_MINUTE: '4',
    LOGIN_MAX_FAILURES_PER_ACCOUNT: '3',
    LOGIN_MAX_FAILURES_PER_IP: '2',
  };
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp({ env: limits }), createTestApp({ env: limits })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  });

  const both = () => [a, b];
  const wrongLogin = (t: TestApp, ip: string, email: string) =>
    t.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email, password: 'not-the-password-1' });

  it('counts the general per-minute limit across instances, per client', async () => {
    const ip = randomIp();
    for (let i = 0; i < 6; i++) await both()[i % 2].http.get('/api/v1/municipalities').set('X-Forwarded-For', ip).expect(200);
    for (const t of both()) {
      const limited = await t.http.get('/api/v1/municipalities').set('X-Forwarded-For', ip).expect(429);
      expect(limited.body.code).toBe('RATE_LIMITED');
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    }
    // Another client is not affected.
    await a.http.get('/api/v1/municipalities').set('X-Forwarded-For', randomIp()).expect(200);
  });

  it('counts the sign-in limit across instances', async () => {
    const ip = randomIp();
    // Different unknown accounts, and the per-IP failure lockout is 2: the reset route is used
    // instead of logins, so only the auth limiter (4 a minute) can refuse.
    for (let i = 0; i < 4; i++) {
      await both()[i % 2].http.post('/api/v1/auth/forgot-password').set('X-Forwarded-For', ip).send({ email: `nobody-${i}@test.local` }).expect(202);
    }
    const limited = await b.http.post('/api/v1/auth/forgot-password').set('X-Forwarded-For', ip).send({ email: 'nobody-5@test.local' }).expect(429);
    expect(limited.body.code).toBe('RATE_LIMITED');
  });

  it('locks an account after failures spread over both instances and many IPs, even for the right password', async () => {
    const user = await registerUser(a.http);
    for (let i = 0; i < 3; i++) await wrongLogin(both()[i % 2], randomIp(), user.email).expect(401);
    const locked = await b.http.post('/api/v1/auth/login').set('X-Forwarded-For', randomIp()).send({ email: user.email, password: user.password }).expect(429);
    expect(locked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
  });

  it('locks an IP after failures on several accounts spread over both instances', async () => {
    const ip = randomIp();
    await wrongLogin(a, ip, `first-${randomUUID()}@test.local`).expect(401);
    await wrongLogin(b, ip, `second-${randomUUID()}@test.local`).expect(401);
    const locked = await wrongLogin(a, ip, `third-${randomUUID()}@test.local`).expect(429);
    expect(locked.body.code).toBe('TOO_MANY_LOGIN_ATTEMPTS');
    // The accounts' own counters are untouched: from another IP, a new failure is a plain 401.
    await wrongLogin(b, randomIp(), `fourth-${randomUUID()}@test.local`).expect(401);
  });
});

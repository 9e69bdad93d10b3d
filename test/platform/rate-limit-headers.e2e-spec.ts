import { randomInt } from 'node:crypto';
import { createTestApp, TestApp } from '../utils/create-test-app';

const randomIp = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** Throttled requests answer like every refusal: our body, and the standard Retry-After header. */
describe('rate limit answers', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { AUTH_RATE_LIMIT_PER_MINUTE: '2' } });
  });
  afterAll(() => t.close());

  it('sends Retry-After, never Retry-After-auth, on the sign-in limiter', async () => {
    const ip = randomIp();
    const attempt = () => t.http.post('/api/v1/auth/login').set('X-Forwarded-For', ip).send({ email: 'nobody@test.local', password: 'not-the-password-1' });
    await attempt().expect(401);
    await attempt().expect(401);
    const limited = await attempt().expect(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['retry-after-auth']).toBeUndefined();
    expect(limited.body).toEqual({ statusCode: 429, error: 'Too Many Requests', code: 'RATE_LIMITED', message: expect.any(String), details: [] });
  });
});

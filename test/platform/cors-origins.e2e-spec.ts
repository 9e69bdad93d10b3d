import { createTestApp, TestApp } from '../utils/create-test-app';

/** CORS_ORIGINS (README, configuration): the browser origins allowed to call the API, and no other. */
describe('CORS_ORIGINS', () => {
  let t: TestApp;
  let byDefault: TestApp;
  beforeAll(async () => {
    [t, byDefault] = await Promise.all([
      createTestApp({ env: { CORS_ORIGINS: 'https://one.example,https://two.example' } }),
      createTestApp({ env: { PUBLIC_URL: 'https://civic.example' } }),
    ]);
  });
  afterAll(() => Promise.all([t?.close(), byDefault?.close()]));

  const preflight = (app: TestApp, origin: string) =>
    app.http.options('/api/v1/auth/login').set('Origin', origin).set('Access-Control-Request-Method', 'POST').set('Access-Control-Request-Headers', 'content-type,authorization');

  it('allows each listed origin, with credentials, on preflight and on the request itself', async () => {
    for (const origin of ['https://one.example', 'https://two.example']) {
      const pre = await preflight(t, origin).expect(204);
      expect(pre.headers['access-control-allow-origin']).toBe(origin);
      expect(pre.headers['access-control-allow-credentials']).toBe('true');
      expect(pre.headers['access-control-allow-methods']).toContain('POST');

      const res = await t.http.get('/health').set('Origin', origin).expect(200);
      expect(res.headers['access-control-allow-origin']).toBe(origin);
      expect(res.headers['access-control-expose-headers']).toContain('X-Request-Id');
    }
  });

  it('gives any other origin no CORS permission', async () => {
    for (const origin of ['https://evil.example', 'https://one.example.evil.example', 'http://one.example']) {
      const pre = await preflight(t, origin);
      expect(pre.headers['access-control-allow-origin']).toBeUndefined();
      const res = await t.http.get('/health').set('Origin', origin).expect(200);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
  });

  it('allows PUBLIC_URL alone when CORS_ORIGINS is not set', async () => {
    const own = await byDefault.http.get('/health').set('Origin', 'https://civic.example').expect(200);
    expect(own.headers['access-control-allow-origin']).toBe('https://civic.example');
    const other = await byDefault.http.get('/health').set('Origin', 'https://one.example').expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });
});

import { createTestApp, TestApp } from '../utils/create-test-app';

const scriptSources = (csp: string | undefined) =>
  (csp ?? '')
    .split(';')
    .map((d) => d.trim())
    .find((d) => d.startsWith('script-src '));

/** No inline scripts anywhere but on Swagger UI's own pages. */
describe('content security policy', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it.each([
    ['/health', 200],
    ['/api/v1/municipalities', 200],
    ['/api/docs-json', 200],
    ['/api/v1/no-such-route', 404],
    ['/open311/v2/services.json', 400],
  ])('is strict on %s (%d)', async (path, status) => {
    const res = await t.http.get(path).expect(status);
    expect(scriptSources(res.headers['content-security-policy'])).toBe("script-src 'self'");
    expect(res.headers['content-security-policy']).toContain("object-src 'none'");
  });

  it('lets Swagger UI run its inline scripts on its own page only', async () => {
    const page = await t.http.get('/api/docs').redirects(1).expect(200);
    expect(page.text).toContain('swagger');
    expect(scriptSources(page.headers['content-security-policy'])).toBe("script-src 'self' 'unsafe-inline'");
    expect(page.headers['content-security-policy'].match(/script-src /g)).toHaveLength(1);
  });
});

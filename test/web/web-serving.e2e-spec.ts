import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createTestApp, TestApp } from '../utils/create-test-app';

/** How the API serves a web build (apps/api/src/web/web-app.ts), on a small build of our own. */
describe('Serving the web app at /', () => {
  const dir = mkdtempSync(join(tmpdir(), 'civic-web-'));
  const script = 'console.log("app")';
  let t: TestApp;

  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><html><head><meta name="map-tile-url" content=""><script type="module" src="/assets/index-AbC123.js"></script></head><body></body></html>',
    );
    writeFileSync(join(dir, 'assets', 'index-AbC123.js'), script);
    writeFileSync(join(dir, 'assets', 'index-AbC123.js.gz'), gzipSync(script));
    writeFileSync(join(dir, 'sw.js'), 'self.addEventListener("fetch", () => undefined)');
    t = await createTestApp({ env: { WEB_DIR: dir, MAP_TILE_URL: 'https://{s}.tile.example.org/{z}/{x}/{y}.png' } });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the shell revalidated, with the tile URL in a meta tag and a strict CSP allowing the tile host', async () => {
    const res = await t.http.get('/').expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toContain('<meta name="map-tile-url" content="https://{s}.tile.example.org/{z}/{x}/{y}.png">');
    const csp = res.headers['content-security-policy'] as string;
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain('https://*.tile.example.org');
    await t.http.get('/').set('If-None-Match', res.headers.etag as string).expect(304);
  });

  it('answers client routes with the shell, and leaves the server’s paths their JSON 404s', async () => {
    for (const path of ['/my-reports', '/report/0b6f7a8e-1f0e-4a53-9c55-6d1d0e2c9a11', '/triage/lille?status=new']) {
      const res = await t.http.get(path).expect(200);
      expect(res.text).toContain('map-tile-url');
    }
    for (const path of ['/api/v1/nothing-here', '/open311/v2/nothing', '/assets/gone-123.js', '/robots.txt']) {
      const res = await t.http.get(path).expect(404);
      expect(res.body).toMatchObject({ statusCode: 404 });
    }
    // The server's own pages behind mailed links (issue 12) answer for themselves, never with the shell.
    for (const path of ['/verify-email', '/reset-password']) {
      const res = await t.http.get(path);
      expect(res.text).not.toContain('map-tile-url');
    }
    await t.http.get('/health').expect(200);
    const docs = await t.http.get('/api/docs-json').expect(200);
    expect(docs.body.openapi).toBeDefined();
  });

  it('serves hashed assets immutable and precompressed, other files revalidated', async () => {
    const asset = await t.http.get('/assets/index-AbC123.js').set('Accept-Encoding', 'gzip').expect(200);
    expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(asset.headers['content-encoding']).toBe('gzip');
    expect(asset.text).toBe(script);
    const worker = await t.http.get('/sw.js').expect(200);
    expect(worker.headers['cache-control']).toBe('no-cache');
  });

  it('still starts without a build, and then / points at the API documentation', async () => {
    const bare = await createTestApp({ env: { WEB_DIR: join(dir, 'not-built') } });
    try {
      const res = await bare.http.get('/').expect(302);
      expect(res.headers.location).toBe('/api/docs');
      await bare.http.get('/my-reports').expect(404);
    } finally {
      await bare.close();
    }
  });
});

import { AddressInfo, connect, createServer, Server, Socket } from 'node:net';
import { ModulesContainer } from '@nestjs/core';
import { Queue } from 'bullmq';
import { createTestApp, TestApp } from '../utils/create-test-app';

describe('health', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('GET /health answers 200 (liveness)', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.body).toEqual({ status: 'ok' });
  });

  it('GET /health/ready checks PostgreSQL and Redis', async () => {
    const res = await t.http.get('/health/ready').expect(200);
    expect(res.body).toEqual({ status: 'ok', checks: { database: 'up', redis: 'up' } });
  });

  it('echoes a sane X-Request-Id and generates one otherwise', async () => {
    const given = await t.http.get('/health').set('X-Request-Id', 'abc-123').expect(200);
    expect(given.headers['x-request-id']).toBe('abc-123');
    const generated = await t.http.get('/health').set('X-Request-Id', 'bad id with spaces').expect(200);
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('serves the OpenAPI document', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(res.body.paths['/health/ready']).toBeDefined();
  });

  it('sets security headers', async () => {
    const res = await t.http.get('/health').expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('answers unknown routes with the JSON error shape', async () => {
    const res = await t.http.get('/api/v1/nope').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});

describe('malformed requests', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('answers invalid JSON with 400 MALFORMED_BODY', async () => {
    const res = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('{"email": ').expect(400);
    expect(res.body).toEqual({ statusCode: 400, error: 'Bad Request', message: 'The request body is not valid JSON', code: 'MALFORMED_BODY', details: [] });
  });

  it('answers a body over 1 MB with 413 BODY_TOO_LARGE', async () => {
    const res = await t.http
      .post('/api/v1/auth/login')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ email: 'x'.repeat(1_100_000) }))
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, code: 'BODY_TOO_LARGE' });
  });

  it('answers a body of a type it does not take with 415 UNSUPPORTED_MEDIA_TYPE, and an empty JSON body with 400', async () => {
    const text = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/xml').send('<login/>').expect(415);
    expect(text.body).toMatchObject({ statusCode: 415, error: 'Unsupported Media Type', code: 'UNSUPPORTED_MEDIA_TYPE' });
    const empty = await t.http.post('/api/v1/auth/login').set('Content-Type', 'application/json').send('').expect(400);
    expect(empty.body).toMatchObject({ statusCode: 400, code: 'MALFORMED_BODY' });
  });

  it('reads a form body (as Open311 clients send) with nested keys, and validates it like JSON', async () => {
    const res = await t.http.post('/api/v1/auth/login').type('form').send('email=someone%40example.org&password=x&extra[nested]=1').expect(400);
    // Only the unknown (nested) field is at fault: email and password were read from the form.
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'extra', code: 'UNKNOWN_FIELD', message: expect.any(String) }] });
    expect(res.body.details).toHaveLength(1);
  });
});

describe('readiness when Redis is down', () => {
  let t: TestApp;
  beforeAll(async () => {
    // A port nothing listens on: the app starts (Redis is not needed to serve), readiness says no.
    t = await createTestApp({ env: { REDIS_URL: 'redis://127.0.0.1:1' } });
  });
  afterAll(() => t.close());

  it('answers 503 naming the failing dependency, while liveness stays 200', async () => {
    const res = await t.http.get('/health/ready').expect(503);
    expect(res.body).toEqual({ status: 'unavailable', checks: { database: 'up', redis: 'down' } });
    await t.http.get('/health').expect(200);
  });
});

/**
 * A TCP relay to a real server that a test can cut and restore, so an app can lose PostgreSQL or
 * Redis without anyone stopping the shared servers.
 */
class CuttableRelay {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async open(): Promise<string> {
    this.server = createServer((client) => {
      const upstream = connect(this.target.port, this.target.host);
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
    return `127.0.0.1:${this.port}`;
  }

  /** Refuses new connections and drops the open ones, as a server that went away. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const s of this.sockets) s.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('readiness when a backing service is down', () => {
  const db = new URL(process.env.DATABASE_URL!);
  const redis = new URL(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');

  /** An app whose PostgreSQL or Redis connections go through a relay the test can cut. */
  async function appBehind(service: 'postgres' | 'redis'): Promise<{ t: TestApp; relay: CuttableRelay }> {
    const target = service === 'postgres' ? db : redis;
    const relay = new CuttableRelay({ host: target.hostname, port: Number(target.port || (service === 'postgres' ? 5432 : 6379)) });
    const via = new URL(target.toString());
    via.host = await relay.open();
    const t = await createTestApp({ env: service === 'postgres' ? { DATABASE_URL: via.toString() } : { REDIS_URL: via.toString() } });
    return { t, relay };
  }

  async function readyUntil(t: TestApp, expected: number): Promise<{ status: number; body: unknown }> {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const res = await t.http.get('/health/ready');
      if (res.status === expected || Date.now() > deadline) return { status: res.status, body: res.body };
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /**
   * Every BullMQ connection of the app is back, not only the one readiness checks: the others
   * may still be waiting out their reconnect backoff (up to 20 s), and an app closed then
   * rejects with "Connection is closed." (seen three times on CI).
   */
  async function queuesReconnected(t: TestApp): Promise<void> {
    const queues = [...t.app.get(ModulesContainer).values()]
      .flatMap((m) => [...m.providers.values()].map((p) => p.instance))
      .filter((i): i is Queue => i instanceof Queue);
    expect(queues.length).toBeGreaterThan(0);
    const deadline = Date.now() + 30_000;
    for (const queue of queues) {
      for (;;) {
        try {
          await queue.getJobCounts();
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      }
    }
  }

  it.each([
    ['postgres', { database: 'down', redis: 'up' }],
    ['redis', { database: 'up', redis: 'down' }],
  ] as const)('answers 503 naming %s while it is unreachable, and 200 once it is back', async (service, checks) => {
    const { t, relay } = await appBehind(service);
    try {
      await t.http.get('/health/ready').expect(200);
      await relay.cut();
      expect(await readyUntil(t, 503)).toEqual({ status: 503, body: { status: 'unavailable', checks } });
      // Liveness is not readiness: the process still answers.
      await t.http.get('/health').expect(200);
      await relay.open();
      expect(await readyUntil(t, 200)).toEqual({ status: 200, body: { status: 'ok', checks: { database: 'up', redis: 'up' } } });
      await queuesReconnected(t);
    } finally {
      // BullMQ's own Redis connections may still be waiting out their reconnect backoff (up to
      // 20 s) when the app closes, and closing them then rejects with "Connection is closed." —
      // seen twice on CI after the relay came back. How the app shuts down is not this test's
      // subject; any other error still fails it.
      await t.close().catch((error: Error) => {
        if (service !== 'redis' || !/Connection is closed/.test(error.message)) throw error;
      });
      await relay.cut();
    }
  });
});

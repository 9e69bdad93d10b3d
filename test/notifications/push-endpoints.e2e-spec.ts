import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession } from '../utils/sessions';
import { browserKeys, vapidEnv } from './notification-fixtures';

/**
 * With production's rules (insecure endpoints not allowed), a push subscription may only point
 * at a public push service: the worker POSTs there, so anything else is a way into our network.
 */
describe('push subscription endpoints (SSRF)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ env: { ...vapidEnv(), PUSH_ALLOW_INSECURE_ENDPOINTS: 'false' } });
  });
  afterAll(() => t.close());

  it.each([
    'https://localhost./x',
    'https://LOCALHOST../x',
    'https://api.localhost/x',
    'https://127.0.0.1/x',
    'https://0x7f000001/x',
    'https://[::1]/x',
    'https://[::ffff:169.254.169.254]/latest/meta-data',
    'https://metadata.google.internal/x',
    'https://printer.local/x',
    'http://fcm.googleapis.com/fcm/send/x',
    // No name resolves on this machine; a name that does not resolve is refused like a private one.
    'https://push.nowhere.example.org/x',
  ])('refuses %s with a 400 naming endpoint', async (endpoint) => {
    const s = await createSession(t.http);
    const res = await s.auth(t.http.post('/api/v1/me/push-subscriptions')).send({ endpoint, keys: browserKeys() }).expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED', details: [{ field: 'endpoint', code: 'INVALID_PUSH_ENDPOINT' }] });
  });
});

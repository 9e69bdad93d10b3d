import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession } from '../utils/sessions';

/**
 * Several API instances in one process (tests, benches) must not share authentication state:
 * Passport's strategy registry is process-wide.
 */
describe('several API instances in one process', () => {
  let first: TestApp;

  beforeAll(async () => {
    first = await createTestApp();
  });
  afterAll(() => first.close());

  it('keeps authenticating on the first instance after a second one started and closed', async () => {
    const session = await createSession(first.http);
    const second = await createTestApp({ env: { JWT_SECRET: 'another-secret-of-at-least-thirty-two-chars' } });
    // A token signed by the first instance's secret is not valid on the second.
    await second.http.get('/api/v1/me').set('Authorization', `Bearer ${session.accessToken}`).expect(401);
    await second.close();
    await first.http.get('/api/v1/me').set('Authorization', `Bearer ${session.accessToken}`).expect(200);
  });
});

import { SessionCheckCache } from '../../libs/identity/src/auth/session-check-cache';
import { DataSource } from 'typeorm';
import { createCategory, createReport } from '../factories/report.factory';
import { createMunicipality, grantRoles, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

/**
 * API instances reuse a recent session check (SessionCheckCache). These tests hold it to what a
 * person expects of their sessions and roles: nothing revoked, granted or taken away is missed
 * by the next request on the instance that made the change, nor, within moments, on any other
 * instance — even when the change was made by another process straight in the database.
 */
describe('session checks reused across requests', () => {
  // A long reuse, so that only PostgreSQL's announcements can explain an entry being dropped.
  const LONG = { SESSION_CHECK_CACHE_MS: '300000' };
  let a: TestApp;
  let b: TestApp;
  let db: DataSource;
  let admin: Session;
  let town: TestMunicipality;
  let category: string;

  beforeAll(async () => {
    [a, b] = await Promise.all([createTestApp({ env: LONG }), createTestApp({ env: LONG })]);
    db = a.app.get(DataSource);
    admin = await platformAdminSession(a.http);
    town = await createMunicipality(a.http, admin.accessToken);
    category = (await createCategory(a.http, admin.accessToken, town.slug)).code;
    await Promise.all([listening(a), listening(b)]);
  });
  afterAll(() => Promise.all([a?.close(), b?.close()]));

  /** Makes an authenticated request so the instance starts listening, and waits until it does. */
  async function listening(t: TestApp): Promise<void> {
    await admin.auth(t.http.get('/api/v1/me')).expect(200);
    await until(() => t.app.get(SessionCheckCache).active, 'the instance to listen for changes');
  }

  /** Polls `check` every 10 ms for up to 15 s (announcements take milliseconds; a loaded machine, longer). */
  async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 15_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  const triage = (t: TestApp, s: Session) => s.auth(t.http.get(`/api/v1/municipalities/${town.slug}/triage`));
  const me = (t: TestApp, s: Session) => s.auth(t.http.get('/api/v1/me'));
  const statusOf = async (req: PromiseLike<{ status: number }>) => (await req).status;

  /** Changes rows the way another process would, with the announcing triggers switched off. */
  async function silently(sql: string, params: unknown[]): Promise<void> {
    await db.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(sql, params);
    });
  }

  it('reuses a recent check: a change nobody announces is only seen once the entry expires', async () => {
    // Three seconds: the second request comes well within it even on a loaded machine.
    const TTL_MS = 3000;
    const short = await createTestApp({ env: { SESSION_CHECK_CACHE_MS: String(TTL_MS) } });
    try {
      await listening(short);
      const s = await createSession(short.http);
      const beforeStore = Date.now();
      await me(short, s).expect(200);
      await silently(`UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE user_id = $1`, [s.user.id]);
      await me(short, s).expect(200);
      // Refused as soon as the entry expires, and not before: the stored check is at most as old
      // as the time since `beforeStore`.
      const deadline = Date.now() + TTL_MS + 15_000;
      while ((await statusOf(me(short, s))) !== 401) {
        if (Date.now() > deadline) throw new Error('the revoked session was never refused');
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(Date.now() - beforeStore).toBeGreaterThanOrEqual(TTL_MS);
    } finally {
      await short.close();
    }
  });

  it('refuses, on every instance, a session that another process revoked in the database', async () => {
    const s = await createSession(a.http);
    await me(a, s).expect(200);
    await me(b, s).expect(200);
    await db.query(`UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE user_id = $1`, [s.user.id]);
    await until(async () => (await statusOf(me(a, s))) === 401, 'instance A to refuse the session');
    await until(async () => (await statusOf(me(b, s))) === 401, 'instance B to refuse the session');
  });

  it('refuses every session of an account erased by another process', async () => {
    const s = await createSession(a.http);
    await me(b, s).expect(200);
    await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [s.user.id]);
    await until(async () => (await statusOf(me(b, s))) === 401, 'instance B to refuse the erased account');
  });

  it('carries roles granted and taken away to the next request at once on the instance that changed them, and soon on the others', async () => {
    const citizen = await createSession(a.http);
    await triage(a, citizen).expect(403);
    await triage(b, citizen).expect(403);

    await grantRoles(a.http, admin.accessToken, town.slug, citizen.user.id, ['staff']);
    await triage(a, citizen).expect(200);
    await until(async () => (await statusOf(triage(b, citizen))) === 200, 'instance B to see the staff role');

    await grantRoles(a.http, admin.accessToken, town.slug, citizen.user.id, []);
    await triage(a, citizen).expect(403);
    await until(async () => (await statusOf(triage(b, citizen))) === 403, 'instance B to see the role taken away');
  });

  it('sees a role granted by another process straight in the database', async () => {
    const citizen = await createSession(a.http);
    await triage(b, citizen).expect(403);
    await db.query(`INSERT INTO municipality_members (municipality_id, user_id, roles) VALUES ($1, $2, '{staff}')`, [town.id, citizen.user.id]);
    await until(async () => (await statusOf(triage(b, citizen))) === 200, 'instance B to see the staff role');
  });

  it('signs out at once on the instance that signed out, and soon on the others', async () => {
    const s = await createSession(a.http);
    await me(a, s).expect(200);
    await me(b, s).expect(200);
    await s.auth(a.http.post('/api/v1/auth/logout')).expect(204);
    await me(a, s).expect(401);
    await until(async () => (await statusOf(me(b, s))) === 401, 'instance B to refuse the ended session');
  });

  it('files the next report under the name the person just chose', async () => {
    const s = await createSession(a.http, { displayName: 'Before Rename' });
    await createReport(a.http, s.accessToken, town, category);
    await s.auth(a.http.patch('/api/v1/me')).send({ displayName: 'After Rename' }).expect(200);
    const report = (await createReport(a.http, s.accessToken, town, category, { showName: true })) as unknown as { reporterName: string };
    expect(report.reporterName).toBe('After Rename');
  });

  it('reuses nothing while it cannot hear of changes, and nothing from before once it hears again', async () => {
    const s = await createSession(a.http);
    await me(a, s).expect(200);
    const cache = a.app.get(SessionCheckCache);
    await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'civic-principal-changes' AND datname = current_database()`);
    await until(() => !cache.active, 'instance A to notice its listener is gone');
    // While deaf: a change it cannot hear of is seen anyway, because nothing is reused.
    await silently(`UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE user_id = $1`, [s.user.id]);
    await me(a, s).expect(401);
    // Heard again (the listener reconnects): still refused; what was kept before is gone.
    await until(() => cache.active, 'instance A to listen again');
    await me(a, s).expect(401);
    await listening(b);
  });
});

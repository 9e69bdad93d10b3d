import { Client } from 'pg';
import { SessionCheckCache } from '../../libs/identity/src/auth/session-check-cache';
import { isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession } from '../utils/sessions';

/**
 * A reused refresh token revokes its session, and the instance that saw the reuse drops the
 * session from its check cache at once — not when PostgreSQL's announcement arrives. In a
 * database of this suite's own whose auth_sessions announce nothing (their triggers are off), so
 * the instance's own `forget` is the only thing that can end the cached session.
 */
describe('refresh-token reuse and the session check cache', () => {
  let env: IsolatedEnv;
  let t: TestApp;

  beforeAll(async () => {
    env = await isolatedEnv('refresh_reuse');
    const client = new Client({ connectionString: env.databaseUrl });
    await client.connect();
    await client.query('ALTER TABLE auth_sessions DISABLE TRIGGER USER');
    await client.end();
    // A long reuse: an entry can only go because the instance dropped it.
    t = await createTestApp({ env: { ...env.env, SESSION_CHECK_CACHE_MS: '300000' } });
  });
  afterAll(async () => {
    await t?.close();
    await env?.teardown();
  });

  it('refuses the access token of a session ended by reuse on the very next request', async () => {
    const s = await createSession(t.http);
    // Used before the reuse, so the instance holds a check of this session.
    await s.auth(t.http.get('/api/v1/me')).expect(200);
    await s.auth(t.http.get('/api/v1/me')).expect(200);
    expect(t.app.get(SessionCheckCache).active).toBe(true);

    await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(200);
    const reuse = await t.http.post('/api/v1/auth/refresh').send({ refreshToken: s.refreshToken }).expect(401);
    expect(reuse.body.code).toBe('REFRESH_TOKEN_REUSED');

    await s.auth(t.http.get('/api/v1/me')).expect(401);
  });

  it('keeps serving a session that was not reused (the cache is in use here)', async () => {
    const s = await createSession(t.http);
    await s.auth(t.http.get('/api/v1/me')).expect(200);
    // Revoked behind the instance's back, with no announcement: the cached check still answers.
    const client = new Client({ connectionString: env.databaseUrl });
    await client.connect();
    await client.query(`UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE user_id = $1`, [s.user.id]);
    await client.end();
    await s.auth(t.http.get('/api/v1/me')).expect(200);
  });
});


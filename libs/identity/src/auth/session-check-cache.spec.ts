import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { AppConfig, loadConfig } from '@app/common';
import { AUTH_PRINCIPAL_CHANGED_CHANNEL, PrincipalChanges } from './principal-changes';
import { SessionCheckCache, SessionCheckRow } from './session-check-cache';

/** Against this run's PostgreSQL: the cache trusts nothing unless its LISTEN connection is up. */
describe('SessionCheckCache', () => {
  let config: AppConfig;
  let caches: SessionCheckCache[] = [];
  let feeds: PrincipalChanges[] = [];

  beforeAll(() => {
    config = loadConfig();
  });
  afterEach(async () => {
    caches.forEach((cache) => cache.onModuleDestroy());
    await Promise.all(feeds.map((feed) => feed.onModuleDestroy()));
    caches = [];
    feeds = [];
  });

  const row = (): SessionCheckRow => ({
    is_platform_admin: false,
    deleted_at: null,
    sessions_valid_after: new Date(0),
    revoked_at: null,
    memberships: { [randomUUID()]: ['staff'] },
  });

  function newCache(ttlMs: number): SessionCheckCache {
    const feed = new PrincipalChanges(config);
    const cache = new SessionCheckCache({ ...config, sessionCheckCacheMs: ttlMs }, feed);
    feeds.push(feed);
    caches.push(cache);
    return cache;
  }

  async function listeningCache(ttlMs = 60_000): Promise<SessionCheckCache> {
    const cache = newCache(ttlMs);
    cache.mark();
    const deadline = Date.now() + 5000;
    while (!cache.active) {
      if (Date.now() > deadline) throw new Error('the cache never started listening');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return cache;
  }

  it('keeps a check made while listening, for that person and session only', async () => {
    const cache = await listeningCache();
    const [user, session] = [randomUUID(), randomUUID()];
    const checked = row();
    cache.store(cache.mark(), user, session, checked);
    expect(cache.get(user, session)).toBe(checked);
    expect(cache.get(randomUUID(), session)).toBeUndefined();
    expect(cache.get(user, randomUUID())).toBeUndefined();
  });

  it('hands out a frozen row, so no request can change what the next one sees', async () => {
    const cache = await listeningCache();
    const [user, session] = [randomUUID(), randomUUID()];
    cache.store(cache.mark(), user, session, row());
    const kept = cache.get(user, session)!;
    expect(Object.isFrozen(kept)).toBe(true);
    expect(Object.isFrozen(kept.memberships)).toBe(true);
    expect(Object.values(kept.memberships!).every((roles) => Object.isFrozen(roles))).toBe(true);
  });

  it('does not keep a check that was reading when any change arrived', async () => {
    const cache = await listeningCache();
    const [user, session] = [randomUUID(), randomUUID()];
    const mark = cache.mark();
    cache.forget(randomUUID());
    cache.store(mark, user, session, row());
    expect(cache.get(user, session)).toBeUndefined();
  });

  it('forgets every session of the person a change is about, and only theirs', async () => {
    const cache = await listeningCache();
    const [user, other] = [randomUUID(), randomUUID()];
    const sessions = [randomUUID(), randomUUID()];
    const otherSession = randomUUID();
    for (const session of sessions) cache.store(cache.mark(), user, session, row());
    cache.store(cache.mark(), other, otherSession, row());
    cache.forget(user);
    expect(sessions.map((session) => cache.get(user, session))).toEqual([undefined, undefined]);
    expect(cache.get(other, otherSession)).toBeDefined();
  });

  it('forgets a person when PostgreSQL announces a change about them', async () => {
    const cache = await listeningCache();
    const [user, session] = [randomUUID(), randomUUID()];
    cache.store(cache.mark(), user, session, row());
    const db = new Client({ connectionString: config.databaseUrl });
    await db.connect();
    try {
      await db.query(`SELECT pg_notify($1, $2)`, [AUTH_PRINCIPAL_CHANGED_CHANNEL, user]);
    } finally {
      await db.end();
    }
    const deadline = Date.now() + 3000;
    while (cache.get(user, session) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
    expect(cache.get(user, session)).toBeUndefined();
  });

  it('keeps nothing before it listens, nor when switched off', async () => {
    const deaf = newCache(60_000);
    const off = newCache(0);
    const [user, session] = [randomUUID(), randomUUID()];
    // The first mark starts the LISTEN connection; until it is up nothing is trusted.
    deaf.store(deaf.mark(), user, session, row());
    expect(deaf.get(user, session)).toBeUndefined();
    off.store(off.mark(), user, session, row());
    expect(off.get(user, session)).toBeUndefined();
    expect(off.active).toBe(false);
  });

  it('lets an entry expire after its time', async () => {
    const cache = await listeningCache(50);
    const [user, session] = [randomUUID(), randomUUID()];
    cache.store(cache.mark(), user, session, row());
    expect(cache.get(user, session)).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(cache.get(user, session)).toBeUndefined();
  });
});

import { randomBytes } from 'node:crypto';
import { ensureDatabase, runMigrations } from '@app/common';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';

/** The constant in libs/common/src/db/database-admin.ts: every instance's migrator takes it. */
const MIGRATION_LOCK_KEY = 727_311_001;

/**
 * Instances that start at once each run pending migrations (README: "migrations run under a
 * PostgreSQL advisory lock"). In databases of this suite's own: an empty one per test, so every
 * migration is pending.
 */
describe('migrations under the advisory lock', () => {
  // The databases go with the run's (global-teardown).
  async function emptyDatabase(): Promise<string> {
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `${url.pathname}_migrate_${randomBytes(3).toString('hex')}`;
    await ensureDatabase(url.toString());
    return url.toString();
  }

  async function connect(url: string): Promise<Client> {
    const client = new Client({ connectionString: url });
    await client.connect();
    return client;
  }

  async function appliedNames(client: Client): Promise<string[]> {
    const { rows } = await client.query<{ name: string }>(`SELECT name FROM migrations ORDER BY id`);
    return rows.map((r) => r.name);
  }

  it('waits for the lock: nothing is migrated while another holder keeps it', async () => {
    const url = await emptyDatabase();
    const holder = await connect(url);
    try {
      await holder.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      let finished = false;
      const migrating = runMigrations(url, MIGRATIONS).finally(() => (finished = true));
      // Positive signal: the migrator's own connection is queued on our lock.
      for (let waited = 0; ; waited += 20) {
        const { rows } = await holder.query(
          `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
            WHERE l.locktype = 'advisory' AND NOT l.granted AND a.datname = current_database()`,
        );
        if (rows[0].n === 1) break;
        if (finished || waited > 15_000) throw new Error('the migrator never waited for the lock');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const { rows } = await holder.query(`SELECT to_regclass('migrations') AS t`);
      expect(rows[0].t).toBeNull();
      expect(finished).toBe(false);

      await holder.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
      expect(await migrating).toHaveLength(MIGRATIONS.length);
    } finally {
      await holder.end();
    }
  });

  it('two migrators started at once: one applies every migration, the other none, and each is recorded once', async () => {
    const url = await emptyDatabase();
    const [first, second] = await Promise.all([runMigrations(url, MIGRATIONS), runMigrations(url, MIGRATIONS)]);
    expect([first.length, second.length].sort((a, b) => a - b)).toEqual([0, MIGRATIONS.length]);
    const client = await connect(url);
    try {
      const names = await appliedNames(client);
      expect(names).toHaveLength(MIGRATIONS.length);
      expect(new Set(names).size).toBe(MIGRATIONS.length);
    } finally {
      await client.end();
    }
  });
});

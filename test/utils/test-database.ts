import { ensureDatabase, runMigrations } from '../../libs/common/src/db/database-admin';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';

/**
 * A migrated database for a suite of its own. global-setup migrates one template database per
 * run (TEST_TEMPLATE_DATABASE_URL); copying it takes a fraction of running the migrations again,
 * which two dozen suites used to do. Without a template (a script outside Jest), it migrates.
 * Tests of the migrations themselves (migration-lock) migrate for real and do not use this.
 */
export async function createMigratedDatabase(databaseUrl: string): Promise<void> {
  const template = process.env.TEST_TEMPLATE_DATABASE_URL;
  if (!template) {
    await ensureDatabase(databaseUrl);
    await runMigrations(databaseUrl, MIGRATIONS);
    return;
  }
  await copyDatabase(template, databaseUrl);
}

/**
 * CREATE DATABASE target TEMPLATE source; the source must have no session open. The copy commits
 * without waiting for the WAL flush (see withoutCommitFlush).
 */
export async function copyDatabase(sourceUrl: string, targetUrl: string): Promise<void> {
  const source = databaseName(sourceUrl);
  const target = databaseName(targetUrl);
  const admin = new URL(targetUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    for (let attempt = 1; ; attempt++) {
      try {
        await client.query(`CREATE DATABASE "${target}" TEMPLATE "${source}"`);
        await client.query(withoutCommitFlush(target));
        return;
      } catch (error) {
        // 55006: a session on the template has not quite ended yet (the migrator's, just closed).
        if ((error as { code?: string }).code !== '55006' || attempt >= 50) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await client.end();
  }
}

/**
 * The statement that makes a test database's sessions commit without waiting for the WAL to
 * reach the disk (`synchronous_commit = off`, set on the database, so every session opened on it
 * afterwards has it: the API's, the worker's, child processes'). A commit is still atomic and
 * visible to every other session at once; only a crash of the PostgreSQL server itself could lose
 * the last few hundred milliseconds of commits, which no test does. The flush cost 5-10 ms per
 * commit on this machine, and a run makes tens of thousands of commits. (A per-database setting
 * is not copied by CREATE DATABASE ... TEMPLATE, hence one per copy.)
 */
export function withoutCommitFlush(databaseName: string): string {
  return `ALTER DATABASE "${databaseName}" SET synchronous_commit = off`;
}

export function databaseName(url: string): string {
  const name = decodeURIComponent(new URL(url).pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`Unsupported database name "${name}"`);
  return name;
}

import 'reflect-metadata';
import { ensureDatabase, runMigrations } from '@app/common';
import { MIGRATIONS } from '../../../migrations';
import { loadConfigOrExit, redactUrl, say } from './cli-config';

async function createDatabase(databaseUrl: string): Promise<void> {
  try {
    if (await ensureDatabase(databaseUrl)) say('migrate', `created database ${redactUrl(databaseUrl)}`);
  } catch (error) {
    // Managed PostgreSQL often forbids the maintenance database or CREATE DATABASE; the database
    // then exists already, and if not, the migration says so.
    say('migrate', `could not check or create the database (${(error as Error).message}); continuing`);
  }
}

/**
 * Creates the database if missing and applies pending migrations, from compiled code: what a
 * production image runs (`npm run db:migrate`, the compose `migrate` service) where neither
 * TypeScript nor the TypeORM CLI's loaders are wanted. Safe to run from several instances at once:
 * runMigrations holds a PostgreSQL advisory lock.
 */
export async function migrate(databaseUrl: string): Promise<string[]> {
  await createDatabase(databaseUrl);
  const applied = await runMigrations(databaseUrl, MIGRATIONS);
  say('migrate', applied.length ? `applied ${applied.join(', ')}` : 'schema is up to date');
  return applied;
}

// --create-database-only: the first half, run before the TypeORM CLI in `npm run migration:run`.
if (require.main === module) {
  const config = loadConfigOrExit();
  const task = process.argv.includes('--create-database-only') ? createDatabase(config.databaseUrl) : migrate(config.databaseUrl);
  task.then(
    () => undefined,
    (error: unknown) => {
      process.stderr.write(`[migrate] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(1);
    },
  );
}

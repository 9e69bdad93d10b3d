import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../libs/common/src/config/app-config';
import { ensureDatabase, runMigrations } from '../../libs/common/src/db/database-admin';
import { Client } from 'pg';
import { MIGRATIONS } from '../../migrations';
import { compileTree } from '../utils/compiled-tree';
import { startSharedChromium } from '../utils/shared-chromium';
import { copyDatabase, databaseName, withoutCommitFlush } from '../utils/test-database';

/**
 * Each `npm test` run gets its own database and its own Redis key prefix, created here and
 * handed to the test workers through the environment.
 */
export default async function globalSetup(globalConfig: { testPathPatterns?: { patterns?: string[] } }): Promise<void> {
  const started = performance.now();
  const run = `${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
  const base = new URL(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic');
  base.pathname = `/civic_test_${run}`;
  process.env.NODE_ENV = 'test';
  process.env.DATABASE_URL = base.toString();
  process.env.QUEUE_PREFIX = `civic_test_${run}`;
  process.env.JWT_SECRET = randomBytes(32).toString('hex');
  process.env.LOG_LEVEL = process.env.TEST_LOG_LEVEL ?? 'silent';
  // Tests share one IP (127.0.0.1); the limits themselves are tested with their own app instance.
  process.env.RATE_LIMIT_PER_MINUTE = '1000000';
  process.env.AUTH_RATE_LIMIT_PER_MINUTE = '1000000';
  process.env.LOGIN_MAX_FAILURES_PER_IP = '100000';
  process.env.ADMIN_EMAIL = 'platform-admin@test.local';
  process.env.ADMIN_PASSWORD = 'Platform-admin-password-1';
  process.env.QUEUE_LOCK_MS = '3000';
  process.env.OUTBOX_POLL_MS = '200';
  // Thousands of sign-ups: argon2id at its production cost (64 MiB, 3 passes) was most of the
  // run's CPU. The login timing test sets the production cost on its own app.
  process.env.PASSWORD_HASH_MEMORY_KIB ??= '256';
  process.env.PASSWORD_HASH_PASSES ??= '1';
  loadConfig();
  // Migrated once, as a template no one connects to: the run's database and every suite's own
  // database (test/utils/test-database.ts) are copies of it.
  const template = new URL(base);
  template.pathname = `/civic_test_${run}_template`;
  process.env.TEST_TEMPLATE_DATABASE_URL = template.toString();
  // The JavaScript that tests run as real processes (test/utils/compiled-tree.ts), compiled
  // while the template migrates.
  process.env.TEST_BUILD_DIR = join(tmpdir(), `civic_test_${run}_build`);
  // Each grouped suite's time (test/setup/e2e-groups.js), merged at teardown.
  process.env.TEST_DURATIONS_LOG = join(tmpdir(), `civic_test_${run}_durations.jsonl`);
  await Promise.all([
    compileTree(process.env.TEST_BUILD_DIR),
    startSharedChromium(globalConfig.testPathPatterns?.patterns ?? []),
    (async () => {
      await ensureDatabase(template.toString());
      await onServer(template.toString(), withoutCommitFlush(databaseName(template.toString())));
      await runMigrations(template.toString(), MIGRATIONS);
      await copyDatabase(template.toString(), process.env.DATABASE_URL!);
    })(),
  ]);
  process.stderr.write(`\nglobal setup: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

async function onServer(databaseUrl: string, statement: string): Promise<void> {
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

import { rmSync } from 'node:fs';
import Redis from 'ioredis';
import { Client } from 'pg';
import { dropDatabase } from '../../libs/common/src/db/database-admin';
import { stopSharedChromium } from '../utils/shared-chromium';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { recordDurations } = require('./e2e-groups') as { recordDurations: (logPath: string) => void };

export default async function globalTeardown(): Promise<void> {
  const started = performance.now();
  await stopSharedChromium();
  if (process.env.TEST_DURATIONS_LOG) recordDurations(process.env.TEST_DURATIONS_LOG);
  const build = process.env.TEST_BUILD_DIR;
  if (build?.includes('civic_test_')) rmSync(build, { recursive: true, force: true });
  if (process.env.DATABASE_URL?.includes('civic_test_')) await dropRunDatabases(process.env.DATABASE_URL);
  const prefix = process.env.QUEUE_PREFIX;
  if (prefix?.startsWith('civic_test_')) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
  process.stderr.write(`global teardown: ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
}

/**
 * The run's database, its template and every suite's own database (named after the run's). They
 * are dropped here, several at once, rather than by each suite: every DROP DATABASE waits for a
 * checkpoint (about 4 s on this machine), and drops running together share one.
 * KEEP_TEST_DATABASE=1 keeps all but the template, to look at after a failure.
 */
async function dropRunDatabases(databaseUrl: string): Promise<void> {
  const run = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const template = process.env.TEST_TEMPLATE_DATABASE_URL;
  const admin = new URL(databaseUrl);
  admin.pathname = '/postgres';
  const client = new Client({ connectionString: admin.toString() });
  await client.connect();
  let names: string[];
  try {
    names = (await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [run])).rows.map((r) => r.datname);
  } finally {
    await client.end();
  }
  const urls = names.map((name) => {
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    return url.toString();
  });
  const keep = process.env.KEEP_TEST_DATABASE === '1';
  const waiting = urls.filter((url) => !keep || url === template);
  // A few connections at a time: the server's connection limit is shared with other runs.
  const dropNext = async (): Promise<void> => {
    for (let url = waiting.shift(); url; url = waiting.shift()) await dropDatabase(url);
  };
  await Promise.all(Array.from({ length: 6 }, dropNext));
}

/**
 * `npm run bench -- http`: the cost of the product's HTTP pipeline. GET /health/ready of the
 * compiled API (two checks: SELECT 1 and a Redis PING) against a bare Fastify + pg + ioredis
 * server doing the same two checks (bench/baseline/http-baseline.ts). Both run as separate
 * processes in the same run, loaded in turn by autocannon; each figure is the median of
 * BENCH_RUNS runs (default 5) of BENCH_SECONDS seconds (default 5) at BENCH_CONNECTIONS
 * connections (default 20), after a 2 s warm-up. About a minute in all.
 */
import { execSync } from 'node:child_process';
import { ensureDatabase, runMigrations } from '../libs/common/src';
import { MIGRATIONS } from '../migrations';
import { fmt, load, LoadResult, startService, summarise } from './lib/bench-kit';
import { NODE_FLAGS } from '../apps/cli/src/node-flags';

const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 20);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench';

export async function run(): Promise<void> {
  console.log(`http benchmark: GET /health/ready, ${RUNS} runs × ${SECONDS} s at ${CONNECTIONS} connections per side`);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS);
  console.log('building the product (npm run build)…');
  execSync('npm run -s build', { stdio: 'inherit' });

  // The product as deployed, minus request logs (they would measure the terminal); /health skips the throttler anyway.
  const env = { DATABASE_URL, NODE_ENV: 'development', LOG_LEVEL: 'warn', QUEUE_PREFIX: 'civic_bench', RATE_LIMIT_PER_MINUTE: '1000000' };
  const api = await startService('api', 'dist/apps/api/src/main.js', env, '/health/ready', NODE_FLAGS.api);
  const base = await startService('baseline', 'dist/bench/baseline/http-baseline.js', { DATABASE_URL }, '/health/ready');
  try {
    const measure = (url: string) => () => load({ url: `${url}/health/ready`, connections: CONNECTIONS, durationSeconds: SECONDS });
    await load({ url: `${api.url}/health/ready`, connections: CONNECTIONS, durationSeconds: 2 });
    await load({ url: `${base.url}/health/ready`, connections: CONNECTIONS, durationSeconds: 2 });
    // Alternate the two sides run by run, so drift on the machine hits both alike.
    const product: LoadResult[] = [];
    const baseline: LoadResult[] = [];
    for (let i = 0; i < RUNS; i++) {
      product.push(await measure(api.url)());
      baseline.push(await measure(base.url)());
    }
    const p = summarise(product);
    const b = summarise(baseline);

    console.log('');
    console.log(`GET /health/ready — medians of ${RUNS} runs of ${SECONDS} s, ${CONNECTIONS} connections`);
    console.log('| measure | product | baseline | product / baseline |');
    console.log('|---|---|---|---|');
    console.log(`| throughput (req/s) | ${fmt(p.rps, 0)} | ${fmt(b.rps, 0)} | ${fmt((p.rps / b.rps) * 100, 0)}% |`);
    console.log(`| p50 latency (ms) | ${fmt(p.p50, 0)} | ${fmt(b.p50, 0)} | ${fmt(p.p50 / Math.max(1, b.p50), 1)}× |`);
    console.log(`| p99 latency (ms) | ${fmt(p.p99, 0)} | ${fmt(b.p99, 0)} | ${fmt(p.p99 / Math.max(1, b.p99), 1)}× |`);
    console.log(`| API RSS after the runs (MB) | ${fmt(api.rssMb(), 0)} | ${fmt(base.rssMb(), 0)} | |`);
    for (const [name, r] of [['product', p], ['baseline', b]] as const) {
      if (r.non2xx || r.errors) console.log(`! ${name}: ${r.non2xx} non-2xx, ${r.errors} errors`);
    }
  } finally {
    await api.stop();
    await base.stop();
  }
}

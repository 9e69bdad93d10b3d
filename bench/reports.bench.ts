/**
 * `npm run bench -- reports`: loads BENCH_REPORTS reports (default 1,000,000) over two
 * municipalities, then measures, in one run, the product beside a bare Fastify + pg baseline
 * (bench/baseline/reports-baseline.ts) doing the equivalent insert and selects:
 * report submission at 50 connections, and the public list (bbox), nearby and triage-queue
 * queries. Each figure is the median of BENCH_RUNS runs, the product's and the baseline's in turn. It EXPLAINs the product's own SQL to
 * show which index serves each query, and samples the API's RSS under load.
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { ensureDatabase, loadConfig, PlatformModule, runMigrations } from '../libs/common/src';
import { ReportsModule, ReportsService, TriageQueueService } from '../libs/reports/src';
import { MIGRATIONS } from '../migrations';
import { fmt, interleavedMedians, LoadResult, load, startService, Service, withCpu } from './lib/bench-kit';
import { NODE_FLAGS } from '../apps/cli/src/node-flags';

const TOTAL = Number(process.env.BENCH_REPORTS ?? 1_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
// Read queries are timed at a modest concurrency: on 2 cores shared by PostgreSQL, the API and
// the load generator, more connections measure queueing, not the query.
const QUERY_CONNECTIONS = Number(process.env.BENCH_QUERY_CONNECTIONS ?? 4);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench';
const PASSWORD = 'Bench-password-2026!';

export interface Town {
  id: string;
  slug: string;
  bbox: [number, number, number, number];
  categories: Array<{ id: string; code: string }>;
}

// Two towns of about 10 km × 10 km around Lille and Roubaix.
const TOWNS = [
  { slug: 'bench-lille', name: 'Lille (bench)', center: [3.0573, 50.6292] },
  { slug: 'bench-roubaix', name: 'Roubaix (bench)', center: [3.1746, 50.6942] },
] as const;
const HALF = 0.045;
/** What the submission runs file, so the next run can take them out again. */
const SUBMITTED_DESCRIPTION = 'Bench pothole on the main road';

/**
 * Takes out what earlier runs' submissions added (reports, their timeline, follows and events),
 * so every run measures the same bulk-loaded million, not a table that grows run after run.
 */
async function removeSubmitted(db: Client): Promise<void> {
  const { rowCount } = await db.query(`DELETE FROM reports WHERE description = $1`, [SUBMITTED_DESCRIPTION]);
  await db.query(`DELETE FROM follows WHERE subject_type = 'report' AND NOT EXISTS (SELECT 1 FROM reports r WHERE r.id = follows.subject_id)`);
  await db.query(`DELETE FROM outbox_events WHERE type = 'report.created'`);
  if (rowCount) console.log(`removed ${rowCount} reports filed by earlier runs`);
  await db.query('VACUUM (ANALYZE) reports');
}

async function fixtures(db: Client): Promise<{ towns: Town[]; citizenEmail: string; staffEmail: string; citizenId: string }> {
  const towns: Town[] = [];
  for (const t of TOWNS) {
    const [minLng, minLat, maxLng, maxLat] = [t.center[0] - HALF, t.center[1] - HALF, t.center[0] + HALF, t.center[1] + HALF];
    const boundary = { type: 'Polygon', coordinates: [[[minLng, minLat], [maxLng, minLat], [maxLng, maxLat], [minLng, maxLat], [minLng, minLat]]] };
    await db.query(
      `INSERT INTO municipalities (slug, name, timezone, locale, boundary, bbox) VALUES ($1, $2, 'Europe/Paris', 'fr', $3, box(point($4, $5), point($6, $7)))
       ON CONFLICT (slug) DO NOTHING`,
      [t.slug, t.name, JSON.stringify(boundary), minLng, minLat, maxLng, maxLat],
    );
    const { rows } = await db.query(`SELECT id FROM municipalities WHERE slug = $1`, [t.slug]);
    const id = rows[0].id as string;
    for (const code of ['pothole', 'streetlight', 'graffiti']) {
      await db.query(
        `INSERT INTO report_categories (municipality_id, code, name, department, service_levels)
         VALUES ($1, $2, $3, 'roads', $4) ON CONFLICT DO NOTHING`,
        [id, code, JSON.stringify({ fr: code, en: code }), JSON.stringify({ normal: { acknowledgeWithin: { amount: 8, unit: 'hours' }, resolveWithin: { amount: 10, unit: 'days' } } })],
      );
    }
    const cats = await db.query(`SELECT id, code FROM report_categories WHERE municipality_id = $1 ORDER BY code`, [id]);
    towns.push({ id, slug: t.slug, bbox: [minLng, minLat, maxLng, maxLat], categories: cats.rows });
  }
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id });
  const people = { citizenEmail: 'bench-citizen@bench.local', staffEmail: 'bench-staff@bench.local' };
  for (const email of Object.values(people)) {
    await db.query(
      `INSERT INTO users (email, password_hash, display_name, email_verified_at) VALUES ($1, $2, $3, now()) ON CONFLICT (email) DO NOTHING`,
      [email, hash, email.split('@')[0]],
    );
  }
  const staff = await db.query(`SELECT id FROM users WHERE email = $1`, [people.staffEmail]);
  for (const town of towns) {
    await db.query(
      `INSERT INTO municipality_members (municipality_id, user_id, roles) VALUES ($1, $2, ARRAY['staff']) ON CONFLICT DO NOTHING`,
      [town.id, staff.rows[0].id],
    );
  }
  const citizen = await db.query(`SELECT id FROM users WHERE email = $1`, [people.citizenEmail]);
  return { towns, ...people, citizenId: citizen.rows[0].id };
}

/** Bulk load with INSERT … SELECT generate_series: minutes, not hours, for a million rows. */
async function bulkLoad(db: Client, towns: Town[], citizenId: string): Promise<void> {
  const { rows } = await db.query(`SELECT count(*)::int AS n FROM reports`);
  let have = rows[0].n as number;
  if (have >= TOTAL) {
    console.log(`reports table already holds ${have} rows`);
    return;
  }
  const started = Date.now();
  const batch = 100_000;
  while (have < TOTAL) {
    const n = Math.min(batch, TOTAL - have);
    const town = towns[Math.floor(have / batch) % towns.length];
    const [minLng, minLat, maxLng, maxLat] = town.bbox;
    await db.query(
      `INSERT INTO reports (municipality_id, kind, category_id, category_code, status, description, lat, lng, location,
                            reporter_id, priority, created_at, updated_at, acknowledge_due_at, resolve_due_at)
       SELECT $1, (ARRAY['problem','problem','problem','suggestion','compliment'])[1 + (g % 5)],
              c.id, c.code,
              (ARRAY['new','acknowledged','in_progress','resolved','closed','closed','closed','rejected'])[1 + (g % 8)],
              'Bench report ' || g, p.lat, p.lng, point(p.lng, p.lat),
              $6, (ARRAY['low','normal','normal','high','urgent'])[1 + (g % 5)],
              t.at, t.at, t.at + interval '8 hours', t.at + interval '14 days'
       FROM generate_series(1, $7::int) g
       -- Each lateral mentions g: an uncorrelated subquery would be evaluated once, giving every row the same point.
       CROSS JOIN LATERAL (SELECT $2::float8 + random() * ($4::float8 - $2::float8) + 0 * g AS lng, $3::float8 + random() * ($5::float8 - $3::float8) AS lat) p
       CROSS JOIN LATERAL (SELECT now() - random() * interval '730 days' + 0 * g * interval '1 second' AS at) t
       CROSS JOIN LATERAL (SELECT id, code FROM report_categories WHERE municipality_id = $1 ORDER BY code OFFSET (g % 3) LIMIT 1) c`,
      [town.id, minLng, minLat, maxLng, maxLat, citizenId, n],
    );
    have += n;
    console.log(`  loaded ${have} / ${TOTAL} (${fmt((Date.now() - started) / 1000, 0)} s)`);
  }
  await db.query('ANALYZE reports');
  console.log(`bulk load: ${TOTAL} reports in ${fmt((Date.now() - started) / 1000, 0)} s`);
}

function randomBox(town: Town, size = 0.01): string {
  const [minLng, minLat, maxLng, maxLat] = town.bbox;
  const lng = minLng + Math.random() * (maxLng - minLng - size);
  const lat = minLat + Math.random() * (maxLat - minLat - size);
  return `${fmt(lng, 5)},${fmt(lat, 5)},${fmt(lng + size, 5)},${fmt(lat + size, 5)}`;
}

function randomPoint(town: Town): { lat: number; lng: number } {
  const [minLng, minLat, maxLng, maxLat] = town.bbox;
  return { lng: minLng + 0.005 + Math.random() * (maxLng - minLng - 0.01), lat: minLat + 0.005 + Math.random() * (maxLat - minLat - 0.01) };
}

async function login(api: Service, email: string): Promise<string> {
  const res = await fetch(`${api.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

function indexesIn(plan: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown) => {
    if (!node || typeof node !== 'object') return;
    const n = node as Record<string, unknown>;
    if (typeof n['Index Name'] === 'string') found.add(`${n['Node Type']} on ${n['Index Name']}`);
    for (const child of (n.Plans as unknown[]) ?? []) walk(child);
    if (n.Plan) walk(n.Plan);
  };
  (plan as unknown[]).forEach(walk);
  return [...found];
}

@Module({})
class ExplainModule {}

/** EXPLAINs the SQL the product itself builds for each query. */
export async function explainProductQueries(db: Client, town: Town): Promise<Record<string, string[]>> {
  process.env.DATABASE_URL = DATABASE_URL;
  const config = loadConfig({ ...process.env, DATABASE_URL, LOG_LEVEL: 'silent' });
  const ctx = await NestFactory.createApplicationContext(
    { module: ExplainModule, imports: [PlatformModule.forRoot(config), ReportsModule] },
    { logger: false },
  );
  try {
    const reports = ctx.get(ReportsService);
    const point = randomPoint(town);
    const queries: Record<string, [string, unknown[]]> = {
      list: reports.listQuery(town.id, { userId: null, isStaff: false }, { bbox: randomBox(town) }, 50).toQuery(),
      nearby: reports.nearbyQuery(town.id, { userId: null, isStaff: false }, { ...point, radius: 250 }).toQuery(),
    };
    queries['triage queue'] = ctx.get(TriageQueueService).queueQuery(town.id, randomUUID(), {}, 50).toQuery();
    const out: Record<string, string[]> = {};
    for (const [name, [sql, params]] of Object.entries(queries)) {
      const { rows } = await db.query(`EXPLAIN (FORMAT JSON) ${sql}`, params);
      out[name] = indexesIn(rows[0]['QUERY PLAN']);
      // The product runs these as prepared statements, which PostgreSQL may serve with a
      // generic plan (no parameter values): show that plan's indexes too.
      const statement = `bench_${name.replace(/\W/g, '_')}`;
      await db.query(`PREPARE ${statement} AS ${sql}`);
      await db.query(`SET plan_cache_mode = force_generic_plan`);
      try {
        // EXPLAIN EXECUTE takes no bind parameters: the values go in as (untyped) literals.
        const literals = params.map((p) => (p === null ? 'NULL' : db.escapeLiteral(p instanceof Date ? p.toISOString() : String(p))));
        const generic = await db.query(`EXPLAIN (FORMAT JSON) EXECUTE ${statement}${literals.length ? `(${literals.join(', ')})` : ''}`);
        out[`${name} (generic plan)`] = indexesIn(generic.rows[0]['QUERY PLAN']);
      } finally {
        await db.query(`RESET plan_cache_mode`);
        await db.query(`DEALLOCATE ${statement}`);
      }
    }
    return out;
  } finally {
    await ctx.close();
  }
}

export async function run(): Promise<void> {
  console.log(`reports benchmark: ${TOTAL} reports, ${RUNS} runs × ${SECONDS} s per figure`);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const { towns, citizenEmail, staffEmail, citizenId } = await fixtures(db);
  await removeSubmitted(db);
  await bulkLoad(db, towns, citizenId);

  console.log('building the product (npm run build)…');
  execSync('npm run build', { stdio: 'ignore' });
  const env = {
    DATABASE_URL,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: 'civic_bench',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const api = await startService('api', 'dist/apps/api/src/main.js', env, '/health/ready', NODE_FLAGS.api);
  const base = await startService('baseline', 'dist/bench/baseline/reports-baseline.js', { DATABASE_URL }, '/health');
  let rssMax = 0;
  const sampler = setInterval(() => (rssMax = Math.max(rssMax, api.rssMb())), 250);
  try {
    const citizen = await login(api, citizenEmail);
    const staff = await login(api, staffEmail);
    const town = towns[0];
    const category = town.categories[0];
    const results: Record<string, { product: LoadResult; baseline: LoadResult }> = {};

    // Each submission at a random point of the town: piled on one point, they would make a hot
    // spot that the later nearby and list measurements keep running into.
    const submission = (): Record<string, unknown> => ({
      kind: 'problem',
      categoryCode: category.code,
      description: SUBMITTED_DESCRIPTION,
      location: randomPoint(town),
    });
    console.log('measuring report submission (50 connections)…');
    results.submission = await interleavedMedians(
      RUNS,
      withCpu(api, () =>
        load({
          url: `${api.url}/api/v1/municipalities/${town.slug}/reports`,
          method: 'POST',
          connections: 50,
          durationSeconds: SECONDS,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${citizen}` },
          bodyFn: () => JSON.stringify(submission()),
        }), SECONDS),
      withCpu(base, () =>
        load({
          url: `${base.url}/reports`,
          method: 'POST',
          connections: 50,
          durationSeconds: SECONDS,
          headers: { 'content-type': 'application/json' },
          bodyFn: () =>
            JSON.stringify({
              municipalityId: town.id,
              categoryId: category.id,
              categoryCode: category.code,
              description: SUBMITTED_DESCRIPTION,
              reporterId: citizenId,
              ...randomPoint(town),
            }),
        }), SECONDS),
    );

    // The submissions just added ~100,000 rows: let autovacuum's and the checkpointer's work on
    // them happen now, not during the read measurements (it would land on whichever side ran then).
    console.log('vacuuming and checkpointing after the submissions…');
    await db.query('VACUUM (ANALYZE) reports');
    await db.query('CHECKPOINT');

    const query = async (name: string, productPath: () => string, baselinePath: () => string, headers: Record<string, string> = {}) => {
      console.log(`measuring ${name} (${QUERY_CONNECTIONS} connections)…`);
      results[name] = await interleavedMedians(
        RUNS,
        () => load({ url: api.url, connections: QUERY_CONNECTIONS, durationSeconds: SECONDS, headers, path: productPath }),
        () => load({ url: base.url, connections: QUERY_CONNECTIONS, durationSeconds: SECONDS, path: baselinePath }),
      );
    };
    await query(
      'list (bbox)',
      () => `/api/v1/municipalities/${town.slug}/reports?bbox=${randomBox(town)}&limit=50`,
      () => `/reports?m=${town.id}&bbox=${randomBox(town)}`,
    );
    await query(
      'nearby',
      () => {
        const p = randomPoint(town);
        return `/api/v1/municipalities/${town.slug}/reports/nearby?lat=${p.lat}&lng=${p.lng}&radius=250`;
      },
      () => {
        const p = randomPoint(town);
        return `/nearby?m=${town.id}&lat=${p.lat}&lng=${p.lng}`;
      },
    );
    const triageProbe = await fetch(`${api.url}/api/v1/municipalities/${town.slug}/triage?limit=50`, { headers: { authorization: `Bearer ${staff}` } });
    if (triageProbe.ok) {
      await query('triage queue', () => `/api/v1/municipalities/${town.slug}/triage?limit=50`, () => `/triage?m=${town.id}`, { authorization: `Bearer ${staff}` });
    } else {
      console.log(`triage queue not measured: the product answered ${triageProbe.status}`);
    }

    const plans = await explainProductQueries(db, town);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM reports`);

    console.log('');
    console.log(`Reports at ${rows[0].n} rows — medians of ${RUNS} runs of ${SECONDS} s (product vs bare Fastify + pg)`);
    console.log('| measure | product | baseline | ratio | target |');
    console.log('|---|---|---|---|---|');
    const s = results.submission;
    const ratio = s.product.rps / s.baseline.rps;
    console.log(`| submission throughput (req/s, 50 conn) | ${fmt(s.product.rps, 0)} | ${fmt(s.baseline.rps, 0)} | ${fmt(ratio * 100, 0)}% | ≥ 40% ${ratio >= 0.4 ? '✓' : '✗'} |`);
    console.log(`| submission p99 (ms) | ${fmt(s.product.p99, 0)} | ${fmt(s.baseline.p99, 0)} | ${fmt(s.product.p99 / Math.max(1, s.baseline.p99), 1)}× | |`);
    if (s.product.cpuMsPerRequest !== undefined && s.baseline.cpuMsPerRequest !== undefined) {
      console.log(
        `| submission, server CPU per request (ms) | ${fmt(s.product.cpuMsPerRequest, 2)} | ${fmt(s.baseline.cpuMsPerRequest, 2)} | ${fmt(s.product.cpuMsPerRequest / s.baseline.cpuMsPerRequest, 1)}× | |`,
      );
    }
    for (const name of ['list (bbox)', 'nearby', 'triage queue']) {
      const r = results[name];
      if (!r) continue;
      console.log(
        `| ${name} p50 / p99 (ms) | ${fmt(r.product.p50, 0)} / ${fmt(r.product.p99, 0)} | ${fmt(r.baseline.p50, 0)} / ${fmt(r.baseline.p99, 0)} | ${fmt(r.product.p99 / Math.max(1, r.baseline.p99), 1)}× | p99 < 25 ms ${r.product.p99 < 25 ? '✓' : '✗'} |`,
      );
    }
    console.log(`| API RSS, max under load (MB) | ${fmt(rssMax, 0)} | | | < 400 MB ${rssMax < 400 ? '✓' : '✗'} |`);
    const failures = Object.entries(results).filter(([, r]) => r.product.non2xx || r.product.errors);
    for (const [name, r] of failures) console.log(`! ${name}: ${r.product.non2xx} non-2xx, ${r.product.errors} errors on the product`);
    console.log('');
    console.log('Indexes used by the product queries (EXPLAIN):');
    for (const [name, used] of Object.entries(plans)) console.log(`  ${name}: ${used.length ? used.join(', ') : 'NO INDEX — sequential scan'}`);

    mkdirSync('bench/results', { recursive: true });
    writeFileSync(
      `bench/results/reports-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
      JSON.stringify({ total: rows[0].n, runs: RUNS, seconds: SECONDS, results, rssMax, plans, id: randomUUID() }, null, 2),
    );
  } finally {
    clearInterval(sampler);
    await api.stop();
    await base.stop();
    await db.end();
  }
}

if (require.main === module) {
  run().then(
    () => process.exit(0),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}

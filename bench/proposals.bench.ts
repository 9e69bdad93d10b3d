/**
 * `npm run bench -- proposals`: loads BENCH_PROPOSALS proposals (default 100,000) with
 * BENCH_SUPPORTS supports (default 2,000,000) in one municipality — by INSERT … SELECT
 * generate_series, in seconds — then measures, in one run, the product beside a bare Fastify + pg
 * baseline (bench/baseline/proposals-baseline.ts) doing the same support transaction and the same
 * selects: supports at 50 connections (a verified resident supporting random published
 * proposals), the list in every sort, and search. Medians of BENCH_RUNS runs, product and
 * baseline in turn. Targets (issue 14): support p99 < 20 ms and ≥ 40 % of the baseline's
 * throughput; list and search p99 < 25 ms.
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { ensureDatabase, runMigrations } from '../libs/common/src';
import { MIGRATIONS } from '../migrations';
import { NODE_FLAGS } from '../apps/cli/src/node-flags';
import { fmt, interleavedMedians, LoadResult, load, startService, withCpu } from './lib/bench-kit';

const PROPOSALS = Number(process.env.BENCH_PROPOSALS ?? 100_000);
const SUPPORTS = Number(process.env.BENCH_SUPPORTS ?? 2_000_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 8);
const QUERY_CONNECTIONS = Number(process.env.BENCH_QUERY_CONNECTIONS ?? 4);
/** BENCH_ONLY=support,search (or list, list random…): only the figures whose names start so. */
const ONLY = (process.env.BENCH_ONLY ?? '').split(',').map((w) => w.trim()).filter(Boolean);
const wanted = (name: string) => ONLY.length === 0 || ONLY.some((o) => name.startsWith(o));
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench_proposals';
const PASSWORD = 'Bench-password-2026!';
const SLUG = 'bench-proposals';
/** Supporters the bulk load draws from: each proposal gets distinct ones. */
const SUPPORTERS = 20_000;
const WORDS = ['éclairage', 'vélo', 'arbres', 'banc', 'marché', 'parc', 'école', 'piste', 'jardin', 'fontaine', 'trottoir', 'bibliothèque', 'compost', 'parking', 'bus'];

async function fixtures(db: Client): Promise<{ townId: string; topicId: string; residentId: string }> {
  const [lng, lat, half] = [3.0573, 50.6292, 0.045];
  const boundary = { type: 'Polygon', coordinates: [[[lng - half, lat - half], [lng + half, lat - half], [lng + half, lat + half], [lng - half, lat + half], [lng - half, lat - half]]] };
  await db.query(
    `INSERT INTO municipalities (slug, name, timezone, locale, boundary, bbox) VALUES ($1, 'Proposals (bench)', 'Europe/Paris', 'fr', $2, box(point($3, $4), point($5, $6)))
     ON CONFLICT (slug) DO NOTHING`,
    [SLUG, JSON.stringify(boundary), lng - half, lat - half, lng + half, lat + half],
  );
  const townId = (await db.query(`SELECT id FROM municipalities WHERE slug = $1`, [SLUG])).rows[0].id as string;
  await db.query(`INSERT INTO proposal_topics (municipality_id, code, name_fr, name_en) VALUES ($1, 'bench', 'Banc d’essai', 'Bench') ON CONFLICT DO NOTHING`, [townId]);
  const topicId = (await db.query(`SELECT id FROM proposal_topics WHERE municipality_id = $1 AND code = 'bench'`, [townId])).rows[0].id as string;
  // Supports stay open for the whole run: a threshold nobody reaches, the default period.
  await db.query(`INSERT INTO proposal_settings (municipality_id, support_threshold) VALUES ($1, 10000000) ON CONFLICT (municipality_id) DO UPDATE SET support_threshold = 10000000`, [townId]);
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id });
  await db.query(`INSERT INTO users (email, password_hash, display_name, email_verified_at) VALUES ('bench-resident@bench.local', $1, 'Bench resident', now()) ON CONFLICT (email) DO NOTHING`, [hash]);
  const residentId = (await db.query(`SELECT id FROM users WHERE email = 'bench-resident@bench.local'`)).rows[0].id as string;
  await db.query(`INSERT INTO residencies (user_id, municipality_id, method) VALUES ($1, $2, 'staff') ON CONFLICT DO NOTHING`, [residentId, townId]);
  return { townId, topicId, residentId };
}

/** Proposals, supporters and supports by generate_series: no row goes through the application. */
async function bulkLoad(db: Client, townId: string, topicId: string): Promise<void> {
  const have = (await db.query(`SELECT count(*)::int AS n FROM proposals WHERE municipality_id = $1`, [townId])).rows[0].n as number;
  if (have >= PROPOSALS) {
    console.log(`already ${have} proposals`);
    return;
  }
  const started = Date.now();
  await db.query(
    `INSERT INTO users (email, password_hash, display_name) SELECT 'bench-supporter-' || g || '@bench.local', NULL, 'Supporter ' || g FROM generate_series(1, $1::int) g ON CONFLICT (email) DO NOTHING`,
    [SUPPORTERS],
  );
  await db.query(
    `INSERT INTO proposals (municipality_id, topic_id, title, body, body_html, language, status, published_at, expires_at, support_count)
     SELECT $1, $2,
            initcap(w1) || ' et ' || w2 || ' n°' || g,
            'Proposition ' || g || ' : plus de ' || w1 || ' et un meilleur ' || w2 || ' dans le quartier.',
            '<p>Proposition ' || g || '</p>', 'fr',
            (ARRAY['published','published','published','published','threshold_reached','expired','accepted','rejected'])[1 + (g % 8)],
            t.at, t.at + interval '3650 days', 0
       FROM generate_series(1, $3::int) g
       CROSS JOIN LATERAL (SELECT ($4::text[])[1 + (g % array_length($4::text[], 1))] AS w1, ($4::text[])[1 + ((g / 7) % array_length($4::text[], 1))] AS w2) w
       CROSS JOIN LATERAL (SELECT now() - random() * interval '80 days' + 0 * g * interval '1 second' AS at) t`,
    [townId, topicId, PROPOSALS - have, WORDS],
  );
  console.log(`  proposals: ${PROPOSALS} (${fmt((Date.now() - started) / 1000, 0)} s)`);
  // Each proposal i gets `per` supports from a window of distinct supporters starting at i.
  const per = Math.floor(SUPPORTS / PROPOSALS);
  await db.query(
    `WITH p AS (SELECT id, row_number() OVER (ORDER BY id) AS i FROM proposals WHERE municipality_id = $1),
          u AS (SELECT id, row_number() OVER (ORDER BY id) - 1 AS j FROM users WHERE email LIKE 'bench-supporter-%')
     INSERT INTO proposal_supports (proposal_id, user_id)
     SELECT p.id, u.id FROM p CROSS JOIN generate_series(0, $2::int - 1) k JOIN u ON u.j = (p.i * 7 + k) % $3
     ON CONFLICT DO NOTHING`,
    [townId, per, SUPPORTERS],
  );
  await db.query(`UPDATE proposals p SET support_count = s.n, comment_count = (s.n * 7) % 23 FROM (SELECT proposal_id, count(*)::int AS n FROM proposal_supports GROUP BY proposal_id) s WHERE s.proposal_id = p.id`);
  await db.query('VACUUM (ANALYZE) proposals');
  await db.query('VACUUM (ANALYZE) proposal_supports');
  await db.query('VACUUM (ANALYZE) proposal_search');
  console.log(`bulk load: ${PROPOSALS} proposals, ${(await db.query(`SELECT count(*)::int AS n FROM proposal_supports`)).rows[0].n} supports in ${fmt((Date.now() - started) / 1000, 0)} s`);
}

export async function run(): Promise<void> {
  console.log(`proposals benchmark: ${PROPOSALS} proposals, ${SUPPORTS} supports, ${RUNS} runs × ${SECONDS} s per figure`);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const { townId, topicId, residentId } = await fixtures(db);
  await bulkLoad(db, townId, topicId);
  // Earlier runs' supports by the bench resident come out again, so each run measures inserts.
  await db.query(
    `WITH gone AS (DELETE FROM proposal_supports WHERE user_id = $1 RETURNING proposal_id) UPDATE proposals p SET support_count = support_count - 1 FROM gone WHERE gone.proposal_id = p.id`,
    [residentId],
  );
  await db.query(`DELETE FROM outbox_events WHERE type = 'proposals.support_changed'`);
  const open: string[] = (await db.query(`SELECT id FROM proposals WHERE municipality_id = $1 AND status = 'published' ORDER BY random() LIMIT 50000`, [townId])).rows.map((r) => r.id);

  console.log('building the product (npm run build)…');
  execSync('npm run build', { stdio: 'ignore' });
  const env = { DATABASE_URL, NODE_ENV: 'development', LOG_LEVEL: 'warn', QUEUE_PREFIX: 'civic_bench_proposals', RATE_LIMIT_PER_MINUTE: '1000000', AUTH_RATE_LIMIT_PER_MINUTE: '1000000' };
  const api = await startService('api', 'dist/apps/api/src/main.js', env, '/health/ready', NODE_FLAGS.api);
  const base = await startService('baseline', 'dist/bench/baseline/proposals-baseline.js', { DATABASE_URL }, '/health');
  try {
    const res = await fetch(`${api.url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bench-resident@bench.local', password: PASSWORD }) });
    if (!res.ok) throw new Error(`login: ${res.status} ${await res.text()}`);
    const token = ((await res.json()) as { accessToken: string }).accessToken;
    const results: Record<string, { product: LoadResult; baseline: LoadResult }> = {};
    // Each request a proposal not yet supported by the resident (a real insert), the same order on both sides.
    let a = 0;
    let b = open.length / 2;
    if (wanted('support')) console.log('measuring supports (50 connections)…');
    if (wanted('support')) results.support = await interleavedMedians(
      RUNS,
      withCpu(api, () => load({ url: api.url, method: 'POST', connections: 50, durationSeconds: SECONDS, headers: { authorization: `Bearer ${token}` }, path: () => `/api/v1/proposals/${open[a++ % (open.length / 2)]}/support` }), SECONDS, db),
      withCpu(
        base,
        () => load({ url: `${base.url}/support`, method: 'POST', connections: 50, durationSeconds: SECONDS, headers: { 'content-type': 'application/json' }, bodyFn: () => JSON.stringify({ proposalId: open[b++ % open.length], userId: residentId }) }),
        SECONDS,
        db,
      ),
    );
    // As autovacuum would between the support burst and the reads (and after a reused database's migration).
    await db.query('VACUUM (ANALYZE) proposals');
    await db.query('VACUUM (ANALYZE) proposal_search');
    const query = async (name: string, productPath: () => string, baselinePath: () => string) => {
      if (!wanted(name)) return;
      console.log(`measuring ${name} (${QUERY_CONNECTIONS} connections)…`);
      results[name] = await interleavedMedians(
        RUNS,
        withCpu(api, () => load({ url: api.url, connections: QUERY_CONNECTIONS, durationSeconds: SECONDS, path: productPath }), SECONDS, db),
        withCpu(base, () => load({ url: base.url, connections: QUERY_CONNECTIONS, durationSeconds: SECONDS, path: baselinePath }), SECONDS, db),
      );
    };
    for (const sort of ['newest', 'most_supported', 'most_commented', 'random']) {
      await query(`list ${sort}`, () => `/api/v1/municipalities/${SLUG}/proposals?sort=${sort}&seed=s${Math.floor(Math.random() * 1000)}&limit=20`, () => `/list?m=${townId}&sort=${sort}`);
    }
    const word = () => WORDS[Math.floor(Math.random() * WORDS.length)].normalize('NFD').replace(/\p{M}/gu, '');
    await query('search', () => `/api/v1/municipalities/${SLUG}/proposals?q=${encodeURIComponent(`${word()} ${word()}`)}&limit=20`, () => `/search?m=${townId}&q=${encodeURIComponent(`${word()} ${word()}`)}`);

    const counts = (await db.query(`SELECT (SELECT count(*) FROM proposals)::int AS p, (SELECT count(*) FROM proposal_supports)::int AS s`)).rows[0];
    console.log('');
    console.log(`Proposals at ${counts.p} proposals / ${counts.s} supports — medians of ${RUNS} runs of ${SECONDS} s (product vs bare Fastify + pg)`);
    console.log('| measure | product | baseline | ratio | target |');
    console.log('|---|---|---|---|---|');
    const s = results.support;
    if (s) {
      const ratio = s.product.rps / s.baseline.rps;
      console.log(`| support throughput (req/s, 50 conn) | ${fmt(s.product.rps, 0)} | ${fmt(s.baseline.rps, 0)} | ${fmt(ratio * 100, 0)}% | ≥ 40% ${ratio >= 0.4 ? '✓' : '✗'} |`);
      console.log(`| support p99 (ms) | ${fmt(s.product.p99, 0)} | ${fmt(s.baseline.p99, 0)} | ${fmt(s.product.p99 / Math.max(1, s.baseline.p99), 1)}× | < 20 ms ${s.product.p99 < 20 ? '✓' : '✗'} |`);
    }
    for (const [name, r] of Object.entries(results)) {
      if (name === 'support') continue;
      console.log(`| ${name} p50 / p99 (ms) | ${fmt(r.product.p50, 0)} / ${fmt(r.product.p99, 0)} | ${fmt(r.baseline.p50, 0)} / ${fmt(r.baseline.p99, 0)} | ${fmt(r.product.p99 / Math.max(1, r.baseline.p99), 1)}× | p99 < 25 ms ${r.product.p99 < 25 ? '✓' : '✗'} |`);
    }
    // Where a request's CPU goes, on a machine of two cores shared by all three.
    console.log('');
    console.log('| CPU per request (ms): server / its PostgreSQL backends / load generator | product | baseline |');
    console.log('|---|---|---|');
    const cpu = (r: LoadResult) => [r.cpuMsPerRequest, r.dbCpuMsPerRequest, r.loadCpuMsPerRequest].map((v) => (v === undefined ? '–' : fmt(v, 2))).join(' / ');
    for (const [name, r] of Object.entries(results)) console.log(`| ${name} | ${cpu(r.product)} | ${cpu(r.baseline)} |`);
    // 50 connections each wait for their answer before asking again: the mean latency is 50 / throughput.
    if (s) console.log(`support at 50 connections: mean latency = 50 / throughput = ${fmt(50_000 / s.product.rps, 1)} ms (product), ${fmt(50_000 / s.baseline.rps, 1)} ms (baseline)`);
    for (const [name, r] of Object.entries(results)) if (r.product.non2xx || r.product.errors) console.log(`! ${name}: ${r.product.non2xx} non-2xx, ${r.product.errors} errors on the product`);
  } finally {
    await api.stop();
    await base.stop();
    await db.end();
  }
}

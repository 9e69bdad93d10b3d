/**
 * The budgets benchmark's second half: BENCH_BALLOT_VOTERS (1,000) verified residents submit
 * their ballots all at once, to the product (`POST /api/v1/budgets/:id/ballot/submit`, each with
 * a draft PUT beforehand) and to a bare Fastify + pg endpoint doing the same transaction
 * (bench/baseline/budgets-baseline.ts), each run on fresh budgets, the two in turn. Prints the
 * medians of BENCH_RUNS runs: throughput (ballots / wall time), p50 and p99 latency, and checks
 * that exactly one participation and one sealed ballot exist per voter.
 */
import { execSync } from 'node:child_process';
import { Agent, request } from 'node:http';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { ensureDatabase, runMigrations } from '../../libs/common/src';
import { MIGRATIONS } from '../../migrations';
import { NODE_FLAGS } from '../../apps/cli/src/node-flags';
import { fmt, median, startService, Service } from './bench-kit';

const VOTERS = Number(process.env.BENCH_BALLOT_VOTERS ?? 1_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const PROJECTS = 10;
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench';
const PASSWORD = 'Bench-voter-password-2026!';
const TOWN = 'bench-budgets';

interface Voter {
  id: string;
  email: string;
  token?: string;
}

interface Burst {
  throughput: number;
  p50: number;
  p99: number;
  failures: number;
}

/** Runs `work` over `items` with at most `width` in flight. */
async function pooled<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}

async function fixtures(db: Client): Promise<{ municipalityId: string; voters: Voter[] }> {
  await db.query(`INSERT INTO municipalities (slug, name, timezone, locale) VALUES ($1, 'Budgets (bench)', 'Europe/Paris', 'fr') ON CONFLICT (slug) DO NOTHING`, [TOWN]);
  const municipalityId = (await db.query(`SELECT id FROM municipalities WHERE slug = $1`, [TOWN])).rows[0].id as string;
  // A cheap hash: the bench measures ballots, not 1,000 logins' argon2.
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
  await db.query(
    `INSERT INTO users (email, password_hash, display_name, email_verified_at)
     SELECT 'bench-voter-' || g || '@bench.local', $1, 'Voter ' || g, now() FROM generate_series(1, $2::int) g
     ON CONFLICT (email) DO NOTHING`,
    [hash, VOTERS],
  );
  const { rows } = await db.query(`SELECT id, email FROM users WHERE email LIKE 'bench-voter-%@bench.local' ORDER BY email LIMIT $1`, [VOTERS]);
  await db.query(
    `INSERT INTO residencies (municipality_id, user_id, method) SELECT $1, id, 'staff' FROM users WHERE email LIKE 'bench-voter-%@bench.local' ON CONFLICT DO NOTHING`,
    [municipalityId],
  );
  return { municipalityId, voters: rows as Voter[] };
}

/** A budget already in its voting phase with PROJECTS projects on the ballot. */
async function votingBudget(db: Client, municipalityId: string): Promise<{ id: string; projects: string[] }> {
  const { rows } = await db.query(
    `INSERT INTO budgets (municipality_id, title, description, amount, currency, ballot_rule, outcome_rule, phase, proposing_ends_at, reviewing_ends_at, voting_ends_at)
     VALUES ($1, '{"fr":"Bench"}', '{"fr":"Bench"}', 1000000, 'EUR', '{"kind":"approval","maxProjects":3}', 'greedy', 'voting', now() - interval '2 days', now() - interval '1 day', now() + interval '1 day')
     RETURNING id`,
    [municipalityId],
  );
  const id = rows[0].id as string;
  const projects = await db.query(
    `INSERT INTO budget_projects (budget_id, title, description, cost, status) SELECT $1, 'Projet ' || g, 'Bench', 10000 * g, 'on_ballot' FROM generate_series(1, $2::int) g RETURNING id`,
    [id, PROJECTS],
  );
  return { id, projects: projects.rows.map((r) => r.id as string) };
}

const choiceFor = (projects: string[], i: number) => ({ projects: [projects[i % PROJECTS], projects[(i + 3) % PROJECTS]] });

/**
 * Sockets the burst may open to one server. 1,000 connects at one instant overflow Node's listen
 * backlog (511) and are reset; the requests are all in flight at once, the extra ones queued here.
 */
const SOCKETS = Number(process.env.BENCH_BALLOT_SOCKETS ?? 256);

/** A POST through a keep-alive agent of SOCKETS sockets; resolves with the status once the body is read. */
function post(agent: Agent, url: string, headers: Record<string, string>): Promise<{ status: number }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent, headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Every voter submits at the same instant; latency per request, throughput over the whole burst. */
async function burst(voters: Voter[], send: (voter: Voter, agent: Agent) => Promise<{ status: number }>): Promise<Burst> {
  const agent = new Agent({ keepAlive: true, maxSockets: SOCKETS });
  const latencies: number[] = [];
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    voters.map(async (voter) => {
      const t0 = performance.now();
      const res = await send(voter, agent);
      latencies.push(performance.now() - t0);
      if (res.status !== 201) failures++;
    }),
  );
  agent.destroy();
  const wall = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { throughput: voters.length / wall, p50: latencies[Math.floor(latencies.length * 0.5)], p99: latencies[Math.floor(latencies.length * 0.99)], failures };
}

async function counted(db: Client, budgetId: string): Promise<{ participations: number; ballots: number }> {
  const { rows } = await db.query(
    `SELECT (SELECT count(*)::int FROM budget_participations WHERE budget_id = $1) AS participations,
            (SELECT count(*)::int FROM budget_sealed_ballots WHERE budget_id = $1) AS ballots`,
    [budgetId],
  );
  return rows[0];
}

export async function runSubmissions(): Promise<void> {
  console.log(`\nballot submissions: ${VOTERS} voters at once, ${RUNS} runs, product vs bare Fastify + pg`);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const { municipalityId, voters } = await fixtures(db);
  console.log('building the product (npm run build)…');
  execSync('npm run build', { stdio: 'ignore' });
  const env = {
    DATABASE_URL,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    QUEUE_PREFIX: 'civic_bench',
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
  };
  let api: Service | undefined;
  let base: Service | undefined;
  try {
    api = await startService('api', 'dist/apps/api/src/main.js', env, '/health/ready', NODE_FLAGS.api);
    base = await startService('baseline', 'dist/bench/baseline/budgets-baseline.js', { DATABASE_URL }, '/health');
    const apiUrl = api.url;
    const baseUrl = base.url;
    await pooled(voters, 8, async (v) => {
      const res = await fetch(`${apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: v.email, password: PASSWORD }) });
      if (!res.ok) throw new Error(`login ${v.email}: ${res.status} ${await res.text()}`);
      v.token = ((await res.json()) as { accessToken: string }).accessToken;
    });
    const product: Burst[] = [];
    const baseline: Burst[] = [];
    for (let run = 0; run < RUNS; run++) {
      const [pb, bb] = [await votingBudget(db, municipalityId), await votingBudget(db, municipalityId)];
      await pooled(voters.map((v, i) => [v, i] as const), 50, async ([v, i]) => {
        const headers = { 'content-type': 'application/json' };
        const a = await fetch(`${apiUrl}/api/v1/budgets/${pb.id}/ballot`, { method: 'PUT', headers: { ...headers, authorization: `Bearer ${v.token}` }, body: JSON.stringify(choiceFor(pb.projects, i)) });
        const b = await fetch(`${baseUrl}/budgets/${bb.id}/ballot`, { method: 'PUT', headers: { ...headers, 'x-user': v.id }, body: JSON.stringify(choiceFor(bb.projects, i)) });
        if (a.status !== 204 || b.status !== 204) throw new Error(`draft: product ${a.status}, baseline ${b.status}`);
      });
      await db.query('CHECKPOINT');
      const submitProduct = () => burst(voters, (v, agent) => post(agent, `${apiUrl}/api/v1/budgets/${pb.id}/ballot/submit`, { authorization: `Bearer ${v.token}` }));
      const submitBaseline = () => burst(voters, (v, agent) => post(agent, `${baseUrl}/budgets/${bb.id}/ballot/submit`, { 'x-user': v.id }));
      // In turn, the first alternating, so neither always meets a warmer (or busier) database.
      if (run % 2 === 0) {
        product.push(await submitProduct());
        baseline.push(await submitBaseline());
      } else {
        baseline.push(await submitBaseline());
        product.push(await submitProduct());
      }
      for (const [name, id] of [['product', pb.id], ['baseline', bb.id]] as const) {
        const c = await counted(db, id);
        if (c.participations !== voters.length || c.ballots !== voters.length) throw new Error(`${name} run ${run + 1}: ${c.participations} participations, ${c.ballots} ballots for ${voters.length} voters`);
      }
      const p = product[product.length - 1];
      const b = baseline[baseline.length - 1];
      console.log(`  run ${run + 1}: product ${fmt(p.throughput, 0)}/s (p99 ${fmt(p.p99, 0)} ms, ${p.failures} failed), baseline ${fmt(b.throughput, 0)}/s (p99 ${fmt(b.p99, 0)} ms, ${b.failures} failed)`);
    }
    const m = (xs: Burst[], k: keyof Burst) => median(xs.map((x) => x[k]));
    const ratio = m(product, 'throughput') / m(baseline, 'throughput');
    console.log('\n| measure (median of runs) | product | baseline | ratio | target |');
    console.log('|---|---|---|---|---|');
    console.log(`| ${VOTERS} concurrent submissions (${SOCKETS} sockets), ballots/s | ${fmt(m(product, 'throughput'), 0)} | ${fmt(m(baseline, 'throughput'), 0)} | ${fmt(ratio * 100, 0)}% | ≥ 30% ${ratio >= 0.3 ? '✓' : '✗'} |`);
    console.log(`| submission p50 / p99 (ms) | ${fmt(m(product, 'p50'), 0)} / ${fmt(m(product, 'p99'), 0)} | ${fmt(m(baseline, 'p50'), 0)} / ${fmt(m(baseline, 'p99'), 0)} | | |`);
    console.log(`| exactly one participation and one sealed ballot per voter | ✓ | ✓ | | |`);
  } finally {
    await api?.stop();
    await base?.stop();
    await db.end();
  }
}

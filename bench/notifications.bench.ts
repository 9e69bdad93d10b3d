/**
 * `npm run bench -- notifications`: BENCH_NOTIFICATIONS notifications (default 10,000) through
 * the whole pipeline — outbox events committed in PostgreSQL → relay → BullMQ → the worker's
 * notification rules (stored notifications and deliveries) → dispatcher → BullMQ → delivery
 * processor → SMTP — into an SMTP sink in this process, beside raw BullMQ moving the same number
 * of jobs (a bare Queue and a Worker that only counts) in the same run, and beside a bare mail
 * pipeline (bench/lib/bare-mail-pipeline.ts: BullMQ jobs that each render and send one mail with
 * the product's mail code, no database) in its own process: what the mails alone cost.
 *
 * The workload is what a city produces: BENCH_NOTIFICATIONS / BENCH_FANOUT reports resolved at
 * once by a staff member, each telling its reporter (report.status_changed) and BENCH_FANOUT - 1
 * supporters (report.resolved_followed), every one by email. Each mail carries the Message-ID of
 * its delivery, so the sink counts lost and duplicated mails exactly.
 *
 * Loopback only; bounded by BENCH_TIMEOUT_S (default 300); it stops what it started and drops its
 * database (BENCH_KEEP=1 keeps it). Knobs: BENCH_DATABASE_URL, BENCH_CONCURRENCY (the worker's
 * NOTIFICATION_CONCURRENCY and the raw worker's concurrency, default 50), BENCH_SMTP_CONNECTIONS
 * (default 10), BENCH_EVENTS_CONCURRENCY (the worker's DOMAIN_EVENTS_CONCURRENCY, default 100),
 * BENCH_WORKERS (worker processes, default 1; the raw baseline stays one process),
 * BENCH_WORKER_FLAGS (extra V8 flags for the worker), BENCH_WORKER_LOG (a file the worker's stdout
 * is appended to, e.g. with BENCH_WORKER_FLAGS=--trace-gc), BENCH_WORKER_DIST=1 (the worker from
 * `npm run build`'s dist/, as deployed, instead of from source), BENCH_WORKER_SPLIT=0 (the
 * announcement part with one worker process doing everything, instead of WORKER_ROLE=main + bulk).
 */
import { NODE_FLAGS } from '../apps/cli/src/node-flags';
import 'reflect-metadata';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Job, Queue, Worker } from 'bullmq';
import Redis from 'ioredis';
import { Client } from 'pg';
import { SMTPServer } from 'smtp-server';
import { dropDatabase, ensureDatabase, redisConnectionOptions, runMigrations } from '../libs/common/src';
import { MIGRATIONS } from '../migrations';
import { announcementScenario, MailSink } from './lib/announcement-scenario';
import { cpuMs, fmt } from './lib/bench-kit';

const TOTAL = Number(process.env.BENCH_NOTIFICATIONS ?? 10_000);
const FANOUT = Math.max(1, Number(process.env.BENCH_FANOUT ?? 10));
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 50);
const SMTP_CONNECTIONS = Number(process.env.BENCH_SMTP_CONNECTIONS ?? 10);
const EVENTS_CONCURRENCY = Number(process.env.BENCH_EVENTS_CONCURRENCY ?? 100);
const WORKERS = Math.max(1, Number(process.env.BENCH_WORKERS ?? 1));
const TIMEOUT_MS = Number(process.env.BENCH_TIMEOUT_S ?? 300) * 1000;
/** Residents the announcement part tells (0 skips it); resets per second beside it; the bulk lane's mails per second (none: unlimited). */
const ANNOUNCEMENT = Number(process.env.BENCH_ANNOUNCEMENT ?? 100_000);
const RESET_RATE = Number(process.env.BENCH_RESET_RATE ?? 5);
const BULK_RATE_LIMITS = process.env.BENCH_RATE_LIMITS ?? 'none';
const BULK_CONCURRENCY = process.env.BENCH_BULK_CONCURRENCY ?? '10';
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench_notifications';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const ROOT = join(__dirname, '..');

/** PostgreSQL backends serving the benchmark database (the worker's pools and listeners), by pid. */
async function backendPids(db: Client): Promise<number[]> {
  const rows = (await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`)).rows as Array<{ pid: number }>;
  return rows.map((r) => r.pid);
}

async function redisPid(): Promise<number | undefined> {
  const redis = new Redis(REDIS_URL);
  try {
    const info = await redis.info('server');
    return Number(/process_id:(\d+)/.exec(info)?.[1]) || undefined;
  } finally {
    redis.disconnect();
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Counts received mails by Message-ID. */
class SmtpSink implements MailSink {
  onMail?: (messageId: string, to: string) => void;
  readonly received = new Map<string, number>();
  total = 0;
  private server!: SMTPServer;

  async start(): Promise<string> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData: (stream, session, callback) => {
        let head = '';
        let done = false;
        stream.on('data', (chunk: Buffer) => {
          if (done) return;
          head += chunk.toString('latin1');
          const end = head.indexOf('\r\n\r\n');
          if (end >= 0) {
            done = true;
            head = head.slice(0, end);
          }
        });
        stream.on('end', () => {
          const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head.replace(/\r\n[ \t]+/g, ' '))?.[1] ?? `(none ${this.total})`;
          this.received.set(id, (this.received.get(id) ?? 0) + 1);
          this.total++;
          this.onMail?.(id, session.envelope.rcptTo[0]?.address ?? '');
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  get unique(): number {
    return this.received.size;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

async function waitFor(probe: () => boolean | Promise<boolean>, what: string, progress?: () => string): Promise<void> {
  const deadline = Date.now() + TIMEOUT_MS;
  let lastPrint = Date.now();
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${TIMEOUT_MS / 1000} s waiting for ${what}${progress ? ` (${progress()})` : ''}`);
    if (progress && Date.now() - lastPrint > 2000) {
      lastPrint = Date.now();
      console.log(`  … ${progress()}`);
    }
    await sleep(20);
  }
}

/** Raw BullMQ: enqueue TOTAL jobs (addBulk, as our dispatcher does) and process them with a Worker that only counts. */
async function rawBullmq(prefix: string, redis: number | undefined): Promise<{ seconds: number; processed: number; cpuMs: number; redisCpuMs: number }> {
  const connection = redisConnectionOptions(REDIS_URL);
  const queue = new Queue('bench-raw', { connection, prefix });
  let processed = 0;
  const worker = new Worker('bench-raw', async (_job: Job) => void processed++, { connection, prefix, concurrency: CONCURRENCY, autorun: false });
  await worker.waitUntilReady();
  void worker.run();
  const started = Date.now();
  const cpu0 = process.cpuUsage();
  const redis0 = cpuMs(redis);
  for (let i = 0; i < TOTAL; i += 500) {
    const jobs = Array.from({ length: Math.min(500, TOTAL - i) }, (_, k) => ({
      name: 'deliver',
      data: { deliveryId: `d-${i + k}`, notificationId: `n-${i + k}`, channel: 'email' },
      opts: { jobId: `raw-${i + k}-email`, removeOnComplete: { age: 3600, count: 100_000 } },
    }));
    await queue.addBulk(jobs);
  }
  await waitFor(() => processed >= TOTAL, 'the raw worker');
  const seconds = (Date.now() - started) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const redisCpuMs = cpuMs(redis) - redis0;
  await worker.close();
  await queue.close();
  return { seconds, processed, cpuMs: (cpu.user + cpu.system) / 1000, redisCpuMs };
}

/** A TypeScript entry point of this repository in its own process, with the worker's V8 flags; stdout piped. */
function spawnWorkerScript(path: string, env: Record<string, string>, nodeFlags: string[] = []): ChildProcess {
  return spawn(process.execPath, [...NODE_FLAGS.worker, ...nodeFlags, '-r', '@swc-node/register', join(ROOT, path)], {
    cwd: ROOT,
    env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.json'), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

interface BareMailResult {
  seconds: number;
  processed: number;
  /** CPU of the pipeline's process, and of this one (the SMTP sink), in ms. */
  cpuMs: number;
  sinkCpuMs: number;
  received: number;
  duplicated: number;
}

/** The bare mail pipeline (bench/lib/bare-mail-pipeline.ts) in its own process, into its own sink. */
async function bareMail(prefix: string): Promise<BareMailResult> {
  const sink = new SmtpSink();
  const smtpUrl = await sink.start();
  try {
    const sinkCpu0 = process.cpuUsage();
    const child = spawnWorkerScript('bench/lib/bare-mail-pipeline.ts', {
      REDIS_URL,
      SMTP_URL: smtpUrl,
      BARE_PREFIX: prefix,
      BARE_TOTAL: String(TOTAL),
      BARE_CONCURRENCY: String(CONCURRENCY),
      BARE_SMTP_CONNECTIONS: String(SMTP_CONNECTIONS),
    });
    let out = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    const sinkCpu = process.cpuUsage(sinkCpu0);
    if (code !== 0) throw new Error(`the bare mail pipeline exited with ${code}: ${out}`);
    const result = JSON.parse(out.trim().split('\n').pop()!) as { seconds: number; processed: number; cpuMs: number };
    return { ...result, sinkCpuMs: (sinkCpu.user + sinkCpu.system) / 1000, received: sink.unique, duplicated: sink.total - sink.unique };
  } finally {
    await sink.stop().catch(() => undefined);
  }
}

interface Fixtures {
  municipalityId: string;
  staffId: string;
  reports: number;
}

/** A town, a category, a staff member, reports with their reporters, and FANOUT - 1 supporters following each. */
async function fixtures(db: Client): Promise<Fixtures> {
  const reports = Math.ceil(TOTAL / FANOUT);
  const followersPerReport = FANOUT - 1;
  const pool = Math.max(followersPerReport, Math.min(reports * followersPerReport, 1000));
  const [{ id: municipalityId }] = (
    await db.query(`INSERT INTO municipalities (slug, name, timezone, locale) VALUES ('bench-notif', 'Benchville', 'Europe/Paris', 'fr') RETURNING id`)
  ).rows;
  const [{ id: categoryId }] = (
    await db.query(`INSERT INTO report_categories (municipality_id, code, name, department) VALUES ($1, 'pothole', '{"fr":"Nid de poule","en":"Pothole"}', 'roads') RETURNING id`, [
      municipalityId,
    ])
  ).rows;
  const [{ id: staffId }] = (
    await db.query(`INSERT INTO users (email, display_name, locale) VALUES ('bench-staff@bench.local', 'Bench staff', 'fr') RETURNING id`)
  ).rows;
  await db.query(`INSERT INTO municipality_members (municipality_id, user_id, roles, department) VALUES ($1, $2, ARRAY['staff'], 'roads')`, [municipalityId, staffId]);
  await db.query(
    `INSERT INTO users (email, display_name, locale)
     SELECT 'bench-reporter-' || i || '@bench.local', 'Reporter ' || i, CASE WHEN i % 2 = 0 THEN 'fr' ELSE 'en' END FROM generate_series(1, $1) i`,
    [reports],
  );
  await db.query(
    `INSERT INTO users (email, display_name, locale)
     SELECT 'bench-follower-' || i || '@bench.local', 'Follower ' || i, 'fr' FROM generate_series(1, $1) i`,
    [pool],
  );
  await db.query(
    `INSERT INTO reports (municipality_id, kind, category_id, category_code, status, description, lat, lng, location, reporter_id, department, acknowledged_at)
     SELECT $1, 'problem', $2, 'pothole', 'in_progress', 'Bench pothole ' || i, 50.63, 3.06, point(3.06, 50.63), u.id, 'roads', now()
       FROM generate_series(1, $3) i JOIN users u ON u.email = 'bench-reporter-' || i || '@bench.local'`,
    [municipalityId, categoryId, reports],
  );
  if (followersPerReport > 0) {
    // Report n (1-based) is followed by followers ((n-1)·k + j) mod pool, j < k.
    await db.query(
      `INSERT INTO follows (subject_type, subject_id, user_id)
       SELECT 'report', r.id, u.id
         FROM reports r CROSS JOIN generate_series(0, $1 - 1) j
         JOIN users u ON u.email = 'bench-follower-' || ((((r.number - 1) * $1 + j) % $2) + 1) || '@bench.local'
        WHERE r.municipality_id = $3
       ON CONFLICT DO NOTHING`,
      [followersPerReport, pool, municipalityId],
    );
  }
  return { municipalityId, staffId, reports };
}

/** Every report resolved by the staff member, as one committed batch of outbox events. */
async function resolveAll(db: Client, f: Fixtures): Promise<number> {
  await db.query('BEGIN');
  await db.query(`UPDATE reports SET status = 'resolved', resolved_at = now(), version = version + 1 WHERE municipality_id = $1`, [f.municipalityId]);
  const res = await db.query(
    `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, municipality_id, actor_id, payload)
     SELECT 'report.status_changed', 'report', r.id::text, r.municipality_id, $2,
            jsonb_build_object('reportId', r.id, 'number', r.number::text, 'municipalityId', r.municipality_id, 'categoryCode', r.category_code,
                               'kind', r.kind, 'status', 'resolved', 'from', 'in_progress', 'to', 'resolved', 'reason', null, 'reporterId', r.reporter_id)
       FROM reports r WHERE r.municipality_id = $1 ORDER BY r.number`,
    [f.municipalityId, f.staffId],
  );
  await db.query(`SELECT pg_notify('outbox_events', '')`);
  await db.query('COMMIT');
  return res.rowCount ?? 0;
}

function startWorker(env: Record<string, string>): Promise<ChildProcess> {
  // BENCH_PROFILE=<dir>: a CPU profile of the worker, written when it stops.
  const profile = process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [];
  // BENCH_WORKER_FLAGS: extra V8 flags for the worker (to try one before it goes into NODE_FLAGS).
  const extra = (process.env.BENCH_WORKER_FLAGS ?? '').split(' ').filter(Boolean);
  // BENCH_WORKER_DIST=1: the worker as deployed, from `npm run build`'s dist/ (no TypeScript
  // compiler, no source maps in its heap: a live heap of ~83 MB instead of ~117 MB from source).
  const child = process.env.BENCH_WORKER_DIST
    ? spawn(process.execPath, [...NODE_FLAGS.worker, ...profile, ...extra, join(ROOT, 'dist/apps/worker/src/main.js')], {
        cwd: ROOT,
        env: { ...process.env, ...env },
        stdio: ['ignore', 'pipe', 'inherit'],
      })
    : spawnWorkerScript('apps/worker/src/main.ts', env, [...profile, ...extra]);
  // BENCH_WORKER_LOG=<file>: the worker's stdout appended there (its warnings, or --trace-gc's lines).
  if (process.env.BENCH_WORKER_LOG) child.stdout!.pipe(createWriteStream(process.env.BENCH_WORKER_LOG, { flags: 'a' }));
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`worker did not start within 60 s: ${out}`)), 60_000);
    const onData = (chunk: string) => {
      out += chunk;
      if (out.includes('Worker started')) {
        clearTimeout(timer);
        // Not kept: what the worker prints for the rest of the run is no business of this process's memory.
        child.stdout!.off('data', onData);
        if (!process.env.BENCH_WORKER_LOG) child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.setEncoding('utf8').on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker exited (${code}) before it started: ${out}`));
    });
  });
}

async function stopWorker(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

async function deleteKeys(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL);
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  await redis.quit();
}

export async function run(): Promise<void> {
  console.log(`notifications benchmark: ${TOTAL} notifications (fan-out ${FANOUT}), ${WORKERS} worker process(es), concurrency ${CONCURRENCY} (domain events ${EVENTS_CONCURRENCY}), ${SMTP_CONNECTIONS} SMTP connections each`);
  const prefix = `civic_bench_notif_${randomBytes(4).toString('hex')}`;
  await dropDatabase(DATABASE_URL).catch(() => undefined);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const sink = new SmtpSink();
  const workers: ChildProcess[] = [];
  try {
    const smtpUrl = await sink.start();
    const f = await fixtures(db);

    console.log('raw BullMQ: enqueue → process (a Worker that only counts)…');
    const redis = await redisPid();
    const raw = await rawBullmq(prefix, redis);
    const rawRate = raw.processed / raw.seconds;

    console.log('bare mail pipeline: BullMQ → render → SMTP, no database (its own process)…');
    const bare = await bareMail(`${prefix}_bare`);
    const bareRate = bare.processed / bare.seconds;

    console.log('product: outbox → relay → rules → dispatcher → BullMQ → worker → SMTP…');
    const workerEnv = {
      DATABASE_URL,
      REDIS_URL,
      QUEUE_PREFIX: prefix,
      SMTP_URL: smtpUrl,
      NODE_ENV: 'development',
      LOG_LEVEL: 'warn',
      NOTIFICATION_CONCURRENCY: String(CONCURRENCY),
      NOTIFICATION_SMTP_CONNECTIONS: String(SMTP_CONNECTIONS),
      DOMAIN_EVENTS_CONCURRENCY: String(EVENTS_CONCURRENCY),
    };
    for (let i = 0; i < WORKERS; i++) workers.push(await startWorker(workerEnv));
    const workersCpu = () => workers.reduce((sum, w) => sum + cpuMs(w.pid), 0);
    const workerCpu0 = workersCpu();
    const pgCpu0 = new Map((await backendPids(db)).map((pid) => [pid, cpuMs(pid)]));
    const redisCpu0 = cpuMs(redis);
    const started = Date.now();
    const sinkCpu0 = process.cpuUsage();
    const events = await resolveAll(db, f);
    let stored = 0;
    let storedAt = 0;
    let countedAt = 0;
    await waitFor(
      async () => {
        // Counted four times a second, not at every check: the count is this process's own load
        // on PostgreSQL, which the run would otherwise charge to the product.
        if (!storedAt && Date.now() - countedAt >= 250) {
          countedAt = Date.now();
          stored = Number((await db.query(`SELECT count(*)::int AS n FROM notifications`)).rows[0].n);
          if (stored >= TOTAL) storedAt = Date.now();
        }
        return sink.unique >= TOTAL;
      },
      'every mail',
      () => `${stored} notifications stored, ${sink.unique} mails received`,
    );
    const seconds = (Date.now() - started) / 1000;
    const sinkCpu = process.cpuUsage(sinkCpu0);
    const workerCpu = workersCpu() - workerCpu0;
    const redisCpu = cpuMs(redis) - redisCpu0;
    // Backends that closed during the run are missed; the worker's pools keep theirs open.
    const pgCpu = (await backendPids(db)).reduce((sum, pid) => sum + cpuMs(pid) - (pgCpu0.get(pid) ?? 0), 0);
    // Late duplicates would arrive now.
    await sleep(3000);
    const productRate = sink.unique / seconds;
    const [{ sent, notifications }] = (
      await db.query(
        `SELECT (SELECT count(*)::int FROM notification_deliveries WHERE channel = 'email' AND status = 'sent') AS sent,
                (SELECT count(*)::int FROM notifications) AS notifications`,
      )
    ).rows;
    const duplicates = sink.total - sink.unique;
    const lost = TOTAL - sink.unique;

    console.log('');
    console.log(`  events committed         ${events} report.status_changed (one transaction)`);
    console.log(`  notifications stored     ${notifications} (all stored after ${fmt(((storedAt || Date.now()) - started) / 1000, 2)} s)`);
    console.log(`  product                  ${sink.unique} mails in ${fmt(seconds, 2)} s = ${fmt(productRate, 0)} notifications/s (commit → last mail accepted)`);
    console.log(`  raw BullMQ               ${raw.processed} jobs in ${fmt(raw.seconds, 2)} s = ${fmt(rawRate, 0)} jobs/s (first add → last processed)`);
    console.log(
      `  bare mail pipeline       ${bare.processed} mails in ${fmt(bare.seconds, 2)} s = ${fmt(bareRate, 0)} mails/s = ${fmt((100 * bareRate) / rawRate, 1)} % of raw BullMQ (BullMQ → render → SMTP, no database)`,
    );
    console.log(
      `  ratio                    ${fmt((100 * productRate) / rawRate, 1)} % of raw BullMQ (target ≥ 25 %); ${fmt((100 * productRate) / bareRate, 1)} % of the bare mail pipeline`,
    );
    const perItem = (ms: number, n: number) => `${fmt((1000 * ms) / Math.max(n, 1), 0)} µs`;
    console.log(
      `  CPU per notification     worker${WORKERS > 1 ? `s (${WORKERS})` : ''} ${perItem(workerCpu, TOTAL)}, PostgreSQL backends ${perItem(pgCpu, TOTAL)}, Redis ${perItem(redisCpu, TOTAL)} (noisy: shared), this process (SMTP sink) ${perItem((sinkCpu.user + sinkCpu.system) / 1000, TOTAL)}`,
    );
    console.log(`  CPU per raw job          this process (queue + worker) ${perItem(raw.cpuMs, raw.processed)}, Redis ${perItem(raw.redisCpuMs, raw.processed)}`);
    console.log(`  CPU per bare mail        its process ${perItem(bare.cpuMs, bare.processed)}, this process (SMTP sink) ${perItem(bare.sinkCpuMs, bare.processed)}`);
    console.log(`  lost                     ${lost}`);
    console.log(`  duplicated               ${duplicates} (mails received ${sink.total}, distinct Message-IDs ${sink.unique}; deliveries marked sent ${sent})`);
    if (bare.received !== TOTAL || bare.duplicated !== 0) console.log(`  bare mail pipeline: ${bare.received} distinct mails received, ${bare.duplicated} duplicated`);
    if (lost !== 0 || duplicates !== 0 || bare.received !== TOTAL || bare.duplicated !== 0) process.exitCode = 1;

    if (ANNOUNCEMENT > 0) {
      await Promise.all(workers.splice(0).map((w) => stopWorker(w)));
      console.log('');
      console.log(`announcement: ${ANNOUNCEMENT} residents, bulk lane concurrency ${BULK_CONCURRENCY}, NOTIFICATION_RATE_LIMITS=${BULK_RATE_LIMITS}…`);
      const a = await announcementScenario({
        db,
        env: { ...workerEnv, NOTIFICATION_BULK_CONCURRENCY: BULK_CONCURRENCY, NOTIFICATION_RATE_LIMITS: BULK_RATE_LIMITS, AUTH_RATE_LIMIT_PER_MINUTE: '100000' },
        sink,
        municipalityId: f.municipalityId,
        staffId: f.staffId,
        people: ANNOUNCEMENT,
        resetRate: RESET_RATE,
        baselineSeconds: 20,
        timeoutMs: TIMEOUT_MS * 3,
        startWorker,
        stopWorker,
      });
      console.log('');
      console.log(`  in-app rows for all      ${a.people} in ${fmt(a.inAppSeconds, 2)} s after the send (target ≤ 10 s)`);
      console.log(`  every mail out           ${a.received} in ${fmt(a.mailSeconds, 1)} s = ${fmt(a.received / a.mailSeconds, 0)} mails/s; lost ${a.lost}, duplicated ${a.duplicated} (by Message-ID)`);
      console.log(`  password reset → mail    p50 ${fmt(a.resetP50Quiet, 3)} s, p99 ${fmt(a.resetP99Quiet, 3)} s with nothing else (${a.resetsQuiet} resets)`);
      console.log(`                           p50 ${fmt(a.resetP50During, 3)} s, p99 ${fmt(a.resetP99During, 3)} s while the announcement drains (${a.resetsDuring} resets; target p99 < 2 s)`);
      console.log(`  worker RSS               ${fmt(a.maxRssMb, 0)} MB at most${a.maxBulkRssMb ? `; its bulk-lane process ${fmt(a.maxBulkRssMb, 0)} MB` : ''} (target < 300 MB each)`);
      if (a.lost !== 0 || a.duplicated !== 0) process.exitCode = 1;
    }
  } finally {
    await Promise.all(workers.map((w) => stopWorker(w)));
    await sink.stop().catch(() => undefined);
    await db.end();
    await deleteKeys(prefix);
    await deleteKeys(`${prefix}_bare`);
    if (process.env.BENCH_KEEP !== '1') await dropDatabase(DATABASE_URL).catch(() => undefined);
  }
}

if (require.main === module) {
  run().then(
    () => process.exit(process.exitCode ?? 0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}

/**
 * `npm run bench -- workshops`: BENCH_PARTICIPANTS (default 300) checked-in participants and a
 * facilitator on one session's live board, real socket.io clients (websocket) split over two
 * compiled API instances sharing PostgreSQL and Redis. For BENCH_SECONDS (default 120) each
 * participant acts every BENCH_ACTION_MS (default 3,000, jittered): posting notes in the first
 * half (phase collect), then placing and moving dots (phase vote, BENCH_DOTS dots, 2 per note).
 * Then every client's board — kept from one snapshot and the broadcast changes, syncing on a gap
 * — is compared with the board saved in the database (GET /api/v1/sessions/:id/board), and each
 * participant's own dots with their saved ones.
 *
 * The clients live in child processes (bench/lib/workshops-clients.ts), not in this one: a probe
 * process with every BENCH_PROBE_EVERY-th participant (default 10th) and the facilitator, which
 * alone records update latency, and BENCH_CROWD_PROCESSES (default 2) with the others, at nice
 * BENCH_CROWD_NICE (default 10), which receive and apply every change and are checked like the
 * probe's. One process decoding every receipt (~30,000 a second) was the bottleneck it measured.
 *
 * Beside it, in the same run, the same processes send the same pattern of messages to a bare
 * socket.io relay (bench/baseline/workshops-relay.ts: no auth, no rules, no database) for
 * BENCH_BASELINE_SECONDS (default: the same). Printed: update latency (server's change time →
 * each probe client's receipt) p50/p99/max, command round trip (emit → ack), changes, receipts,
 * the servers' and the client processes' CPU seconds and event-loop lag. BENCH_API_FLAGS adds
 * node flags to the API instances (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`).
 *
 * Own database (BENCH_WORKSHOPS_DATABASE_URL, default civic_bench_workshops), fresh Redis prefix.
 */
import 'reflect-metadata';
import { ChildProcess, execSync, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { dropDatabase, ensureDatabase, runMigrations } from '../libs/common/src';
import type { BoardView } from '../libs/workshops/src/board/board.types';
import { MIGRATIONS } from '../migrations';
import { NODE_FLAGS } from '../apps/cli/src/node-flags';
import { fmt, startService } from './lib/bench-kit';
import type { ClientsInit, ClientsResult } from './lib/workshops-clients';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? SECONDS);
const ACTION_MS = Number(process.env.BENCH_ACTION_MS ?? 3000);
const DOTS = Number(process.env.BENCH_DOTS ?? 5);
const DATABASE_URL = process.env.BENCH_WORKSHOPS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench_workshops';
const PASSWORD = 'Bench-password-2026!';
const TARGET_P99_MS = 200;
/** Every PROBE_EVERY-th participant (and the facilitator) measures latency, in a process of its own. */
const PROBE_EVERY = Number(process.env.BENCH_PROBE_EVERY ?? 10);
/** Processes holding the other clients, which receive and check everything but measure nothing. */
const CROWD_PROCESSES = Number(process.env.BENCH_CROWD_PROCESSES ?? 2);
/** Their CPU priority (nice): they must keep up by the end, not ahead of the servers they load. */
const CROWD_NICE = Number(process.env.BENCH_CROWD_NICE ?? 10);
/** Extra node flags for the API instances (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`). */
const API_FLAGS = (process.env.BENCH_API_FLAGS ?? '').split(' ').filter(Boolean);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Fixtures {
  sessionId: string;
  facilitatorEmail: string;
  participantEmails: string[];
}

async function fixtures(db: Client): Promise<Fixtures> {
  const box = 'box(point(6.17, 48.68), point(6.21, 48.70))';
  const boundary = { type: 'Polygon', coordinates: [[[6.17, 48.68], [6.21, 48.68], [6.21, 48.7], [6.17, 48.7], [6.17, 48.68]]] };
  const town = (await db.query(`INSERT INTO municipalities (slug, name, timezone, locale, boundary, bbox) VALUES ('bench-ws', 'Workshop town (bench)', 'Europe/Paris', 'fr', $1, ${box}) RETURNING id`, [JSON.stringify(boundary)])).rows[0].id as string;
  const hash = await argon2.hash(PASSWORD, { type: argon2.argon2id });
  const facilitatorEmail = 'bench-ws-facilitator@bench.local';
  const participantEmails = Array.from({ length: PARTICIPANTS }, (_, i) => `bench-ws-p${i}@bench.local`);
  const { rows: people } = await db.query(
    `INSERT INTO users (email, password_hash, display_name, email_verified_at) SELECT e, $2, split_part(e, '@', 1), now() FROM unnest($1::text[]) e RETURNING id, email`,
    [[facilitatorEmail, ...participantEmails], hash],
  );
  const idOf = new Map(people.map((p) => [p.email as string, p.id as string]));
  await db.query(`INSERT INTO municipality_members (municipality_id, user_id, roles) VALUES ($1, $2, ARRAY['facilitator'])`, [town, idOf.get(facilitatorEmail)]);
  const workshop = (
    await db.query(`INSERT INTO workshops (municipality_id, title, description, topic, format, online_url) VALUES ($1, $2, $2, 'bench', 'online', 'https://example.org/room') RETURNING id`, [
      town,
      JSON.stringify({ fr: 'Atelier (bench)', en: 'Workshop (bench)' }),
    ])
  ).rows[0].id as string;
  await db.query(`INSERT INTO workshop_facilitators (workshop_id, user_id) VALUES ($1, $2)`, [workshop, idOf.get(facilitatorEmail)]);
  const sessionId = (
    await db.query(`INSERT INTO workshop_sessions (workshop_id, municipality_id, starts_at, ends_at, capacity, registration_cutoff_at) VALUES ($1, $2, now(), now() + interval '3 hours', $3, now()) RETURNING id`, [
      workshop,
      town,
      PARTICIPANTS,
    ])
  ).rows[0].id as string;
  await db.query(
    `INSERT INTO workshop_registrations (session_id, user_id, status, code, checked_in_at) SELECT $1, u, 'registered', 'C' || row_number() OVER (), now() FROM unnest($2::uuid[]) u`,
    [sessionId, participantEmails.map((e) => idOf.get(e))],
  );
  return { sessionId, facilitatorEmail, participantEmails };
}

async function login(url: string, email: string): Promise<string> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: PASSWORD }) });
  if (!res.ok) throw new Error(`login ${email}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

/** A group of clients in its own process (bench/lib/workshops-clients.ts). */
class ClientProcess {
  private readonly waiting = new Map<string, (m: { type: string; [k: string]: unknown }) => void>();
  private failure: Error | null = null;

  constructor(
    readonly child: ChildProcess,
    readonly probe: boolean,
  ) {
    child.on('message', (m: { type: string; message?: string }) => {
      if (m.type === 'error') this.failure = new Error(`client process: ${m.message}`);
      const waiter = this.waiting.get(m.type === 'error' ? [...this.waiting.keys()][0] : m.type);
      if (waiter) waiter(m);
    });
    child.on('exit', (code) => {
      if (code) this.failure = new Error(`client process exited with ${code}`);
      for (const w of this.waiting.values()) w({ type: 'error' });
    });
  }

  static start(init: ClientsInit): ClientProcess {
    const child = fork(join(__dirname, 'lib/workshops-clients.ts'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    // The crowd only has to keep up by the end; the probe, the API instances and the relay come first.
    if (!init.probe) setPriority(child.pid!, CROWD_NICE);
    const p = new ClientProcess(child, init.probe);
    child.send(init);
    return p;
  }

  request<T>(message: object, answer: string): Promise<T> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.waiting.set(answer, (m) => {
        this.waiting.delete(answer);
        if (m.type === 'error' || this.failure) reject(this.failure ?? new Error('client process failed'));
        else resolve(m as T);
      });
      if (message !== null && Object.keys(message).length) this.child.send(message);
    });
  }

  cpuSeconds(): number {
    const fields = readFileSync(`/proc/${this.child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  }

  stop(): void {
    if (this.child.exitCode === null) this.child.kill('SIGTERM');
  }
}

/**
 * Splits the clients: a sample (every PROBE_EVERY-th participant, and the facilitator) in the
 * probe process, the rest round-robin over CROWD_PROCESSES. Client i connects to instance i % 2.
 */
function spread(urls: string[], tokens: Array<string | undefined>, sessionId: string, product: boolean): ClientProcess[] {
  const slots = Array.from({ length: CROWD_PROCESSES + 1 }, () => [] as ClientsInit['clients']);
  tokens.forEach((token, i) => {
    const facilitator = i === 0;
    const slot = facilitator || i % PROBE_EVERY === 0 ? 0 : 1 + (i % CROWD_PROCESSES);
    slots[slot].push({ url: urls[i % urls.length], token, facilitator, index: i });
  });
  return slots.map((clients, k) => ClientProcess.start({ type: 'init', product, probe: k === 0, sessionId, clients, actionMs: ACTION_MS, dots: DOTS }));
}

interface Measured {
  p50: number;
  p99: number;
  max: number;
  rtP50: number;
  rtP99: number;
  receipts: number;
  frames: number;
  sampled: number;
  commands: number;
  refused: number;
  equal: number;
  dotsEqual: number;
  syncs: number;
  dropped: number;
  lag: string;
  clientCpu: string;
  /** p99 latency per 10 s of the run (neighbours' load varies on a shared machine). */
  p99By10s: number[];
}

/** Connects every process's clients, runs them for `seconds`, then has each check its boards. */
async function runClients(
  procs: ClientProcess[],
  seconds: number,
  savedBoard: (() => Promise<BoardView>) | null,
): Promise<Measured> {
  await Promise.all(procs.map((p) => p.request({}, 'ready')));
  const at = Date.now() + 500;
  const driven = await Promise.all(procs.map((p) => p.request<{ commands: number }>({ type: 'start', at, seconds }, 'driven')));
  const commands = driven.reduce((s, d) => s + d.commands, 0);
  const saved = savedBoard ? await savedBoard() : null;
  const results = await Promise.all(procs.map((p) => p.request<{ result: ClientsResult }>({ type: 'check', saved, expectedPerClient: commands }, 'result')));
  const cpu = procs.map((p) => p.cpuSeconds());
  const rs = results.map((r) => r.result);
  const latencies = rs.flatMap((r) => r.latencies).sort((a, b) => a - b);
  const windows: number[][] = [];
  for (const r of rs) r.receivedAt.forEach((t, i) => (windows[Math.max(0, Math.floor((t - at) / 10_000))] ??= []).push(r.latencies[i]));
  const trips = rs.flatMap((r) => r.roundTrips).sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    rtP50: percentile(trips, 50),
    rtP99: percentile(trips, 99),
    receipts: rs.reduce((s, r) => s + r.received, 0),
    frames: rs.reduce((s, r) => s + r.frames, 0),
    sampled: latencies.length,
    commands,
    refused: rs.reduce((s, r) => s + r.refused, 0),
    equal: rs.reduce((s, r) => s + r.equal, 0),
    dotsEqual: rs.reduce((s, r) => s + r.dotsEqual, 0),
    syncs: rs.reduce((s, r) => s + r.syncs, 0),
    dropped: rs.reduce((s, r) => s + r.dropped, 0),
    lag: rs.map((r, k) => `${k === 0 ? 'probe' : `crowd ${k}`} ${fmt(r.lagP99Ms, 0)}/${fmt(r.lagMaxMs, 0)}`).join(', '),
    p99By10s: Array.from(windows, (w) => (w ? percentile(w.sort((a, b) => a - b), 99) : NaN)),
    clientCpu: rs.map((r) => fmt(r.cpuSeconds, 1)).join(' + ') + ` (process totals incl. connecting: ${cpu.map((c) => fmt(c, 1)).join(' + ')})`,
  };
}

function build(): void {
  console.log('building the product (npm run build)…');
  try {
    execSync('npm run build', { stdio: 'ignore' });
  } catch {
    console.log('  the build reported errors; running the emitted JavaScript anyway');
    execSync('npx tsc-alias -p tsconfig.build.json', { stdio: 'ignore' });
  }
}

export async function run(): Promise<void> {
  console.log(
    `workshops benchmark: ${PARTICIPANTS} participants + 1 facilitator over 2 API instances, one action each every ~${ACTION_MS} ms for ${SECONDS} s; clients in 1 probe process (every ${PROBE_EVERY}th participant + the facilitator, measuring latency) + ${CROWD_PROCESSES} crowd processes (nice ${CROWD_NICE})`,
  );
  await dropDatabase(DATABASE_URL);
  await ensureDatabase(DATABASE_URL);
  await runMigrations(DATABASE_URL, MIGRATIONS);
  const db = new Client({ connectionString: DATABASE_URL });
  await db.connect();
  const f = await fixtures(db);
  build();
  const env = {
    DATABASE_URL,
    NODE_ENV: 'development',
    LOG_LEVEL: 'error',
    QUEUE_PREFIX: `civic_bench_ws_${randomBytes(4).toString('hex')}`,
    RATE_LIMIT_PER_MINUTE: '1000000',
    AUTH_RATE_LIMIT_PER_MINUTE: '1000000',
  };
  const apiFlags = [...NODE_FLAGS.api, ...API_FLAGS];
  const apis = await Promise.all([startService('api-a', 'dist/apps/api/src/main.js', env, '/health/ready', apiFlags), startService('api-b', 'dist/apps/api/src/main.js', env, '/health/ready', apiFlags)]);
  let product: Measured & { changes: number; serverCpu: string };
  let baseline: Measured & { serverCpu: string };
  const tokens: string[] = [];
  let facilitatorToken = '';
  try {
    console.log('signing in…');
    facilitatorToken = await login(apis[0].url, f.facilitatorEmail);
    for (let i = 0; i < f.participantEmails.length; i += 10) {
      tokens.push(...(await Promise.all(f.participantEmails.slice(i, i + 10).map((e, k) => login(apis[(i + 1 + k) % 2].url, e)))));
    }
    console.log(`connecting ${PARTICIPANTS + 1} clients to the product…`);
    const procs = spread(
      apis.map((a) => a.url),
      [facilitatorToken, ...tokens],
      f.sessionId,
      true,
    );
    try {
      const cpuBefore = apis.map((a) => a.cpuSeconds());
      const saved = async () => {
        const res = await fetch(`${apis[1].url}/api/v1/sessions/${f.sessionId}/board`, { headers: { authorization: `Bearer ${facilitatorToken}` } });
        return ((await res.json()) as { board: BoardView }).board;
      };
      let changes = 0;
      const measured = await runClients(procs, SECONDS, async () => {
        const board = await saved();
        changes = board.seq;
        return board;
      });
      product = { ...measured, changes, serverCpu: apis.map((a, k) => fmt(a.cpuSeconds() - cpuBefore[k], 1)).join(' + ') };
    } finally {
      for (const p of procs) p.stop();
    }
    console.log(
      `  product: ${product.commands} commands, ${product.changes} changes saved, ${product.equal}/${PARTICIPANTS + 1} boards equal to the saved one, ${product.dotsEqual}/${PARTICIPANTS} own dots equal, ${product.syncs} catch-up syncs, ${product.dropped} dropped`,
    );
    // Printed now too: a baseline that fails on a starved machine must not lose the product's figures.
    console.log(
      `  product update latency p50 ${fmt(product.p50, 0)} ms, p99 ${fmt(product.p99, 0)} ms, max ${fmt(product.max, 0)} ms; round trip p50 ${fmt(product.rtP50, 0)} / p99 ${fmt(product.rtP99, 0)} ms; API CPU s ${product.serverCpu}; client CPU s ${product.clientCpu}; event-loop lag p99/max ms ${product.lag}; ${execSync('uptime').toString().trim()}`,
    );
  } finally {
    await Promise.all(apis.map((a) => a.stop()));
  }

  const relay = await startService('relay', 'dist/bench/baseline/workshops-relay.js', {}, '/health');
  try {
    console.log(`connecting ${PARTICIPANTS + 1} clients to the bare socket.io relay…`);
    const procs = spread([relay.url], [undefined, ...tokens.map(() => undefined)], f.sessionId, false);
    try {
      const cpuBefore = relay.cpuSeconds();
      const measured = await runClients(procs, BASELINE_SECONDS, null);
      baseline = { ...measured, serverCpu: fmt(relay.cpuSeconds() - cpuBefore, 1) };
    } finally {
      for (const p of procs) p.stop();
    }
    console.log(`  relay: client CPU s ${baseline.clientCpu}; event-loop lag p99/max ms ${baseline.lag}`);
  } finally {
    await relay.stop();
    await db.end();
  }

  const load = execSync('uptime').toString().trim();
  const relayComplete = baseline.receipts >= baseline.commands * (PARTICIPANTS + 1);
  console.log('');
  console.log(`Workshops live board — ${PARTICIPANTS} participants + 1 facilitator, one action each every ~${ACTION_MS} ms, ${SECONDS} s (baseline ${BASELINE_SECONDS} s); ${load}`);
  console.log('| measure | product (2 API instances) | bare socket.io relay | target |');
  console.log('|---|---|---|---|');
  console.log(`| update latency p50 (ms, change → each probe client) | ${fmt(product.p50, 0)} | ${fmt(baseline.p50, 0)} | |`);
  console.log(`| update latency p99 (ms) | ${fmt(product.p99, 0)} | ${fmt(baseline.p99, 0)} | < ${TARGET_P99_MS} ms ${product.p99 < TARGET_P99_MS ? '✓' : '✗'} |`);
  console.log(`| update latency p99 per 10 s (ms) | ${product.p99By10s.map((v) => fmt(v, 0)).join(' ')} | ${baseline.p99By10s.map((v) => fmt(v, 0)).join(' ')} | |`);
  console.log(`| update latency max (ms) | ${fmt(product.max, 0)} | ${fmt(baseline.max, 0)} | |`);
  console.log(`| broadcasts received per client (changes per broadcast) | ${fmt(product.frames / (PARTICIPANTS + 1), 0)} (${fmt(product.receipts / product.frames, 2)}) | ${fmt(baseline.frames / (PARTICIPANTS + 1), 0)} (${fmt(baseline.receipts / baseline.frames, 2)}) | |`);
  console.log(`| command round trip p50 / p99 (ms, emit → ack, probe clients) | ${fmt(product.rtP50, 0)} / ${fmt(product.rtP99, 0)} | ${fmt(baseline.rtP50, 0)} / ${fmt(baseline.rtP99, 0)} | |`);
  console.log(`| commands sent (refused) | ${product.commands} (${product.refused}) | ${baseline.commands} | |`);
  console.log(`| changes saved / receipts (all clients) / latency samples | ${product.changes} / ${product.receipts} / ${product.sampled} | — / ${baseline.receipts}${relayComplete ? '' : ' (incomplete)'} / ${baseline.sampled} | |`);
  console.log(`| server CPU s (API a + b / relay) | ${product.serverCpu} | ${baseline.serverCpu} | |`);
  console.log(`| clients whose final board equals the saved board | ${product.equal} / ${PARTICIPANTS + 1} | | every one ${product.equal === PARTICIPANTS + 1 ? '✓' : '✗'} |`);
  console.log(`| participants whose own dots equal the saved ones | ${product.dotsEqual} / ${PARTICIPANTS} | | every one ${product.dotsEqual === PARTICIPANTS ? '✓' : '✗'} |`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(
    `bench/results/workshops-${new Date().toISOString().replace(/[:.]/g, '-')}.json`,
    JSON.stringify({ participants: PARTICIPANTS, seconds: SECONDS, actionMs: ACTION_MS, probeEvery: PROBE_EVERY, crowdProcesses: CROWD_PROCESSES, product, baseline, load }, null, 2),
  );
  if (product.equal !== PARTICIPANTS + 1 || product.dotsEqual !== PARTICIPANTS) process.exitCode = 1;
}

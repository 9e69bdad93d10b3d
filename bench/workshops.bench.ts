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
 * Beside it, in the same run, the same clients send the same pattern of messages to a bare
 * socket.io relay (bench/baseline/workshops-relay.ts: no auth, no rules, no database) for
 * BENCH_BASELINE_SECONDS (default: the same). Printed: update latency (server's change time →
 * each client's receipt) p50/p99/max, command round trip (emit → ack), changes, receipts.
 *
 * Own database (BENCH_WORKSHOPS_DATABASE_URL, default civic_bench_workshops), fresh Redis prefix.
 */
import 'reflect-metadata';
import { execSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { isDeepStrictEqual } from 'node:util';
import * as argon2 from 'argon2';
import { Client } from 'pg';
import { io, Socket } from 'socket.io-client';
import { dropDatabase, ensureDatabase, runMigrations } from '../libs/common/src';
import { BoardReplica } from '../libs/workshops/src/board/board-client';
import type { BoardView, PublicChange } from '../libs/workshops/src/board/board.types';
import { MIGRATIONS } from '../migrations';
import { NODE_FLAGS } from '../apps/cli/src/node-flags';
import { fmt, startService } from './lib/bench-kit';

const PARTICIPANTS = Number(process.env.BENCH_PARTICIPANTS ?? 300);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 120);
const BASELINE_SECONDS = Number(process.env.BENCH_BASELINE_SECONDS ?? SECONDS);
const ACTION_MS = Number(process.env.BENCH_ACTION_MS ?? 3000);
const DOTS = Number(process.env.BENCH_DOTS ?? 5);
const DATABASE_URL = process.env.BENCH_WORKSHOPS_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/civic_bench_workshops';
const PASSWORD = 'Bench-password-2026!';
const TARGET_P99_MS = 200;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
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

/** One board client: a socket, its replica, its measurements. */
class BenchClient {
  readonly replica = new BoardReplica();
  readonly latencies: number[] = [];
  readonly roundTrips: number[] = [];
  received = 0;
  refused = 0;
  /** Catch-up syncs sent (a gap still open a second after it appeared). */
  syncs = 0;
  private catchUpPending = false;
  private constructor(
    readonly socket: Socket,
    readonly sessionId: string,
    readonly product: boolean,
  ) {
    socket.on('event', (e: { type: string; data: { sessionId: string; changes: PublicChange[] } }) => {
      if (e.type !== 'workshop.board.changes') return;
      const now = Date.now();
      for (const c of e.data.changes) this.latencies.push(now - Date.parse(c.at));
      this.received += e.data.changes.length;
      if (!product) return;
      this.replica.receive(e.data.changes);
      // As BoardReplica's contract says: sync only when a gap stays open. The two instances publish
      // independently, so a change often arrives just before the one it follows; a sync for each
      // such moment (as this client did before) sent the server ~2 board:sync per command.
      if (this.replica.behind && !this.catchUpPending) {
        this.catchUpPending = true;
        setTimeout(() => {
          this.catchUpPending = false;
          if (!this.replica.behind) return;
          this.syncs++;
          void this.sync(this.replica.seq).catch(() => undefined);
        }, 1000);
      }
    });
  }

  static async connect(url: string, token: string | undefined, sessionId: string, product: boolean): Promise<BenchClient> {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 30_000, auth: token ? { token } : {} });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const client = new BenchClient(socket, sessionId, product);
    const sub = (await socket.timeout(30_000).emitWithAck('subscribe', { topic: `workshop-session:${sessionId}` })) as { ok: boolean; error?: unknown };
    if (!sub.ok) throw new Error(`subscribe refused: ${JSON.stringify(sub.error)}`);
    if (product) await client.sync();
    return client;
  }

  async sync(since?: number): Promise<void> {
    if (this.replica.seq >= 0 && since === undefined) return;
    const ack = (await this.socket.timeout(30_000).emitWithAck('board:sync', { sessionId: this.sessionId, ...(since === undefined ? {} : { since }) })) as { ok: boolean };
    if (!ack.ok) throw new Error(`sync refused: ${JSON.stringify(ack)}`);
    this.replica.load(ack as unknown as Parameters<BoardReplica['load']>[0]);
  }

  async act(type: string, fields: Record<string, unknown> = {}): Promise<{ ok: boolean; seq?: number; change?: PublicChange; myDots?: { ideaId: string; count: number }; error?: { code: string } }> {
    const started = Date.now();
    const ack = (await this.socket.timeout(30_000).emitWithAck('board', { sessionId: this.sessionId, type, ...fields })) as Awaited<ReturnType<BenchClient['act']>>;
    this.roundTrips.push(Date.now() - started);
    if (!ack.ok) this.refused++;
    if (ack.ok && ack.myDots) {
      if (ack.myDots.count > 0) this.replica.myDots[ack.myDots.ideaId] = ack.myDots.count;
      else delete this.replica.myDots[ack.myDots.ideaId];
    }
    return ack;
  }
}

/** Each participant's own loop: post in the first half, vote in the second. */
async function drive(clients: BenchClient[], facilitator: BenchClient, seconds: number, product: boolean): Promise<{ commands: number; lastSeq: number; dropped: number }> {
  const end = Date.now() + seconds * 1000;
  const half = Date.now() + (seconds * 1000) / 2;
  let commands = 0;
  let lastSeq = 0;
  // Clients whose connection the starved machine dropped (ping timeout): they stop, the run goes on.
  let dropped = 0;
  const ideas: string[] = [];
  let voting = false;
  const note = (ack: Awaited<ReturnType<BenchClient['act']>>) => {
    commands++;
    if (ack.ok && ack.seq) lastSeq = Math.max(lastSeq, ack.seq);
    if (ack.ok && ack.change?.kind === 'idea.posted') ideas.push(ack.change.idea.id);
    // The relay knows no notes: its clients vote on made-up ids, the same messages.
    if (!product && ack.ok && ideas.length < commands) ideas.push(randomUUID());
  };
  const switchPhase = (async () => {
    await sleep(Math.max(0, half - Date.now()));
    for (const phase of ['cluster', 'vote']) note(await facilitator.act('phase.set', { phase }));
    voting = true;
  })();
  let n = 0;
  const loops = clients.map(async (client, i) => {
    await sleep((i / clients.length) * ACTION_MS);
    while (Date.now() < end) {
      if (!client.socket.connected) {
        dropped++;
        return;
      }
      if (!voting) note(await client.act('idea.post', { text: `Idea ${++n} from participant ${i}` }).catch(() => ({ ok: false })));
      else if (ideas.length) {
        const placed = Object.entries(client.replica.myDots);
        const total = placed.reduce((s, [, c]) => s + c, 0);
        // Mostly add; once all dots are out, move one (remove, then add elsewhere next time).
        if (product && total >= DOTS) note(await client.act('dot.remove', { ideaId: placed[Math.floor(Math.random() * placed.length)][0] }).catch(() => ({ ok: false })));
        else note(await client.act('dot.add', { ideaId: ideas[Math.floor(Math.random() * ideas.length)] }).catch(() => ({ ok: false })));
      }
      await sleep(ACTION_MS * (0.5 + Math.random()));
    }
  });
  await Promise.all([...loops, switchPhase]);
  if (dropped) console.log(`  ${dropped} ${product ? 'product' : 'relay'} clients were disconnected by the machine's load and stopped`);
  return { commands, lastSeq, dropped };
}

function summary(clients: BenchClient[]) {
  const latencies = clients.flatMap((c) => c.latencies).sort((a, b) => a - b);
  const trips = clients.flatMap((c) => c.roundTrips).sort((a, b) => a - b);
  return {
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    rtP50: percentile(trips, 50),
    rtP99: percentile(trips, 99),
    receipts: latencies.length,
    refused: clients.reduce((s, c) => s + c.refused, 0),
  };
}

async function connectAll(urls: string[], tokens: Array<string | undefined>, sessionId: string, product: boolean): Promise<BenchClient[]> {
  const clients: BenchClient[] = [];
  for (let i = 0; i < tokens.length; i += 25) {
    clients.push(...(await Promise.all(tokens.slice(i, i + 25).map((t, k) => BenchClient.connect(urls[(i + k) % urls.length], t, sessionId, product)))));
  }
  return clients;
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
  console.log(`workshops benchmark: ${PARTICIPANTS} participants + 1 facilitator over 2 API instances, one action each every ~${ACTION_MS} ms for ${SECONDS} s`);
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
  const apis = await Promise.all([startService('api-a', 'dist/apps/api/src/main.js', env, '/health/ready', NODE_FLAGS.api), startService('api-b', 'dist/apps/api/src/main.js', env, '/health/ready', NODE_FLAGS.api)]);
  let product: ReturnType<typeof summary> & { commands: number; changes: number; equal: number; dotsEqual: number; syncs: number };
  let baseline: ReturnType<typeof summary> & { commands: number };
  const tokens: string[] = [];
  try {
    console.log('signing in…');
    const facilitatorToken = await login(apis[0].url, f.facilitatorEmail);
    for (let i = 0; i < f.participantEmails.length; i += 10) {
      tokens.push(...(await Promise.all(f.participantEmails.slice(i, i + 10).map((e, k) => login(apis[(i + k) % 2].url, e)))));
    }
    console.log(`connecting ${PARTICIPANTS + 1} clients to the product…`);
    const [facilitator, ...clients] = await connectAll(apis.map((a) => a.url), [facilitatorToken, ...tokens], f.sessionId, true);
    const all = [facilitator, ...clients];
    const run = await drive(clients, facilitator, SECONDS, true);
    // Every client reaches the last change with no gap open.
    const deadline = Date.now() + 60_000;
    while (all.some((c) => c.replica.seq < run.lastSeq || c.replica.behind) && Date.now() < deadline) await sleep(100);
    const res = await fetch(`${apis[1].url}/api/v1/sessions/${f.sessionId}/board`, { headers: { authorization: `Bearer ${facilitatorToken}` } });
    const saved = (await res.json()) as { board: BoardView };
    const equal = all.filter((c) => isDeepStrictEqual(c.replica.view, saved.board)).length;
    let dotsEqual = 0;
    for (const [i, c] of clients.entries()) {
      const mine = (await (await fetch(`${apis[i % 2].url}/api/v1/sessions/${f.sessionId}/board`, { headers: { authorization: `Bearer ${tokens[i]}` } })).json()) as { me: { myDots: Record<string, number> } };
      if (isDeepStrictEqual(mine.me.myDots, c.replica.myDots)) dotsEqual++;
    }
    product = { ...summary(all), commands: run.commands, changes: saved.board.seq, equal, dotsEqual, syncs: all.reduce((s, c) => s + c.syncs, 0) };
    console.log(`  product: ${run.commands} commands, ${saved.board.seq} changes saved, ${equal}/${all.length} boards equal to the saved one, ${dotsEqual}/${clients.length} own dots equal, ${product.syncs} catch-up syncs`);
    // Printed now too: a baseline that fails on a starved machine must not lose the product's figures.
    console.log(`  product update latency p50 ${fmt(product.p50, 0)} ms, p99 ${fmt(product.p99, 0)} ms, max ${fmt(product.max, 0)} ms; round trip p50 ${fmt(product.rtP50, 0)} / p99 ${fmt(product.rtP99, 0)} ms; ${execSync('uptime').toString().trim()}`);
    for (const c of all) c.socket.close();
  } finally {
    await Promise.all(apis.map((a) => a.stop()));
  }

  const relay = await startService('relay', 'dist/bench/baseline/workshops-relay.js', {}, '/health');
  try {
    console.log(`connecting ${PARTICIPANTS + 1} clients to the bare socket.io relay…`);
    const [facilitator, ...clients] = await connectAll([relay.url], [undefined, ...tokens.map(() => undefined)], f.sessionId, false);
    const run = await drive(clients, facilitator, BASELINE_SECONDS, false);
    const expected = run.commands * (clients.length + 1);
    const deadline = Date.now() + 30_000;
    while ([facilitator, ...clients].reduce((s, c) => s + c.received, 0) < expected && Date.now() < deadline) await sleep(100);
    baseline = { ...summary([facilitator, ...clients]), commands: run.commands };
    for (const c of [facilitator, ...clients]) c.socket.close();
  } finally {
    await relay.stop();
    await db.end();
  }

  const load = execSync('uptime').toString().trim();
  console.log('');
  console.log(`Workshops live board — ${PARTICIPANTS} participants + 1 facilitator, one action each every ~${ACTION_MS} ms, ${SECONDS} s (baseline ${BASELINE_SECONDS} s); ${load}`);
  console.log('| measure | product (2 API instances) | bare socket.io relay | target |');
  console.log('|---|---|---|---|');
  console.log(`| update latency p50 (ms, change → each client) | ${fmt(product.p50, 0)} | ${fmt(baseline.p50, 0)} | |`);
  console.log(`| update latency p99 (ms) | ${fmt(product.p99, 0)} | ${fmt(baseline.p99, 0)} | < ${TARGET_P99_MS} ms ${product.p99 < TARGET_P99_MS ? '✓' : '✗'} |`);
  console.log(`| update latency max (ms) | ${fmt(product.max, 0)} | ${fmt(baseline.max, 0)} | |`);
  console.log(`| command round trip p50 / p99 (ms, emit → ack) | ${fmt(product.rtP50, 0)} / ${fmt(product.rtP99, 0)} | ${fmt(baseline.rtP50, 0)} / ${fmt(baseline.rtP99, 0)} | |`);
  console.log(`| commands sent (refused) | ${product.commands} (${product.refused}) | ${baseline.commands} | |`);
  console.log(`| changes saved / receipts | ${product.changes} / ${product.receipts} | — / ${baseline.receipts} | |`);
  console.log(`| clients whose final board equals the saved board | ${product.equal} / ${PARTICIPANTS + 1} | | every one ${product.equal === PARTICIPANTS + 1 ? '✓' : '✗'} |`);
  console.log(`| participants whose own dots equal the saved ones | ${product.dotsEqual} / ${PARTICIPANTS} | | every one ${product.dotsEqual === PARTICIPANTS ? '✓' : '✗'} |`);
  mkdirSync('bench/results', { recursive: true });
  writeFileSync(`bench/results/workshops-${new Date().toISOString().replace(/[:.]/g, '-')}.json`, JSON.stringify({ participants: PARTICIPANTS, seconds: SECONDS, actionMs: ACTION_MS, product, baseline, load }, null, 2));
  if (product.equal !== PARTICIPANTS + 1 || product.dotsEqual !== PARTICIPANTS) process.exitCode = 1;
}

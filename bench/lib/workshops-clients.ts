/**
 * One load-generating process of the workshops benchmark (forked by bench/workshops.bench.ts):
 * it holds a slice of the board's socket.io clients, drives them, keeps every client's board
 * replica, and reports back over IPC. Splitting the 300 clients over processes keeps one event
 * loop from decoding all ~30,000 receipts a second; the latency is read only in the "probe"
 * process, which holds a sample of the clients and whose event loop is otherwise idle, while
 * the "crowd" processes (run at a lower CPU priority) still receive, apply and check everything.
 * The same processes and the same split serve the product and the bare relay.
 */
import { randomUUID } from 'node:crypto';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isDeepStrictEqual } from 'node:util';
import { io, Socket } from 'socket.io-client';
import { BoardReplica } from '../../libs/workshops/src/board/board-client';
import type { BoardView, PublicChange } from '../../libs/workshops/src/board/board.types';

export interface ClientsInit {
  type: 'init';
  product: boolean;
  /** Records update latency (the probe) or only receives and checks (the crowd). */
  probe: boolean;
  sessionId: string;
  /** Per client: the instance it connects to and its token (none for the relay). */
  clients: Array<{ url: string; token?: string; facilitator: boolean; index: number }>;
  actionMs: number;
  dots: number;
}

export interface ClientsResult {
  commands: number;
  refused: number;
  lastSeq: number;
  dropped: number;
  latencies: number[];
  receivedAt: number[];
  roundTrips: number[];
  received: number;
  frames: number;
  equal: number;
  dotsEqual: number;
  participants: number;
  syncs: number;
  lagP99Ms: number;
  lagMaxMs: number;
  cpuSeconds: number;
}

type Ack = { ok: boolean; seq?: number; change?: PublicChange; myDots?: { ideaId: string; count: number }; error?: { code: string } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One board client: a socket, its replica, its measurements. */
class BenchClient {
  readonly replica = new BoardReplica();
  readonly latencies: number[] = [];
  /** When each latency sample was taken (ms since epoch), to see how it moves through the run. */
  readonly receivedAt: number[] = [];
  readonly roundTrips: number[] = [];
  received = 0;
  /** Broadcasts (frames) received: each carries one or more changes. */
  frames = 0;
  refused = 0;
  /** Catch-up syncs sent (a gap still open a second after it appeared). */
  syncs = 0;
  private catchUpPending = false;

  private constructor(
    readonly socket: Socket,
    readonly sessionId: string,
    readonly product: boolean,
    probe: boolean,
  ) {
    socket.on('event', (e: { type: string; data: { sessionId: string; changes: PublicChange[] } }) => {
      if (e.type !== 'workshop.board.changes') return;
      if (probe) {
        const now = Date.now();
        for (const c of e.data.changes) {
          this.latencies.push(now - Date.parse(c.at));
          this.receivedAt.push(now);
        }
      }
      this.received += e.data.changes.length;
      this.frames++;
      if (!product) return;
      this.replica.receive(e.data.changes);
      // As BoardReplica's contract says: sync only when a gap stays open (the two instances
      // publish independently, so a change often arrives just before the one it follows).
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

  static async connect(url: string, token: string | undefined, sessionId: string, product: boolean, probe: boolean): Promise<BenchClient> {
    const socket = io(url, { transports: ['websocket'], forceNew: true, reconnection: false, timeout: 30_000, auth: token ? { token } : {} });
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', () => resolve());
      socket.once('connect_error', reject);
    });
    const client = new BenchClient(socket, sessionId, product, probe);
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

  async act(type: string, fields: Record<string, unknown> = {}): Promise<Ack> {
    const started = Date.now();
    const ack = (await this.socket.timeout(30_000).emitWithAck('board', { sessionId: this.sessionId, type, ...fields })) as Ack;
    this.roundTrips.push(Date.now() - started);
    if (!ack.ok) this.refused++;
    if (ack.ok && ack.myDots) {
      if (ack.myDots.count > 0) this.replica.myDots[ack.myDots.ideaId] = ack.myDots.count;
      else delete this.replica.myDots[ack.myDots.ideaId];
    }
    return ack;
  }
}

let init: ClientsInit;
let clients: BenchClient[] = [];
let facilitator: BenchClient | undefined;
const lag = monitorEventLoopDelay({ resolution: 10 });
let cpuAtStart = process.cpuUsage();
const driven: { commands: number; lastSeq: number; dropped: number } = { commands: 0, lastSeq: 0, dropped: 0 };

async function connectAll(): Promise<void> {
  const all: BenchClient[] = [];
  for (let i = 0; i < init.clients.length; i += 25) {
    all.push(...(await Promise.all(init.clients.slice(i, i + 25).map((c) => BenchClient.connect(c.url, c.token, init.sessionId, init.product, init.probe)))));
  }
  const at = init.clients.findIndex((c) => c.facilitator);
  if (at >= 0) facilitator = all[at];
  clients = all.filter((_, i) => i !== at);
}

/**
 * Each participant's own loop: post in the first half, vote in the second (on the product, once
 * its board shows the vote phase, on notes it has; on the relay, on made-up ids after the same
 * time). The process holding the facilitator switches the phase at half time.
 */
async function drive(startAt: number, seconds: number): Promise<void> {
  await sleep(Math.max(0, startAt - Date.now()));
  cpuAtStart = process.cpuUsage();
  lag.reset();
  lag.enable();
  const end = startAt + seconds * 1000;
  const half = startAt + (seconds * 1000) / 2;
  const note = (ack: Ack) => {
    driven.commands++;
    if (ack.ok && ack.seq) driven.lastSeq = Math.max(driven.lastSeq, ack.seq);
  };
  const made: string[] = [];
  const switchPhase = (async () => {
    if (!facilitator) return;
    await sleep(Math.max(0, half - Date.now()));
    for (const phase of ['cluster', 'vote']) note(await facilitator.act('phase.set', { phase }).catch(() => ({ ok: false })));
  })();
  let n = 0;
  const loops = clients.map(async (client, k) => {
    const index = init.clients.filter((c) => !c.facilitator)[k].index;
    await sleep(Math.random() * init.actionMs);
    while (Date.now() < end) {
      if (!client.socket.connected) {
        driven.dropped++;
        return;
      }
      const voting = init.product ? client.replica.view?.phase === 'vote' : Date.now() >= half;
      const ideas = init.product ? (client.replica.view?.ideas ?? []) : made;
      if (!voting && Date.now() < half) {
        const ack = await client.act('idea.post', { text: `Idea ${++n} from participant ${index}` }).catch(() => ({ ok: false }));
        note(ack);
        if (!init.product && ack.ok) made.push(randomUUID());
      } else if (voting && ideas.length) {
        const placed = Object.entries(client.replica.myDots);
        const total = placed.reduce((s, [, c]) => s + c, 0);
        const pick = ideas[Math.floor(Math.random() * ideas.length)];
        const ideaId = typeof pick === 'string' ? pick : pick.id;
        // Mostly add; once all dots are out, move one (remove, then add elsewhere next time).
        if (init.product && total >= init.dots) note(await client.act('dot.remove', { ideaId: placed[Math.floor(Math.random() * placed.length)][0] }).catch(() => ({ ok: false })));
        else note(await client.act('dot.add', { ideaId }).catch(() => ({ ok: false })));
      }
      await sleep(init.actionMs * (0.5 + Math.random()));
    }
  });
  await Promise.all([...loops, switchPhase]);
  lag.disable();
}

/** Product: waits until every replica reached the saved board, then compares boards and own dots. */
async function check(saved: BoardView | null, expectedPerClient: number, dotsUrl: (i: number) => string): Promise<ClientsResult> {
  const all = facilitator ? [facilitator, ...clients] : clients;
  const deadline = Date.now() + 60_000;
  if (saved) while (all.some((c) => c.replica.seq < saved.seq || c.replica.behind) && Date.now() < deadline) await sleep(100);
  else while (all.some((c) => c.received < expectedPerClient) && Date.now() < deadline) await sleep(100);
  let equal = 0;
  let dotsEqual = 0;
  if (saved) {
    equal = all.filter((c) => isDeepStrictEqual(c.replica.view, saved)).length;
    const participants = init.clients.filter((c) => !c.facilitator);
    for (const [k, c] of clients.entries()) {
      const res = await fetch(dotsUrl(k), { headers: { authorization: `Bearer ${participants[k].token}` } });
      const mine = (await res.json()) as { me: { myDots: Record<string, number> } };
      if (isDeepStrictEqual(mine.me.myDots, c.replica.myDots)) dotsEqual++;
    }
  }
  const cpu = process.cpuUsage(cpuAtStart);
  const result: ClientsResult = {
    ...driven,
    refused: all.reduce((s, c) => s + c.refused, 0),
    latencies: all.flatMap((c) => c.latencies),
    receivedAt: all.flatMap((c) => c.receivedAt),
    // Like latency, read only where the event loop is free (the crowd's lag would be in its round trips).
    roundTrips: init.probe ? all.flatMap((c) => c.roundTrips) : [],
    received: all.reduce((s, c) => s + c.received, 0),
    frames: all.reduce((s, c) => s + c.frames, 0),
    equal,
    dotsEqual,
    participants: clients.length,
    syncs: all.reduce((s, c) => s + c.syncs, 0),
    lagP99Ms: lag.percentile(99) / 1e6,
    lagMaxMs: lag.max / 1e6,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
  };
  for (const c of all) c.socket.close();
  return result;
}

type Message =
  | ClientsInit
  | { type: 'start'; at: number; seconds: number }
  | { type: 'check'; saved: BoardView | null; expectedPerClient: number };

process.on('message', (message: Message) => {
  const reply = (m: object) => process.send!(m);
  const fail = (error: Error) => reply({ type: 'error', message: error.stack ?? error.message });
  if (message.type === 'init') {
    init = message;
    connectAll().then(() => reply({ type: 'ready' }), fail);
  } else if (message.type === 'start') {
    drive(message.at, message.seconds).then(() => reply({ type: 'driven', commands: driven.commands }), fail);
  } else if (message.type === 'check') {
    const participants = init.clients.filter((c) => !c.facilitator);
    check(message.saved, message.expectedPerClient, (k) => `${participants[k].url}/api/v1/sessions/${init.sessionId}/board`).then((result) => reply({ type: 'result', result }), fail);
  }
});

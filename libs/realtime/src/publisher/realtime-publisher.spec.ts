import { randomBytes } from 'node:crypto';
import { createServer, Server as HttpServer } from 'node:http';
import { AddressInfo, createServer as createTcpServer, Server as TcpServer, Socket as TcpSocket } from 'node:net';
import { AppConfig, loadConfig } from '@app/common';
import Redis from 'ioredis';
import { Server } from 'socket.io';
import { io as connectClient, Socket as ClientSocket } from 'socket.io-client';
import { createRealtimeAdapter, RealtimeAdapter, realtimeStreamName, RECOVERY_WINDOW_MS } from '../adapter/realtime-adapter';
import { REALTIME_EVENTS, RealtimeMessage } from '../realtime-message';
import { RealtimePublisher, RealtimeUnavailableError } from './realtime-publisher';

/** An API instance as far as live delivery goes: socket.io on the real streams adapter, with recovery. */
interface Instance {
  url: string;
  io: Server;
  http: HttpServer;
  adapter: RealtimeAdapter;
}

interface Received {
  message: RealtimeMessage;
  offset: unknown;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

/** The publisher's connection, to wait for it and to watch its writes. */
const clientOf = (publisher: RealtimePublisher) => (publisher as unknown as { redis: Redis }).redis;

function message(id: string): Omit<RealtimeMessage<{ n: number; text: string }>, 'topic'> {
  return { id, type: 'test.happened', occurredAt: '2025-01-02T03:04:05.000Z', data: { n: 1, text: 'é ✓ "quoted"' } };
}

/**
 * Against the real streams adapter on the real Redis: what the publisher writes is what the
 * adapter itself writes for `io.to(room).emit()`, API instances deliver it to the room's clients,
 * and connection-state recovery replays it — so an adapter upgrade that changes the format fails
 * here rather than silently in production.
 */
describe('RealtimePublisher', () => {
  const base = loadConfig();
  const config: AppConfig = { ...base, queuePrefix: `${base.queuePrefix}_publisher_${randomBytes(3).toString('hex')}` };
  const stream = realtimeStreamName(config);
  const instances: Instance[] = [];
  const clients: ClientSocket[] = [];
  let publisher: RealtimePublisher;
  let redis: Redis;

  async function startInstance(): Promise<Instance> {
    const http = createServer();
    const adapter = createRealtimeAdapter(config);
    const io = new Server(http, { adapter: adapter.factory, connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS } });
    // A recovered socket gets its rooms back from the saved session.
    io.on('connection', (socket) => {
      if (!socket.recovered) void socket.join(String(socket.handshake.auth.room));
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const instance = { url: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, io, http, adapter };
    instances.push(instance);
    return instance;
  }

  async function connect(instance: Instance, room: string): Promise<{ socket: ClientSocket; received: Received[] }> {
    const socket = connectClient(instance.url, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { room } });
    clients.push(socket);
    const received: Received[] = [];
    socket.on(REALTIME_EVENTS.event, (m: RealtimeMessage, offset: unknown) => received.push({ message: m, offset }));
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });
    return { socket, received };
  }

  /** Entries added to the stream after `after`, as [id, fields] with fields as a flat list. */
  const entriesAfter = async (after: string) => (await redis.xrange(stream, `(${after}`, '+')) as Array<[string, string[]]>;
  const lastId = async () => ((await redis.xrevrange(stream, '+', '-', 'COUNT', 1)) as Array<[string, string[]]>)[0]?.[0] ?? '0-0';

  beforeAll(async () => {
    redis = new Redis(config.redisUrl);
    publisher = new RealtimePublisher(config);
    publisher.onModuleInit();
    await eventually(() => clientOf(publisher).status === 'ready', 'the publisher to connect');
    await Promise.all([startInstance(), startInstance()]);
  });

  afterEach(() => {
    for (const socket of clients.splice(0)) socket.close();
  });

  afterAll(async () => {
    await publisher.onApplicationShutdown();
    for (const { io, adapter } of instances) {
      await io.close();
      await adapter.close();
    }
    const keys = await redis.keys(`${config.queuePrefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('writes the very entry the streams adapter writes for io.to(room).emit()', async () => {
    const [a] = instances;
    const room = 'report:format';
    const sent = message('format-1');
    const before = await lastId();
    a.io.to(room).emit(REALTIME_EVENTS.event, { ...sent, topic: room });
    await eventually(async () => (await entriesAfter(before)).length === 1, "the adapter's entry");
    const [[adapterId, fromAdapter]] = await entriesAfter(before);

    await publisher.publish(room, sent);
    const [[, fromPublisher]] = await entriesAfter(adapterId);

    const fields = (list: string[]) => Object.fromEntries(list.flatMap((v, i) => (i % 2 ? [] : [[v, list[i + 1]]])) as Array<[string, string]>);
    // Same fields in the same order; the same bytes in each but the writer's uid.
    expect(fromPublisher.filter((_, i) => i % 2 === 0)).toEqual(fromAdapter.filter((_, i) => i % 2 === 0));
    const { uid: publisherUid, ...publisherRest } = fields(fromPublisher);
    const { uid: adapterUid, ...adapterRest } = fields(fromAdapter);
    expect(publisherRest).toEqual(adapterRest);
    expect(publisherUid).not.toBe(adapterUid);
    expect(JSON.parse(publisherRest.data)).toEqual({
      packet: { type: 2, data: [REALTIME_EVENTS.event, { ...sent, topic: room }] },
      opts: { rooms: [room], except: [], flags: {} },
    });
  });

  it('reaches the clients in each room on every instance, with the recovery offset, and no one else', async () => {
    const [a, b] = instances;
    const onA = await connect(a, 'user:1');
    const onB = await connect(b, 'user:1');
    const elsewhere = await connect(a, 'user:2');
    const onFeed = await connect(b, 'municipality:x:reports');

    await publisher.publish(['user:1', 'municipality:x:reports'], message('deliver-1'));

    await eventually(() => onA.received.length === 1 && onB.received.length === 1 && onFeed.received.length === 1, 'delivery on both instances');
    expect(onA.received[0].message).toEqual({ ...message('deliver-1'), topic: 'user:1' });
    expect(onB.received[0].message).toEqual({ ...message('deliver-1'), topic: 'user:1' });
    expect(onFeed.received[0].message).toEqual({ ...message('deliver-1'), topic: 'municipality:x:reports' });
    // The adapters appended the entry's id: what the client resumes from after a drop.
    const idOf = async (offset: unknown) => (await redis.xrange(stream, String(offset), String(offset)))[0]?.[0];
    expect(await idOf(onA.received[0].offset)).toBe(onA.received[0].offset);
    expect(onB.received[0].offset).toBe(onA.received[0].offset);
    expect(await idOf(onFeed.received[0].offset)).toBe(onFeed.received[0].offset);
    expect(onFeed.received[0].offset).not.toBe(onA.received[0].offset);
    await sleep(200);
    expect(elsewhere.received).toHaveLength(0);
    expect(onA.received).toHaveLength(1);
  });

  it('sends the copies of concurrent publishes in one write', async () => {
    const socket = clientOf(publisher).stream;
    const write = jest.spyOn(socket, 'write');
    const before = await lastId();
    try {
      await Promise.all([publisher.publish(['room:1', 'room:2', 'room:3'], message('batch-1')), publisher.publish('room:4', message('batch-2'))]);
      expect(write).toHaveBeenCalledTimes(1);
    } finally {
      write.mockRestore();
    }
    const topics = (await entriesAfter(before)).map(([, f]) => (JSON.parse(f[f.indexOf('data') + 1]) as { opts: { rooms: string[] } }).opts.rooms[0]);
    expect(topics).toEqual(['room:1', 'room:2', 'room:3', 'room:4']);
  });

  it.each([
    ['the same instance', 0],
    ['another instance', 1],
  ])('lets a client that dropped recover what it missed, on %s', async (_, returnTo) => {
    const [a] = instances;
    const back = instances[returnTo];
    const room = `user:recover-${returnTo}`;
    const dropper = await connect(a, room);
    // Recovery resumes from the last offset received: get one first.
    await publisher.publish(room, message(`before-${returnTo}`));
    await eventually(() => dropper.received.length === 1, 'the first event');

    const sessions = () => redis.keys(`${config.queuePrefix}:socket.io:session:*`);
    const saved = (await sessions()).length;
    const gone = new Promise<void>((resolve) => dropper.socket.once('disconnect', () => resolve()));
    dropper.socket.io.engine.close();
    await gone;
    // The instance saves the session when it sees the connection go.
    await eventually(async () => (await sessions()).length > saved, 'the saved session');
    await publisher.publish([room, 'user:someone-else'], message(`missed-${returnTo}`));

    const engine = (dropper.socket.io as unknown as { opts: { hostname: string; port: string } }).opts;
    engine.port = new URL(back.url).port;
    (dropper.socket.io as unknown as { uri: string }).uri = back.url;
    const connected = new Promise<void>((resolve) => dropper.socket.once('connect', () => resolve()));
    dropper.socket.connect();
    await connected;

    expect(dropper.socket.recovered).toBe(true);
    await eventually(() => dropper.received.length === 2, 'the missed event');
    expect(dropper.received[1].message).toEqual({ ...message(`missed-${returnTo}`), topic: room });
    expect(dropper.received[1].offset).toMatch(/^\d+-\d+$/);
  });

  it('refuses to publish before it is started, and when Redis is away', async () => {
    const idle = new RealtimePublisher(config);
    await expect(idle.publish('room:x', message('x'))).rejects.toBeInstanceOf(RealtimeUnavailableError);

    const away = new RealtimePublisher({ ...config, redisUrl: 'redis://127.0.0.1:1' });
    away.onModuleInit();
    try {
      await expect(away.publish('room:x', message('x'))).rejects.toBeInstanceOf(RealtimeUnavailableError);
    } finally {
      await away.onApplicationShutdown();
    }
    expect(clientOf(away)).toBeNull();
  });

  describe('with a Redis that stops answering', () => {
    let silent: TcpServer;
    const sockets = new Set<TcpSocket>();

    beforeAll(async () => {
      // Answers what ioredis sends on connecting (CLIENT SETINFO, the INFO ready check), then
      // hangs at the first XADD: nothing after it is answered either (Redis replies in order).
      silent = createTcpServer((socket) => {
        sockets.add(socket);
        let pending = '';
        let hung = false;
        socket.on('data', (chunk) => {
          pending += chunk.toString('latin1');
          for (let command = takeCommand(); command && !hung; command = takeCommand()) {
            if (command === 'XADD') {
              hung = true;
            } else if (command === 'INFO') {
              const info = 'redis_version:7.0.0\r\nloading:0\r\n';
              socket.write(`$${info.length}\r\n${info}\r\n`);
            } else {
              socket.write('+OK\r\n');
            }
          }
        });
        /** The name of the next complete command (RESP array of bulk strings), removed from `pending`. */
        function takeCommand(): string | null {
          const parts: string[] = [];
          const head = /^\*(\d+)\r\n/.exec(pending);
          if (!head) return null;
          let at = head[0].length;
          for (let i = 0; i < Number(head[1]); i++) {
            const bulk = /^\$(\d+)\r\n/.exec(pending.slice(at));
            if (!bulk || pending.length < at + bulk[0].length + Number(bulk[1]) + 2) return null;
            parts.push(pending.substr(at + bulk[0].length, Number(bulk[1])));
            at += bulk[0].length + Number(bulk[1]) + 2;
          }
          pending = pending.slice(at);
          return parts[0].toUpperCase();
        }
      });
      await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    });

    afterAll(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    });

    it('gives up after its timeout, and still shuts down', async () => {
      const stuck = new RealtimePublisher({ ...config, redisUrl: `redis://127.0.0.1:${(silent.address() as AddressInfo).port}` });
      stuck.onModuleInit();
      const client = clientOf(stuck);
      try {
        await eventually(() => client.status === 'ready', 'the ready check');
        const started = Date.now();
        await expect(stuck.publish('room:x', message('x'))).rejects.toThrow(/within 5000 ms/);
        expect(Date.now() - started).toBeGreaterThanOrEqual(4_900);
      } finally {
        // QUIT gets no answer either: shutdown must not wait for it.
        await stuck.onApplicationShutdown();
      }
      await eventually(() => client.status === 'end', 'the connection to close');
    });
  });
});

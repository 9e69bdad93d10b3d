import { createServer, IncomingHttpHeaders, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { QUEUES, redisConnectionOptions } from '@app/common';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { generateVAPIDKeys } from 'web-push';
import { createMigratedDatabase } from '../utils/test-database';

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns something truthy. */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(50);
  }
}

/**
 * The positive signal before a "nothing more" assertion: this suite's event and delivery queues
 * hold no job waiting, delayed or running, so any duplicate would already have been sent.
 */
export async function queuesDrained(env: IsolatedEnv, timeoutMs = 30_000): Promise<void> {
  const queues = [QUEUES.domainEvents, QUEUES.notificationDeliveries].map(
    (name) => new Queue(name, { connection: redisConnectionOptions(env.redisUrl), prefix: env.queuePrefix }),
  );
  try {
    await eventually(async () => {
      for (const queue of queues) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children');
        if (Object.values(counts).some((n) => n > 0)) return false;
      }
      return true;
    }, 'the event and delivery queues to be drained', timeoutMs);
  } finally {
    await Promise.all(queues.map((q) => q.close()));
  }
}

export interface IsolatedEnv {
  databaseUrl: string;
  queuePrefix: string;
  redisUrl: string;
  /** Environment overrides for the app and worker of this suite. */
  env: Record<string, string>;
  /** Deletes this suite's Redis keys only (other suites share the server). */
  flushQueues(): Promise<number>;
  /** Deletes this suite's Redis keys; global-teardown drops the database with the run's. */
  teardown(): Promise<unknown>;
}

/**
 * A database and a queue prefix of the suite's own. Other suites start workers too, and theirs
 * would take our events and mail our notifications to their SMTP capture (or count theirs in ours).
 */
export async function isolatedEnv(name: string, extra: Record<string, string> = {}): Promise<IsolatedEnv> {
  const base = new URL(process.env.DATABASE_URL!);
  base.pathname = `${base.pathname}_${name}`;
  const databaseUrl = base.toString();
  const queuePrefix = `${process.env.QUEUE_PREFIX}_${name}`;
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  await createMigratedDatabase(databaseUrl);
  const flushQueues = async () => {
    const redis = new Redis(redisUrl);
    let deleted = 0;
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${queuePrefix}:*`, 'COUNT', 1000);
        if (keys.length) deleted += await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      await redis.quit();
    }
    return deleted;
  };
  return {
    databaseUrl,
    queuePrefix,
    redisUrl,
    env: { DATABASE_URL: databaseUrl, QUEUE_PREFIX: queuePrefix, ...extra },
    flushQueues,
    // The database stays until global-teardown drops the run's databases together (each
    // DROP DATABASE waits for a checkpoint, which drops made at once share).
    teardown: flushQueues,
  };
}

/** VAPID keys for a test run, as the environment variables the config reads. */
export function vapidEnv(): Record<string, string> {
  const keys = generateVAPIDKeys();
  return { VAPID_PUBLIC_KEY: keys.publicKey, VAPID_PRIVATE_KEY: keys.privateKey, VAPID_SUBJECT: 'mailto:ops@test.local', PUSH_ALLOW_INSECURE_ENDPOINTS: 'true' };
}

/** A browser's subscription keys: a real P-256 public key and auth secret, so web-push can encrypt. */
export function browserKeys(): { p256dh: string; auth: string } {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createECDH, randomBytes } = require('node:crypto') as typeof import('node:crypto');
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  return { p256dh: ecdh.getPublicKey().toString('base64url'), auth: randomBytes(16).toString('base64url') };
}

export interface PushRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * A stand-in push service on 127.0.0.1 (plain http: tests cannot reach a real one). It records
 * what web-push posts and answers `status(path)` (201 by default; 410 = subscription gone).
 */
export class FakePushService {
  readonly requests: PushRequest[] = [];
  status: (path: string) => number = () => 201;
  private server!: Server;
  url = '';

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        this.requests.push({ path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(this.status(req.url ?? '/')).end();
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  to(path: string): PushRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import Redis from 'ioredis';
import { REALTIME_STREAM_MAX_LEN, realtimeStreamName } from '../adapter/realtime-adapter';
import { REALTIME_EVENTS, RealtimeMessage } from '../realtime-message';
import { broadcastEntryFields } from './broadcast-entry';

/** How long a publish may wait for Redis before the outbox job is retried. */
const PUBLISH_TIMEOUT_MS = 5_000;

/** How long shutdown waits for Redis to acknowledge QUIT. */
const QUIT_TIMEOUT_MS = 1_000;

export class RealtimeUnavailableError extends Error {}

/**
 * Emits to rooms from a process that serves no client (the worker): appends to the Redis stream
 * of the API instances' streams adapter the entries their own `io.to(room).emit()` would write
 * (see broadcastEntryFields), so every instance delivers them to its clients in the room and
 * connection-state recovery replays them. Write-only: no socket.io server, no adapter reading the
 * stream back, one Redis connection. Domain code uses this from outbox consumers — after commit —
 * never the gateway.
 */
@Injectable()
export class RealtimePublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RealtimePublisher.name);
  /** Each entry's `uid`: this process's own, so no adapter takes an entry for one of its own and skips it. */
  private readonly uid = `publisher-${randomBytes(8).toString('hex')}`;
  private readonly stream: string;
  private redis: Redis | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.stream = realtimeStreamName(config);
  }

  onModuleInit(): void {
    const redis = new Redis(this.config.redisUrl, {
      // The XADDs issued in one tick leave as one pipeline, one write and one round trip: the
      // copies of a publish, and concurrent publishes — which also gather while a pipeline is
      // in flight, since ioredis runs one auto-pipeline at a time.
      enableAutoPipelining: true,
      // While Redis is away, fail at once (the outbox job is retried) rather than queue: a
      // command in flight when the connection drops is rejected, not resent later.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
    });
    let lastLogged = 0;
    redis.on('error', (error: Error) => {
      if (Date.now() - lastLogged < 10_000) return;
      lastLogged = Date.now();
      this.logger.warn(`Redis unavailable for live updates: ${error.message}`);
    });
    this.redis = redis;
  }

  /**
   * Sends one copy of a message per room, each with its own `topic`. Resolves once the copies
   * are in the Redis stream; throws RealtimeUnavailableError when Redis is away or slow, so the
   * outbox job is retried instead of the event silently vanishing (a copy that did get in goes
   * out again under the same id, which clients dedupe).
   */
  async publish<D>(rooms: string | readonly string[], message: Omit<RealtimeMessage<D>, 'topic'>): Promise<void> {
    const redis = this.redis;
    if (!redis) throw new RealtimeUnavailableError('Realtime publisher is not started');
    if (redis.status !== 'ready') throw new RealtimeUnavailableError('Redis is unavailable; live update not sent');
    const targets = typeof rooms === 'string' ? [rooms] : rooms;
    const sent = Promise.all(
      targets.map((room) => {
        const copy: RealtimeMessage<D> = { ...message, topic: room };
        return redis.xadd(this.stream, 'MAXLEN', '~', REALTIME_STREAM_MAX_LEN, '*', ...broadcastEntryFields(this.uid, room, REALTIME_EVENTS.event, copy));
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RealtimeUnavailableError(`Redis did not take the live update within ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS);
    });
    try {
      await Promise.race([sent, timeout]);
    } catch (error) {
      if (error instanceof RealtimeUnavailableError) throw error;
      throw new RealtimeUnavailableError(`Redis did not take the live update: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    const redis = this.redis;
    this.redis = null;
    if (!redis) return;
    // QUIT lets the commands already sent finish, but not for ever: a Redis that stopped
    // answering must not hold the shutdown. disconnect() also stops reconnecting.
    let timer: NodeJS.Timeout | undefined;
    const patience = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS)));
    await Promise.race([redis.quit().catch(() => undefined), patience]);
    clearTimeout(timer);
    redis.disconnect();
  }
}

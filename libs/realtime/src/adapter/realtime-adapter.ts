import { Logger } from '@nestjs/common';
import type { AppConfig } from '@app/common';
import { createAdapter } from '@socket.io/redis-streams-adapter';
import Redis from 'ioredis';

/** socket.io's connection-state recovery window: a client away this long still gets what it missed. */
export const RECOVERY_WINDOW_MS = 2 * 60 * 1000;

/** The socket.io path on the API's HTTP server. */
export const SOCKET_PATH = '/socket.io';

/**
 * The Redis stream every instance's adapter reads and writes (one stream: streamCount 1), also
 * appended to by the worker's write-only RealtimePublisher.
 */
export function realtimeStreamName(config: Pick<AppConfig, 'queuePrefix'>): string {
  return `${config.queuePrefix}:socket.io`;
}

/** Entries kept in that stream (MAXLEN ~): enough history for the recovery window at a few hundred events per second. */
export const REALTIME_STREAM_MAX_LEN = 50_000;

export interface RealtimeAdapter {
  /** Pass to `io.adapter(...)` (or the `adapter` server option). */
  factory: ReturnType<typeof createAdapter>;
  /** Whether Redis takes commands now (a broadcast while it is away is dropped by the adapter). */
  isReady(): boolean;
  /** Closes every Redis connection the adapter opened. Call after the socket.io server closed. */
  close(): Promise<void>;
}

const logger = new Logger('RealtimeAdapter');

/**
 * The Redis streams adapter the API instances' socket.io servers share (the worker's
 * RealtimePublisher appends to the same stream in the adapter's format, without an adapter).
 * Broadcasts go through one Redis stream, so a packet emitted anywhere reaches clients on every
 * instance, and the stream is also what connection-state recovery reads missed packets from (the
 * pub/sub adapter keeps no history, so it cannot recover across instances). Names carry the
 * queue prefix, so deployments or test runs sharing one Redis never mix.
 */
export function createRealtimeAdapter(config: AppConfig): RealtimeAdapter {
  const redis = new Redis(config.redisUrl, {
    // Commands wait for Redis to come back instead of failing: the adapter fires some without
    // handling their rejection (SUBSCRIBE of its copies, the SET saving a session on disconnect),
    // and one would crash the process during an outage. The publisher checks isReady() itself.
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    // The adapter disconnects its reader again after we closed it; ioredis then arms a timer
    // (2 s by default) that would hold the process open after shutdown.
    disconnectTimeout: 100,
  });
  // The adapter duplicates this client for its blocking reads and pub/sub; keep hold of the
  // copies so closing does not wait for a blocked XREAD to time out.
  const copies: Redis[] = [];
  const duplicate = redis.duplicate.bind(redis);
  redis.duplicate = ((override?: Parameters<Redis['duplicate']>[0]) => {
    const copy = duplicate(override);
    copies.push(copy);
    return copy;
  }) as Redis['duplicate'];
  let lastLogged = 0;
  redis.on('error', (error: Error) => {
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    logger.warn(`Redis unavailable for live updates: ${error.message}`);
  });
  const factory = createAdapter(redis, {
    streamName: realtimeStreamName(config),
    channelPrefix: `${config.queuePrefix}:socket.io`,
    sessionKeyPrefix: `${config.queuePrefix}:socket.io:session:`,
    maxLen: REALTIME_STREAM_MAX_LEN,
    // Shorter than the default 5 s: only affects how soon a closed reader notices.
    blockTimeInMs: 2_000,
  });
  return {
    factory,
    isReady: () => redis.status === 'ready',
    close: async () => {
      for (const copy of copies) copy.disconnect();
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}

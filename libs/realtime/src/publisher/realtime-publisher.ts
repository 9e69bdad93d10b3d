import { Inject, Injectable, Logger, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { Server } from 'socket.io';
import { createRealtimeAdapter, RealtimeAdapter, RECOVERY_WINDOW_MS } from '../adapter/realtime-adapter';
import { REALTIME_EVENTS, RealtimeMessage } from '../realtime-message';

/** How long a publish may wait for Redis before the outbox job is retried. */
const PUBLISH_TIMEOUT_MS = 5_000;

/** socket.io-parser's EVENT packet type. */
const EVENT_PACKET = 2;

export class RealtimeUnavailableError extends Error {}

/**
 * Emits to rooms from a process that serves no client (the worker): a socket.io server that
 * listens on no port, attached to the shared Redis streams adapter, so `to(room)` reaches the
 * clients of every API instance and lands in the stream that connection-state recovery replays.
 * Domain code uses this from outbox consumers — after commit — never the gateway.
 */
@Injectable()
export class RealtimePublisher implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(RealtimePublisher.name);
  private io: Server | null = null;
  private adapter: RealtimeAdapter | null = null;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  onModuleInit(): void {
    this.adapter = createRealtimeAdapter(this.config);
    this.io = new Server({
      serveClient: false,
      adapter: this.adapter.factory,
      connectionStateRecovery: { maxDisconnectionDuration: RECOVERY_WINDOW_MS },
    });
  }

  /**
   * Sends one copy of a message per room, each with its own `topic`. Resolves once the copies
   * are in the Redis stream; throws RealtimeUnavailableError when Redis is away, so the outbox
   * job is retried instead of the event silently vanishing.
   */
  async publish<D>(rooms: string | readonly string[], message: Omit<RealtimeMessage<D>, 'topic'>): Promise<void> {
    if (!this.io || !this.adapter) throw new RealtimeUnavailableError('Realtime publisher is not started');
    if (!this.adapter.isReady()) throw new RealtimeUnavailableError('Redis is unavailable; live update not sent');
    const adapter = this.io.of('/').adapter;
    const targets = typeof rooms === 'string' ? [rooms] : rooms;
    // What `io.to(room).emit()` does, but awaited: the cluster adapter's broadcast resolves
    // after the XADD. The copies go out together (one round trip, pipelined by ioredis).
    const sent = Promise.all(
      targets.map((room) =>
        adapter.broadcast({ type: EVENT_PACKET, data: [REALTIME_EVENTS.event, { ...message, topic: room } satisfies RealtimeMessage<D>] } as never, {
          rooms: new Set([room]),
          except: new Set(),
          flags: {},
        }),
      ),
    );
    // Redis went away after the check: give the job back rather than hold it. A copy still
    // queued may go out later under the same id, which clients dedupe.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new RealtimeUnavailableError(`Redis did not take the live update within ${PUBLISH_TIMEOUT_MS} ms`)), PUBLISH_TIMEOUT_MS);
    });
    try {
      await Promise.race([sent, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async onApplicationShutdown(): Promise<void> {
    // Closes the namespace adapters (stops the stream reader); the engine.io part it then closes
    // was never started here, hence the catch.
    await this.io?.close().catch(() => undefined);
    await this.adapter?.close().catch((error: Error) => this.logger.warn(`Closing the realtime adapter: ${error.message}`));
    this.io = null;
    this.adapter = null;
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DomainEventJobData, domainEventJobId, OUTBOX_CHANNEL, PgChannelListener, QUEUES } from '@app/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { EventConsumerRegistry } from './event-consumer.registry';

/** Events handed to the queue per transaction. */
export const RELAY_BATCH_SIZE = 500;
/**
 * After a pass that found fewer than a batch, how long the next one waits: events that commit
 * one after another (a worker's consumers write them too) then go out a few per pass instead of
 * one pass (three statements and a Redis round trip) each. The first event of a quiet spell is
 * relayed at once.
 */
export const RELAY_GATHER_MS = 5;

class EnqueueTimeoutError extends Error {}

/**
 * Moves committed outbox events to BullMQ: one job per (event, subscribed consumer), then marks
 * the events published, in the same PostgreSQL transaction that locked them.
 *
 * - Woken by NOTIFY on OUTBOX_CHANNEL (sent at commit by the outbox_events statement trigger) for low latency,
 *   and by a poll every `outboxPollMs` in case a notification is missed (listener reconnecting,
 *   rows written without the service).
 * - Crash-safe: if the worker dies after enqueueing but before commit, the rows are still
 *   unpublished and the next pass enqueues them again under the same job ids, which BullMQ
 *   ignores. If Redis is down the pass rolls back and the events wait.
 * - Several workers may relay at once: FOR UPDATE SKIP LOCKED gives each row to one of them.
 */
@Injectable()
export class OutboxRelayService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(OutboxRelayService.name);
  private readonly listener: PgChannelListener;
  private pollTimer: NodeJS.Timeout | null = null;
  private draining: Promise<void> | null = null;
  private wokenWhileDraining = false;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @InjectQueue(QUEUES.domainEvents) private readonly queue: Queue<DomainEventJobData>,
    private readonly registry: EventConsumerRegistry,
  ) {
    // Without a listener BullMQ prints connection errors to the console; the pass that needs
    // Redis reports the outage in the structured log instead.
    this.queue.on('error', (error) => this.logger.debug(`Queue connection error: ${error.message}`));
    this.listener = new PgChannelListener({
      databaseUrl: config.databaseUrl,
      channel: OUTBOX_CHANNEL,
      applicationName: 'civic-outbox-relay',
      onNotify: () => this.wake(),
      logger: this.logger,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.listener.start();
    this.pollTimer = setInterval(() => this.wake(), this.config.outboxPollMs);
    this.wake();
  }

  async beforeApplicationShutdown(): Promise<void> {
    // Before the data source and the queue close, so an ongoing pass can finish.
    this.stopped = true;
    if (this.pollTimer) clearInterval(this.pollTimer);
    await this.draining;
    await this.listener.stop();
  }

  /** Asks for a drain; if one is running, it runs once more when done. Never overlaps. */
  wake(): void {
    if (this.stopped) return;
    if (this.draining) {
      this.wokenWhileDraining = true;
      return;
    }
    this.draining = this.drain().finally(() => {
      this.draining = null;
      if (this.wokenWhileDraining) {
        this.wokenWhileDraining = false;
        this.wake();
      }
    });
  }

  /** Resolves when no pass is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      // A notification that arrives during a pass is covered by the next one.
      this.wokenWhileDraining = false;
      let relayed: number;
      while (!this.stopped && (relayed = await this.relayBatch()) > 0) {
        this.wokenWhileDraining = false;
        if (relayed < RELAY_BATCH_SIZE) await new Promise((resolve) => setTimeout(resolve, RELAY_GATHER_MS));
      }
    } catch (error) {
      // Redis or PostgreSQL away: nothing was marked published; the poll retries.
      this.logger.warn({ err: error }, `Outbox relay pass failed, will retry: ${(error as Error).message}`);
    }
  }

  /**
   * One transaction: mark a batch of unpublished events published (one statement, which locks
   * them), enqueue their jobs, commit. If Redis refuses, the transaction rolls back.
   */
  async relayBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const [rows]: [Array<{ id: string; type: string }>, number] = await manager.query(
        `UPDATE outbox_events SET published_at = now()
          WHERE id IN (SELECT id FROM outbox_events
                        WHERE published_at IS NULL
                        ORDER BY id
                        LIMIT ${RELAY_BATCH_SIZE}
                        FOR UPDATE SKIP LOCKED)
          RETURNING id, type`,
      );
      if (rows.length === 0) return 0;
      // In commit order, as the jobs are processed.
      rows.sort((a, b) => (BigInt(a.id) < BigInt(b.id) ? -1 : 1));
      const jobs = rows.flatMap(({ id, type }) =>
        this.registry.subscribersOf(type).map((consumer) => ({
          name: type,
          data: { eventId: String(id), consumer, type } satisfies DomainEventJobData,
          opts: { jobId: domainEventJobId(String(id), consumer) },
        })),
      );
      if (jobs.length > 0) await this.enqueue(jobs);
      this.logger.debug(`Relayed ${rows.length} outbox events as ${jobs.length} jobs`);
      return rows.length;
    });
  }

  private async enqueue(jobs: Parameters<Queue<DomainEventJobData>['addBulk']>[0]): Promise<void> {
    // The queue's connection waits for Redis forever; a pass must not hold its row locks that
    // long. It gives up after as long as a worker may go silent before BullMQ gives its job
    // away (the lock duration). Commands still buffered then may land later: same job ids.
    const timeoutMs = this.config.queueLockMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EnqueueTimeoutError(`Redis did not take the jobs within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([this.queue.addBulk(jobs), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Whether the LISTEN connection is up (health, tests). */
  get listening(): boolean {
    return this.listener.listening;
  }
}

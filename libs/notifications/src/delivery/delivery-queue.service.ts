import { InjectQueue } from '@nestjs/bullmq';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, NotificationDeliveryJobData, notificationDeliveryJobId, QUEUES, TransactionService } from '@app/common';
import { Queue } from 'bullmq';
import type { DeliveryLane } from '../inbox/notification-fanout.service';
import { QueuedChannel } from '../notification.types';
import { DELIVERY_BACKOFF, DELIVERY_JOB_ATTEMPTS } from './retry-policy';

/** Deliveries handed to the queue per transaction. */
export const DISPATCH_BATCH_SIZE = 500;
/** Deliveries checked per sweep (the next sweep takes the rest). */
export const SWEEP_BATCH_SIZE = 1000;
/** Deliveries whose job the sweeper checks (and re-adds) at once. */
const SWEEP_PARALLEL_CHECKS = 50;
/** Jobs at the wait list's tail the sweeper looks through before asking BullMQ for a job's state. */
const WAIT_TAIL_CHECKED = 5000;

interface DeliveryRef {
  id: string;
  notification_id: string;
  channel: QueuedChannel;
  /** personal (default) or bulk: which queue its job goes to. */
  lane?: DeliveryLane;
}

export interface SweepResult {
  /** Pending or abandoned deliveries whose job was missing or finished, enqueued again. */
  requeued: number;
  /** Checked and found with a live job (waiting, delayed, active). */
  alive: number;
}

class EnqueueTimeoutError extends Error {}

const job = (row: DeliveryRef) => ({
  name: 'deliver',
  data: { deliveryId: row.id, notificationId: row.notification_id, channel: row.channel } satisfies NotificationDeliveryJobData,
  // Retried until the retry window has passed (DeliveryService decides), with capped backoff.
  opts: { jobId: notificationDeliveryJobId(row.notification_id, row.channel), attempts: DELIVERY_JOB_ATTEMPTS, backoff: { type: DELIVERY_BACKOFF } },
});

/**
 * Hands deliveries to BullMQ, from PostgreSQL, after commit: the deliveries table is the outbox of
 * the delivery pipeline.
 *
 * - `dispatch`: new deliveries (never enqueued), in batches under FOR UPDATE SKIP LOCKED, so two
 *   workers never hand out the same one; `enqueued_at` is set by the statement that takes them.
 *   If Redis is down it is cleared again and they wait for the next pass.
 * - `sweep`: deliveries still pending (or claimed by a sender that died) long after they were
 *   enqueued. Their job may be gone (Redis flushed or lost its data) or finished without them
 *   (a job that gave up while another sender held the row): such jobs are replaced.
 */
@Injectable()
export class DeliveryQueueService {
  private readonly logger = new Logger(DeliveryQueueService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    @InjectQueue(QUEUES.notificationDeliveries) private readonly queue: Queue<NotificationDeliveryJobData>,
    @InjectQueue(QUEUES.notificationBulkDeliveries) private readonly bulkQueue: Queue<NotificationDeliveryJobData>,
  ) {}

  private queueOf(lane: DeliveryLane | undefined): Queue<NotificationDeliveryJobData> {
    return lane === 'bulk' ? this.bulkQueue : this.queue;
  }

  /**
   * Jobs for deliveries stored as enqueued by the transaction that just committed (the rules'
   * notifications of a batch of events, or an announcement's page): added at once to their lane's
   * queue, with no dispatcher pass. If Redis refuses or the worker dies first, the sweeper finds
   * them pending with no job after NOTIFICATION_SWEEP_MS.
   */
  async enqueueStored(lane: DeliveryLane, rows: ReadonlyArray<Omit<DeliveryRef, 'lane'>>): Promise<void> {
    const queue = this.queueOf(lane);
    for (let i = 0; i < rows.length; i += DISPATCH_BATCH_SIZE) {
      await this.withRedisDeadline(queue.addBulk(rows.slice(i, i + DISPATCH_BATCH_SIZE).map(job)));
    }
  }

  /** An announcement page's deliveries (the bulk lane): see `enqueueStored`. */
  enqueueBulk(rows: ReadonlyArray<Omit<DeliveryRef, 'lane'>>): Promise<void> {
    return this.enqueueStored('bulk', rows);
  }

  /**
   * One batch of new deliveries; returns how many were enqueued. One statement marks them
   * enqueued and returns them (SKIP LOCKED: two workers never take the same one), then their jobs
   * are added. If Redis refuses, the mark is undone; if the worker dies in between, the sweeper
   * finds them pending with no job and enqueues them (after NOTIFICATION_SWEEP_MS).
   */
  async dispatch(): Promise<number> {
    // TypeORM answers an UPDATE with [rows, count].
    const [rows]: [Array<DeliveryRef & { created_at: Date }>, number] = await this.tx.manager.query(
      `UPDATE notification_deliveries SET enqueued_at = now()
        WHERE id IN (SELECT id FROM notification_deliveries
                      WHERE status = 'pending' AND enqueued_at IS NULL AND digest_at IS NULL
                      ORDER BY created_at
                      LIMIT ${DISPATCH_BATCH_SIZE}
                      FOR UPDATE SKIP LOCKED)
        RETURNING id, notification_id, channel, lane, created_at`,
    );
    if (rows.length === 0) return 0;
    rows.sort((a, b) => a.created_at.getTime() - b.created_at.getTime());
    try {
      // Bulk rows come here only when an admin put failed ones back.
      const bulk = rows.filter((r) => r.lane === 'bulk');
      const personal = rows.filter((r) => r.lane !== 'bulk');
      if (personal.length) await this.withRedisDeadline(this.queue.addBulk(personal.map(job)));
      if (bulk.length) await this.withRedisDeadline(this.bulkQueue.addBulk(bulk.map(job)));
    } catch (error) {
      // Back to "never enqueued", so the next pass takes them at once (the sweeper would, later).
      await this.tx.manager
        .query(`UPDATE notification_deliveries SET enqueued_at = NULL WHERE id = ANY($1::uuid[]) AND status = 'pending'`, [rows.map((r) => r.id)])
        .catch((undo: Error) => this.logger.warn(`Could not put ${rows.length} deliveries back for the next dispatch (the sweeper will): ${undo.message}`));
      throw error;
    }
    return rows.length;
  }

  async sweep(): Promise<SweepResult> {
    const sweepMs = this.config.notifications.sweepMs;
    const staleClaimMs = this.config.notifications.sendTimeoutMs + this.config.queueLockMs;
    const rows: DeliveryRef[] = await this.tx.manager.query(
      `(SELECT id, notification_id, channel, lane FROM notification_deliveries
         WHERE status = 'pending' AND enqueued_at IS NOT NULL AND digest_at IS NULL
           AND enqueued_at < now() - make_interval(secs => $1::double precision / 1000)
         ORDER BY enqueued_at LIMIT ${SWEEP_BATCH_SIZE})
       UNION ALL
       (SELECT id, notification_id, channel, lane FROM notification_deliveries
         WHERE status = 'sending' AND digest_at IS NULL
           AND claimed_at < now() - make_interval(secs => $2::double precision / 1000)
         ORDER BY claimed_at LIMIT ${SWEEP_BATCH_SIZE})`,
      [sweepMs, staleClaimMs],
    );
    const result: SweepResult = { requeued: 0, alive: 0 };
    // A few dozen rows' jobs checked at once: one by one, a sweep after Redis lost a big backlog
    // (1,000 rows) was 1,000 sequential round trips, seconds on a loaded machine.
    for (let i = 0; i < rows.length; i += SWEEP_PARALLEL_CHECKS) {
      for (const requeued of await Promise.all(rows.slice(i, i + SWEEP_PARALLEL_CHECKS).map((row) => this.ensureJob(row)))) {
        if (requeued) result.requeued++;
        else result.alive++;
      }
    }
    if (rows.length) {
      // Not looked at again before another sweep interval has passed.
      await this.tx.manager.query(
        `UPDATE notification_deliveries SET enqueued_at = now() WHERE id = ANY($1::uuid[]) AND status = 'pending'`,
        [rows.map((r) => r.id)],
      );
    }
    if (result.requeued) this.logger.warn(`Sweeper re-enqueued ${result.requeued} notification deliveries whose job was lost`);
    return result;
  }

  /** Drops the finished job of a delivery an admin is about to retry, so it can be enqueued again. */
  async forgetJob(notificationId: string, channel: QueuedChannel): Promise<void> {
    const id = notificationDeliveryJobId(notificationId, channel);
    await this.withRedisDeadline(Promise.all([this.queue.remove(id), this.bulkQueue.remove(id)]));
  }

  /** Makes sure the delivery has a live job; returns true when one had to be (re)added. */
  private async ensureJob(row: DeliveryRef): Promise<boolean> {
    const id = notificationDeliveryJobId(row.notification_id, row.channel);
    const queue = this.queueOf(row.lane);
    if (await this.withRedisDeadline(this.waitingNearItsTurn(queue, id))) return false;
    const state = await this.withRedisDeadline(queue.getJobState(id));
    if (state === 'waiting' || state === 'delayed' || state === 'active' || state === 'prioritized' || state === 'waiting-children') return false;
    if (state === 'completed' || state === 'failed') {
      // Same id, so the old job must go first or the add is ignored. 0 if it just became active.
      if ((await this.withRedisDeadline(queue.remove(id))) === 0) return false;
    } else if (state === 'unknown') {
      // In no list, but its hash may be left (seen after a Redis flush half-way: a job in flight
      // wrote its hash back): an add with its id would then be ignored and the row would wait for
      // ever, found "missing" by every sweep. Removing a job that is not there is a no-op.
      await this.withRedisDeadline(queue.remove(id));
    }
    const { name, data, opts } = job(row);
    await this.withRedisDeadline(queue.add(name, data, opts));
    return true;
  }

  /**
   * Whether the job waits among the next WAIT_TAIL_CHECKED to be taken (the wait list's tail:
   * BullMQ pushes at the head and takes from the tail). BullMQ's getJobState finds a waiting job
   * with an LPOS from the head: with an announcement's 100,000 jobs waiting, ~4 ms of Redis for a
   * job near the tail (measured), and the sweeper checks the oldest pending rows — the jobs
   * nearest the tail — 1,000 a pass, while every other queue (password resets too) waits behind
   * them. Not found here: getJobState decides, as before.
   */
  private async waitingNearItsTurn(queue: Queue<NotificationDeliveryJobData>, id: string): Promise<boolean> {
    // ioredis underneath: LPOS with its options (BullMQ's client interface declares only the bare form).
    const client = (await queue.getBackend().client) as unknown as { lpos(key: string, element: string, ...options: string[]): Promise<number | null> };
    return (await client.lpos(queue.toKey('wait'), id, 'RANK', '-1', 'MAXLEN', String(WAIT_TAIL_CHECKED))) !== null;
  }

  /** The queue's connection waits for Redis forever; a pass holding row locks must not. */
  private async withRedisDeadline<T>(work: Promise<T>): Promise<T> {
    const timeoutMs = this.config.queueLockMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new EnqueueTimeoutError(`Redis did not answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      return await Promise.race([work, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }
}

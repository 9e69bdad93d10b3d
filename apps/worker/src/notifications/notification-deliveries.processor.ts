import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy, Type } from '@nestjs/common';
import { AppConfig, NotificationDeliveryJobData, QUEUES } from '@app/common';
import { cappedBackoffMs, DeliveryBusyError, DeliveryLane, DeliveryOutcome, DeliveryService, LaneRateLimiter } from '@app/notifications';
import { DelayedError, Job, WorkerOptions } from 'bullmq';

const BUSY_RETRY_MS = 1000;

/**
 * A job whose worker died is taken over once its lock has expired (QUEUE_LOCK_MS); the delivery
 * row's claim then decides whether it may be sent again.
 */
export function notificationDeliveriesWorkerOptions(config: AppConfig, lane: DeliveryLane = 'personal'): Omit<WorkerOptions, 'connection'> {
  return {
    concurrency: lane === 'bulk' ? config.notifications.bulkConcurrency : config.notifications.concurrency,
    lockDuration: config.queueLockMs,
    stalledInterval: config.queueLockMs,
    maxStalledCount: 5,
    // Delivery jobs ask for 'capped-exponential': 1 s, 2 s, 4 s… up to MAIL_RETRY_MAX_DELAY_MS.
    settings: { backoffStrategy: (attemptsMade: number) => cappedBackoffMs(attemptsMade, config.notifications.retryMaxDelayMs) },
  };
}

/**
 * Sends one notification on one channel; the delivery row, not the job, says whether it was sent.
 * One class for both lanes (personal: notification-deliveries; bulk: notification-bulk-deliveries),
 * each its own BullMQ worker with its own concurrency, so a bulk backlog never holds a personal send.
 */
@Processor(QUEUES.notificationDeliveries)
export class NotificationDeliveriesProcessor extends WorkerHost implements OnModuleDestroy {
  protected readonly logger = new Logger(NotificationDeliveriesProcessor.name);
  protected readonly lane: DeliveryLane = 'personal';

  constructor(
    private readonly deliveries: DeliveryService,
    private readonly limiter: LaneRateLimiter,
  ) {
    super();
  }

  async process(job: Job<NotificationDeliveryJobData>, token?: string): Promise<DeliveryOutcome> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    await this.limiter.take(this.lane, job.data.channel);
    try {
      return await this.deliveries.deliver(job.data.deliveryId, { finalAttempt });
    } catch (error) {
      if (!(error instanceof DeliveryBusyError)) throw error;
      // Another sender holds the claim: look again shortly, without spending an attempt or
      // sliding down the exponential backoff (which could park the job for minutes).
      await job.moveToDelayed(Date.now() + BUSY_RETRY_MS, token);
      throw new DelayedError();
    }
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<NotificationDeliveryJobData> | undefined, error: Error): void {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1) || error.name === 'UnrecoverableError';
    this.logger[final ? 'error' : 'debug'](
      { err: error, jobId: job.id, attemptsMade: job.attemptsMade },
      `${final ? 'Gave up on' : 'Will retry'} ${job.data.channel} delivery ${job.data.deliveryId}: ${error.message}`,
    );
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, `Notification-deliveries worker error: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    // Let running sends finish while PostgreSQL is still open.
    await this.worker.close();
  }
}

/** As for the domain-events processor: @Processor options are static, so the module builds this subclass from its config. */
export function configuredNotificationDeliveriesProcessor(config: AppConfig): Type<NotificationDeliveriesProcessor> {
  @Processor(QUEUES.notificationDeliveries, notificationDeliveriesWorkerOptions(config))
  class ConfiguredNotificationDeliveriesProcessor extends NotificationDeliveriesProcessor {}
  return ConfiguredNotificationDeliveriesProcessor;
}

/** The bulk lane's processor (announcements): the same sends, its own queue, concurrency and rate limits. */
export class BulkNotificationDeliveriesProcessor extends NotificationDeliveriesProcessor {
  protected override readonly lane: DeliveryLane = 'bulk';
}

export function configuredBulkDeliveriesProcessor(config: AppConfig): Type<BulkNotificationDeliveriesProcessor> {
  @Processor(QUEUES.notificationBulkDeliveries, notificationDeliveriesWorkerOptions(config, 'bulk'))
  class ConfiguredBulkDeliveriesProcessor extends BulkNotificationDeliveriesProcessor {}
  return ConfiguredBulkDeliveriesProcessor;
}

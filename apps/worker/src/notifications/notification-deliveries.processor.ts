import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy, Type } from '@nestjs/common';
import { AppConfig, NotificationDeliveryJobData, QUEUES } from '@app/common';
import { DeliveryOutcome, DeliveryService } from '@app/notifications';
import { Job, WorkerOptions } from 'bullmq';

/**
 * A job whose worker died is taken over once its lock has expired (QUEUE_LOCK_MS); the delivery
 * row's claim then decides whether it may be sent again.
 */
export function notificationDeliveriesWorkerOptions(config: AppConfig): Omit<WorkerOptions, 'connection'> {
  return {
    concurrency: config.notifications.concurrency,
    lockDuration: config.queueLockMs,
    stalledInterval: config.queueLockMs,
    maxStalledCount: 5,
  };
}

/** Sends one notification on one channel; the delivery row, not the job, says whether it was sent. */
@Processor(QUEUES.notificationDeliveries)
export class NotificationDeliveriesProcessor extends WorkerHost implements OnModuleDestroy {
  protected readonly logger = new Logger(NotificationDeliveriesProcessor.name);

  constructor(private readonly deliveries: DeliveryService) {
    super();
  }

  async process(job: Job<NotificationDeliveryJobData>): Promise<DeliveryOutcome> {
    const finalAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    return this.deliveries.deliver(job.data.deliveryId, { finalAttempt });
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

import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { QUEUES } from '@app/common';
import { DigestRunResult, DigestService } from '@app/notifications';
import { Job, Queue } from 'bullmq';

export const DIGEST_SCHEDULER_ID = 'notification-digests';
export const DIGEST_JOB = 'send-due-digests';
/**
 * Every quarter of an hour: digests are due at 08:00 in each municipality's zone, and zones differ
 * by quarter hours at most. A run sends whatever has come due since the last one.
 */
export const DIGEST_PATTERN = '*/15 * * * *';

/** Registers the digest run with BullMQ's job scheduler; idempotent, so every worker does it at start. */
@Injectable()
export class NotificationDigestScheduler implements OnApplicationBootstrap {
  private readonly logger = new Logger(NotificationDigestScheduler.name);

  constructor(@InjectQueue(QUEUES.notificationDigests) private readonly queue: Queue) {}

  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.queue.upsertJobScheduler(DIGEST_SCHEDULER_ID, { pattern: DIGEST_PATTERN, tz: 'UTC' }, { name: DIGEST_JOB });
    } catch (error) {
      // Redis away at start: the worker still runs; the next start (or another worker) registers it.
      this.logger.warn({ err: error }, `Could not register the digest schedule: ${(error as Error).message}`);
    }
  }
}

@Processor(QUEUES.notificationDigests)
export class NotificationDigestsProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(NotificationDigestsProcessor.name);

  constructor(private readonly digests: DigestService) {
    super();
  }

  async process(job: Job): Promise<DigestRunResult | undefined> {
    if (job.name !== DIGEST_JOB) {
      this.logger.warn(`Unknown digest job "${job.name}"; skipped`);
      return undefined;
    }
    return this.digests.sendDue();
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (job) this.logger.warn({ err: error, jobId: job.id }, `Digest run failed: ${error.message}`);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, `Notification-digests worker error: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}

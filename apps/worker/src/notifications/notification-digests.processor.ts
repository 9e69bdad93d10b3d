import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { QUEUES, upsertSchedulerInBackground } from '@app/common';
import { DigestRunResult, DigestService } from '@app/notifications';
import { Job, Queue } from 'bullmq';

export const DIGEST_SCHEDULER_ID = 'notification-digests';
export const DIGEST_JOB = 'send-due-digests';
/**
 * Every quarter of an hour: digests are due at 08:00 in each municipality's zone, and zones differ
 * by quarter hours at most. A run sends whatever has come due since the last one.
 */
export const DIGEST_PATTERN = '*/15 * * * *';

/** Registers the digest run with BullMQ's job scheduler, in the background, at every worker start. */
@Injectable()
export class NotificationDigestScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(NotificationDigestScheduler.name);
  private stop: (() => void) | null = null;

  constructor(@InjectQueue(QUEUES.notificationDigests) private readonly queue: Queue) {
    this.queue.on('error', (error) => this.logger.debug(`Digest queue connection error: ${error.message}`));
  }

  onApplicationBootstrap(): void {
    this.stop = upsertSchedulerInBackground(this.queue, DIGEST_SCHEDULER_ID, { pattern: DIGEST_PATTERN, tz: 'UTC' }, { name: DIGEST_JOB }, this.logger);
  }

  beforeApplicationShutdown(): void {
    this.stop?.();
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

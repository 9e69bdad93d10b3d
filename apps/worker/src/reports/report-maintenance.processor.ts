import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { QUEUES, REPORT_MAINTENANCE_JOBS, upsertSchedulerInBackground } from '@app/common';
import { ResolutionService } from '@app/reports';
import { Job, Queue } from 'bullmq';

export const AUTO_CLOSE_EVERY_MS = 60 * 60 * 1000;
export const AUTO_CLOSE_SCHEDULER_ID = 'reports-auto-close';

/**
 * Registers the hourly auto-close with BullMQ's job scheduler, in the background (see
 * upsertSchedulerInBackground): every worker does it at start and there is still one schedule.
 */
@Injectable()
export class ReportMaintenanceScheduler implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReportMaintenanceScheduler.name);
  private stop: (() => void) | null = null;

  constructor(@InjectQueue(QUEUES.reportMaintenance) private readonly queue: Queue) {
    // Without a listener an outage would be an unhandled 'error' event; the attempt reports it.
    this.queue.on('error', (error) => this.logger.debug(`Report-maintenance queue connection error: ${error.message}`));
  }

  onApplicationBootstrap(): void {
    this.stop = upsertSchedulerInBackground(
      this.queue,
      AUTO_CLOSE_SCHEDULER_ID,
      { every: AUTO_CLOSE_EVERY_MS },
      { name: REPORT_MAINTENANCE_JOBS.autoClose },
      this.logger,
    );
  }

  beforeApplicationShutdown(): void {
    this.stop?.();
  }
}

/** Closes problems resolved 30 days ago whose reporter said nothing. */
@Processor(QUEUES.reportMaintenance)
export class ReportMaintenanceProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(ReportMaintenanceProcessor.name);

  constructor(private readonly resolution: ResolutionService) {
    super();
  }

  async process(job: Job): Promise<{ closed: number } | undefined> {
    if (job.name !== REPORT_MAINTENANCE_JOBS.autoClose) {
      this.logger.warn(`Unknown report maintenance job "${job.name}"; skipped`);
      return undefined;
    }
    return { closed: await this.resolution.autoCloseResolved() };
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (job) this.logger.warn({ err: error, jobId: job.id }, `Report maintenance ${job.name} failed: ${error.message}`);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, `Report-maintenance worker error: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}

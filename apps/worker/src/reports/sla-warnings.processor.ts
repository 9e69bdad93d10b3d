import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { QUEUES, SlaWarningJobData } from '@app/common';
import { SlaWarningOutcome, SlaWarningsService } from '@app/reports';
import { Job } from 'bullmq';

/** Fires a deadline warning: the service re-reads the report and warns only if it still waits. */
@Processor(QUEUES.reportSlaWarnings, { concurrency: 5 })
export class SlaWarningsProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(SlaWarningsProcessor.name);

  constructor(private readonly sla: SlaWarningsService) {
    super();
  }

  async process(job: Job<SlaWarningJobData>): Promise<SlaWarningOutcome> {
    return this.sla.warn(job.data);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<SlaWarningJobData> | undefined, error: Error): void {
    if (job) this.logger.warn({ err: error, jobId: job.id }, `Deadline warning ${job.id} failed: ${error.message}`);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, `Deadline-warnings worker error: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    // Let a running warning finish while PostgreSQL is still open.
    await this.worker.close();
  }
}

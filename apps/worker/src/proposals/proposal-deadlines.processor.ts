import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { ProposalDeadlineJobData, QUEUES } from '@app/common';
import { ProposalDeadlineOutcome, ProposalDeadlinesService } from '@app/proposals';
import { Job } from 'bullmq';

/** A deadline came: the service re-reads the proposal and acts only if the deadline still holds. */
@Processor(QUEUES.proposalDeadlines, { concurrency: 5 })
export class ProposalDeadlinesProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(ProposalDeadlinesProcessor.name);

  constructor(private readonly deadlines: ProposalDeadlinesService) {
    super();
  }

  async process(job: Job<ProposalDeadlineJobData>): Promise<ProposalDeadlineOutcome> {
    return this.deadlines.fire(job.data);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<ProposalDeadlineJobData> | undefined, error: Error): void {
    if (job) this.logger.warn({ err: error, jobId: job.id }, `Proposal deadline ${job.id} failed: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}

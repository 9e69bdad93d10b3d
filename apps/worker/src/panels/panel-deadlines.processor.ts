import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { PanelDeadlineJobData, QUEUES } from '@app/common';
import { MemberLifecycleService } from '@app/panels';
import { Job } from 'bullmq';

/** A panel date has come: a silent member's seat is freed (and replaced), or a term ends. */
@Processor(QUEUES.panelDeadlines, { concurrency: 2 })
export class PanelDeadlinesProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(PanelDeadlinesProcessor.name);

  constructor(private readonly lifecycle: MemberLifecycleService) {
    super();
  }

  async process(job: Job<PanelDeadlineJobData>): Promise<string> {
    const data = job.data;
    if (data.kind === 'respond-by') return this.lifecycle.expireIfUnanswered(data.memberId, data.respondBy);
    return (await this.lifecycle.endTerm(data.panelId, data.termNumber)) ? 'rotation-due' : 'stale';
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<PanelDeadlineJobData> | undefined, error: Error): void {
    if (job) this.logger.warn({ err: error, jobId: job.id }, `Panel deadline ${job.id} failed: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}

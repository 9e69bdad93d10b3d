import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { BudgetPhaseJobData, QUEUES } from '@app/common';
import { BudgetsService } from '@app/budgets';
import { Job } from 'bullmq';

/** Moves a budget on its date; a budget already moved (early, by its admin) is left alone. */
@Processor(QUEUES.budgetPhases, { concurrency: 2 })
export class BudgetPhasesProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(BudgetPhasesProcessor.name);

  constructor(private readonly budgets: BudgetsService) {
    super();
  }

  async process(job: Job<BudgetPhaseJobData>): Promise<string> {
    const moved = await this.budgets.moveToNext(job.data.budgetId, job.data.from, null, 'schedule', new Date(job.data.at));
    return moved.phase;
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<BudgetPhaseJobData> | undefined, error: Error): void {
    if (job) this.logger.warn({ err: error, jobId: job.id }, `Budget phase move ${job.id} failed: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}

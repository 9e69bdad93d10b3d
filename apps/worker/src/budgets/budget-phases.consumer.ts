import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { BudgetPhaseJobData, DomainEvent, DomainEventConsumer, EventConsumer, QUEUES } from '@app/common';
import { BudgetsService } from '@app/budgets';
import { Queue } from 'bullmq';
import { EntityManager } from 'typeorm';

/** One job per (budget, phase, date): a date the admin changes gets its own job; the old one finds itself stale. */
export function budgetPhaseJobId(budgetId: string, from: string, at: Date | string): string {
  return `budget-phase-${budgetId}-${from}-${new Date(at).getTime()}`;
}

/**
 * Schedules each budget's next phase move on its date, from committed events (created, phase
 * changed), like the reports' deadline warnings: never for a change that rolled back, never lost
 * while Redis is down (the event is delivered again until this succeeds).
 */
@Injectable()
// Rerunnable: the job id is deterministic per (budget, phase, date), so scheduling again is a no-op.
@EventConsumer({ name: 'budget-phases', events: ['budgets.created', 'budgets.phase_changed', 'budgets.updated'], rerunnable: true })
export class BudgetPhasesConsumer implements DomainEventConsumer {
  private readonly logger = new Logger(BudgetPhasesConsumer.name);

  constructor(
    private readonly budgets: BudgetsService,
    @InjectQueue(QUEUES.budgetPhases) private readonly queue: Queue<BudgetPhaseJobData>,
  ) {
    this.queue.on('error', (error) => this.logger.debug(`Budget-phases queue connection error: ${error.message}`));
  }

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const next = await this.budgets.nextMove(event.aggregateId, manager);
    if (!next) return;
    await this.queue.add(
      'move',
      { budgetId: event.aggregateId, from: next.from, at: next.at.toISOString() },
      { jobId: budgetPhaseJobId(event.aggregateId, next.from, next.at), delay: Math.max(0, next.at.getTime() - Date.now()) },
    );
  }
}

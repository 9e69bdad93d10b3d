import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { RealtimePublisher } from '@app/realtime';
import { EntityManager } from 'typeorm';
import { BudgetEntity, BudgetPhase } from '../budget.entity';
import { budgetTopic } from './budget-topics.policy';

export interface BudgetLiveData {
  budgetId: string;
  phase: BudgetPhase;
  /** Ballots cast so far (online and paper); never a tally before voting closes. */
  turnout: { ballots: number; online: number; paper: number };
}

/** Live turnout on `budget:{id}` after each cast ballot and phase move, counted at delivery. */
@Injectable()
@EventConsumer({ name: 'budget-turnout', events: ['budgets.ballot_cast', 'budgets.phase_changed'], rerunnable: true })
export class BudgetTurnoutConsumer implements DomainEventConsumer {
  constructor(private readonly publisher: RealtimePublisher) {}

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const budget = await manager.findOneBy(BudgetEntity, { id: event.aggregateId });
    if (!budget) return;
    const rows: Array<{ channel: 'online' | 'paper'; n: number }> = await manager.query(
      `SELECT channel, count(*)::int AS n FROM budget_participations WHERE budget_id = $1 GROUP BY channel`,
      [budget.id],
    );
    const online = rows.find((r) => r.channel === 'online')?.n ?? 0;
    const paper = rows.find((r) => r.channel === 'paper')?.n ?? 0;
    await this.publisher.publish<BudgetLiveData>(budgetTopic(budget.id), {
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      data: { budgetId: budget.id, phase: budget.phase, turnout: { ballots: online + paper, online, paper } },
    });
  }
}

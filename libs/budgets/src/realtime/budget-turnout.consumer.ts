import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { RealtimePublisher } from '@app/realtime';
import { EntityManager } from 'typeorm';
import { BudgetEntity, BudgetPhase } from '../budget.entity';
import { budgetTopic } from './budget-topics.policy';
import { BudgetTurnout, turnoutOf } from './budget-turnout';

export interface BudgetLiveData {
  budgetId: string;
  phase: BudgetPhase;
  /** Ballots cast so far (online and paper, by the voters' district); never a tally before voting closes. */
  turnout: BudgetTurnout;
}

/** Live turnout on `budget:{id}` after each cast ballot and phase move, counted at delivery. */
@Injectable()
@EventConsumer({ name: 'budget-turnout', events: ['budgets.ballot_cast', 'budgets.phase_changed'], rerunnable: true })
export class BudgetTurnoutConsumer implements DomainEventConsumer {
  constructor(private readonly publisher: RealtimePublisher) {}

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const budget = await manager.findOneBy(BudgetEntity, { id: event.aggregateId });
    if (!budget) return;
    const turnout = await turnoutOf(manager, budget.id, budget.municipalityId);
    await this.publisher.publish<BudgetLiveData>(budgetTopic(budget.id), {
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      data: { budgetId: budget.id, phase: budget.phase, turnout },
    });
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { ProvidesTopics, RealtimeActor, TopicDecision, TopicPolicy, TopicRequest } from '@app/realtime';
import { Repository } from 'typeorm';
import { BudgetEntity } from '../budget.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const budgetTopic = (id: string): string => `budget:${id}`;

/** `budget:{id}`: live turnout and phase moves, public like the budget itself. */
@Injectable()
@ProvidesTopics('budget:{id}')
export class BudgetTopicsPolicy implements TopicPolicy {
  constructor(@InjectRepository(BudgetEntity) private readonly budgets: Repository<BudgetEntity>) {}

  async authorize(_actor: RealtimeActor, { params }: TopicRequest): Promise<TopicDecision> {
    const exists = UUID.test(params.id) && (await this.budgets.existsBy({ id: params.id }));
    return exists ? { ok: true } : { ok: false, code: 'BUDGET_NOT_FOUND', reason: 'Budget not found' };
  }
}

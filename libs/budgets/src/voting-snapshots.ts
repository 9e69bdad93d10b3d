import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { LRUCache } from 'lru-cache';
import { Repository } from 'typeorm';
import { BudgetEntity, BudgetProjectEntity } from './budget.entity';
import { BudgetsService } from './budgets.service';

export type BallotProject = Pick<BudgetProjectEntity, 'id' | 'cost' | 'districtId'>;

/** A budget in its voting phase and the projects on its ballot: what every ballot is checked against. */
export interface VotingSnapshot {
  budget: BudgetEntity;
  onBallot: BallotProject[];
}

/**
 * While a budget is voting, what a ballot is checked against cannot change: projects are reviewed
 * before voting opens, and the vote's shape (amounts, rules, eligibility) is fixed once it opens
 * (BudgetsService.update). So each instance keeps it a few seconds instead of reading the budget
 * and its ballot on every submission (two of the submission's round trips; `npm run bench --
 * budgets`). The phase itself is read again under lock when the ballot is cast, so a close is
 * never missed; a budget seen outside voting is never kept.
 */
@Injectable()
export class VotingSnapshots {
  private readonly snapshots = new LRUCache<string, VotingSnapshot>({ max: 500, ttl: 5_000 });

  constructor(
    private readonly budgets: BudgetsService,
    @InjectRepository(BudgetProjectEntity) private readonly projects: Repository<BudgetProjectEntity>,
  ) {}

  /** The budget as a ballot sees it; `onBallot` only when it is voting. */
  async get(budgetId: string): Promise<VotingSnapshot> {
    const kept = this.snapshots.get(budgetId);
    if (kept) return kept;
    const budget = await this.budgets.get(budgetId);
    if (budget.phase !== 'voting') return { budget, onBallot: [] };
    const onBallot = await this.projects.find({ select: { id: true, cost: true, districtId: true }, where: { budgetId, status: 'on_ballot' } });
    const snapshot = { budget, onBallot };
    this.snapshots.set(budgetId, snapshot);
    return snapshot;
  }
}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { BallotsService } from './ballots.service';
import { BUDGET_ENTITIES } from './budget.entity';
import { BudgetTally } from './budget-tally';
import { BudgetsService } from './budgets.service';
import { BudgetTopicsPolicy } from './realtime/budget-topics.policy';

/** Participatory budgets: processes, projects, secret ballots and outcomes. */
@Module({
  imports: [TypeOrmModule.forFeature(BUDGET_ENTITIES), IdentityModule],
  providers: [BudgetsService, BallotsService, BudgetTally, BudgetTopicsPolicy],
  exports: [BudgetsService, BallotsService],
})
export class BudgetsModule {}

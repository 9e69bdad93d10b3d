import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { BallotsService } from './ballots.service';
import { BUDGET_ENTITIES } from './budget.entity';
import { BudgetTally } from './budget-tally';
import { BudgetsService } from './budgets.service';
import { BudgetProjectsService } from './projects/budget-projects.service';
import { BudgetTopicsPolicy } from './realtime/budget-topics.policy';

/** Participatory budgets: processes, projects, secret ballots and outcomes. */
@Module({
  imports: [TypeOrmModule.forFeature(BUDGET_ENTITIES), IdentityModule],
  providers: [BudgetsService, BudgetProjectsService, BallotsService, BudgetTally, BudgetTopicsPolicy],
  exports: [BudgetsService, BudgetProjectsService, BallotsService],
})
export class BudgetsModule {}

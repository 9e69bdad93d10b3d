import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/common';
import { BudgetsModule } from '@app/budgets';
import { BudgetPhasesConsumer } from './budget-phases.consumer';
import { BudgetPhasesProcessor } from './budget-phases.processor';

/** The budgets library's background work: phases moved on their dates. */
@Module({
  imports: [BudgetsModule, BullModule.registerQueue({ name: QUEUES.budgetPhases })],
  providers: [BudgetPhasesConsumer, BudgetPhasesProcessor],
})
export class BudgetsWorkerModule {}

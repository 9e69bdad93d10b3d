import { Module } from '@nestjs/common';
import { BudgetsModule } from '@app/budgets';
import { BudgetsController } from './budgets.controller';

/** HTTP adapters of the budgets library. */
@Module({
  imports: [BudgetsModule],
  controllers: [BudgetsController],
})
export class BudgetsHttpModule {}

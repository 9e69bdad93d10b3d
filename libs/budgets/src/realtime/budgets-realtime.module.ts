import { Module } from '@nestjs/common';
import { RealtimePublisherModule } from '@app/realtime';
import { BudgetsModule } from '../budgets.module';
import { BudgetTurnoutConsumer } from './budget-turnout.consumer';

/** The worker's side of budgets' live updates (kept out of BudgetsModule, which the API loads). */
@Module({
  imports: [BudgetsModule, RealtimePublisherModule],
  providers: [BudgetTurnoutConsumer],
})
export class BudgetsRealtimeModule {}

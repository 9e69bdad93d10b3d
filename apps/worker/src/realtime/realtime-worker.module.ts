import { Module } from '@nestjs/common';
import { BudgetsRealtimeModule } from '@app/budgets';
import { SurveysRealtimeModule } from '@app/surveys';
import { ReportsRealtimeModule } from '@app/reports';

/**
 * Live updates from the worker: outbox consumers that publish committed events to socket.io
 * rooms through the Redis streams adapter (RealtimePublisher). Each library brings its own
 * consumer module; this app only gathers them.
 */
@Module({
  imports: [ReportsRealtimeModule, BudgetsRealtimeModule, SurveysRealtimeModule],
})
export class RealtimeWorkerModule {}

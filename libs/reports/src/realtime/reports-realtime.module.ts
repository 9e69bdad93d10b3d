import { Module } from '@nestjs/common';
import { RealtimePublisherModule } from '@app/realtime';
import { ReportsModule } from '../reports.module';
import { ReportsRealtimeConsumer } from './reports-realtime.consumer';

/**
 * The worker's side of reports' live updates: the outbox consumer and the publisher it emits
 * through. Kept out of ReportsModule, which the API loads too and which must not open a publisher.
 */
@Module({
  imports: [ReportsModule, RealtimePublisherModule],
  providers: [ReportsRealtimeConsumer],
})
export class ReportsRealtimeModule {}

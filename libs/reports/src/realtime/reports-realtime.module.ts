import { Module } from '@nestjs/common';
import { EngagementModule } from '@app/engagement';
import { RealtimePublisherModule } from '@app/realtime';
import { ReportsModule } from '../reports.module';
import { ReportCommentsRealtimeConsumer } from './report-comments-realtime.consumer';
import { ReportsRealtimeConsumer } from './reports-realtime.consumer';

/**
 * The worker's side of reports' live updates: the outbox consumer and the publisher it emits
 * through. Kept out of ReportsModule, which the API loads too and which must not open a publisher.
 */
@Module({
  imports: [ReportsModule, EngagementModule, RealtimePublisherModule],
  providers: [ReportsRealtimeConsumer, ReportCommentsRealtimeConsumer],
})
export class ReportsRealtimeModule {}

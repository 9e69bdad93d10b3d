import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/common';
import { ReportsModule } from '@app/reports';
import { ReportDeadlinesConsumer } from './report-deadlines.consumer';
import { ReportMaintenanceProcessor, ReportMaintenanceScheduler } from './report-maintenance.processor';
import { SlaWarningsProcessor } from './sla-warnings.processor';

/** The reports library's background work: deadline warnings and the auto-close of resolved problems. */
@Module({
  imports: [ReportsModule, BullModule.registerQueue({ name: QUEUES.reportSlaWarnings }, { name: QUEUES.reportMaintenance })],
  providers: [ReportDeadlinesConsumer, SlaWarningsProcessor, ReportMaintenanceScheduler, ReportMaintenanceProcessor],
})
export class ReportsWorkerModule {}

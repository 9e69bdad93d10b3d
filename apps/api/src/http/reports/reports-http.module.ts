import { Module } from '@nestjs/common';
import { ReportsModule } from '@app/reports';
import { CategoriesController } from './categories.controller';
import { ReportsController } from './reports.controller';
import { ReportStatsController } from './report-stats.controller';
import { StaffReportsController } from './staff-reports.controller';
import { TriageCalendarController } from './triage-calendar.controller';
import { TriageController } from './triage.controller';

/** HTTP adapters of the reports library. */
@Module({
  imports: [ReportsModule],
  controllers: [CategoriesController, ReportsController, TriageController, TriageCalendarController, ReportStatsController, StaffReportsController],
})
export class ReportsHttpModule {}

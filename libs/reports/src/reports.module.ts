import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngagementModule } from '@app/engagement';
import { IdentityModule } from '@app/identity';
import { MediaModule } from '@app/media';
import { CategoriesService } from './categories/categories.service';
import { ReportCategoryEntity } from './categories/report-category.entity';
import { Open311ApiKeyEntity } from './open311/open311-api-key.entity';
import { ReportEventEntity } from './reports/report-event.entity';
import { ReportSubjectProvider } from './reports/report-subject.provider';
import { ReportSupportEntity } from './reports/report-support.entity';
import { ReportEntity } from './reports/report.entity';
import { ReportsPersonalData } from './reports/reports-personal-data';
import { ReportsService } from './reports/reports.service';
import { ServiceLevelsService } from './service-levels/service-levels.service';
import { TriageCalendarEntity } from './service-levels/triage-calendar.entity';

/** Citizen reports and their triage by municipal staff. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ReportEntity, ReportCategoryEntity, ReportEventEntity, ReportSupportEntity, TriageCalendarEntity, Open311ApiKeyEntity]),
    IdentityModule,
    MediaModule,
    EngagementModule,
  ],
  providers: [ReportsService, CategoriesService, ServiceLevelsService, ReportSubjectProvider, ReportsPersonalData],
  exports: [ReportsService, CategoriesService, ServiceLevelsService],
})
export class ReportsModule {}

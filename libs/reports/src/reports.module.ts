import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngagementModule } from '@app/engagement';
import { IdentityModule } from '@app/identity';
import { MediaModule } from '@app/media';
import { CategoriesService } from './categories/categories.service';
import { ReportCategoryEntity } from './categories/report-category.entity';
import { ApiKeysService } from './open311/api-keys.service';
import { Open311ApiKeyEntity } from './open311/open311-api-key.entity';
import { Open311RequestEntity } from './open311/open311-request.entity';
import { Open311Service } from './open311/open311.service';
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
    TypeOrmModule.forFeature([ReportEntity, ReportCategoryEntity, ReportEventEntity, ReportSupportEntity, TriageCalendarEntity, Open311ApiKeyEntity, Open311RequestEntity]),
    IdentityModule,
    MediaModule,
    EngagementModule,
  ],
  providers: [ReportsService, CategoriesService, ServiceLevelsService, ReportSubjectProvider, ReportsPersonalData, Open311Service, ApiKeysService],
  exports: [ReportsService, CategoriesService, ServiceLevelsService, Open311Service, ApiKeysService],
})
export class ReportsModule {}

import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EngagementModule } from '@app/engagement';
import { IdentityModule } from '@app/identity';
import { MediaModule } from '@app/media';
import { RealtimeModule } from '@app/realtime';
import { CategoriesService } from './categories/categories.service';
import { ReportCategoryEntity } from './categories/report-category.entity';
import { ApiKeysService } from './open311/api-keys.service';
import { Open311ApiKeyEntity } from './open311/open311-api-key.entity';
import { Open311RequestEntity } from './open311/open311-request.entity';
import { Open311Service } from './open311/open311.service';
import { REPORT_NOTIFICATION_RULES } from './notifications/report-notification-rules';
import { ReportsOpenData } from './open-data/reports-open-data';
import { ReportTopicsPolicy } from './realtime/report-topics.policy';
import { ReportEventEntity } from './reports/report-event.entity';
import { ReportSubjectProvider } from './reports/report-subject.provider';
import { ReportSupportEntity } from './reports/report-support.entity';
import { ReportEntity } from './reports/report.entity';
import { ReportsPersonalData } from './reports/reports-personal-data';
import { ReportsService } from './reports/reports.service';
import { ReportViewLoader } from './reports/report-view-loader';
import { ReportFiler } from './reports/report-filer';
import { ReporterChangesService } from './reports/reporter-changes.service';
import { ServiceLevelsService } from './service-levels/service-levels.service';
import { TriageCalendarEntity } from './service-levels/triage-calendar.entity';
import { ReportStatsService } from './stats/report-stats.service';
import { SlaWarningsService } from './service-levels/sla-warnings.service';
import { TriageCalendarService } from './service-levels/triage-calendar.service';
import { MergeService } from './triage/merge.service';
import { AssistedIntakeService } from './intake/assisted-intake.service';
import { ReportCorrectionsService } from './corrections/report-corrections.service';
import { ReportCorrectionEntity } from './corrections/report-correction.entity';
import { ReportWriter } from './triage/report-writer';
import { ResolutionService } from './triage/resolution.service';
import { TriageQueueService } from './triage/triage-queue.service';
import { TriageService } from './triage/triage.service';

/** Staff triage, service levels and statistics (the worker uses SlaWarningsService and ResolutionService). */
const TRIAGE_SERVICES = [AssistedIntakeService, ReportCorrectionsService, TriageService, TriageQueueService, MergeService, ResolutionService, TriageCalendarService, SlaWarningsService, ReportStatsService];

/** Citizen reports and their triage by municipal staff. */
@Module({
  imports: [
    TypeOrmModule.forFeature([ReportEntity, ReportCategoryEntity, ReportEventEntity, ReportSupportEntity, TriageCalendarEntity, Open311ApiKeyEntity, Open311RequestEntity, ReportCorrectionEntity]),
    IdentityModule,
    MediaModule,
    EngagementModule,
    // Claims on staff views (PresenceService); the topic policy registers with its TopicRegistry.
    RealtimeModule,
  ],
  providers: [ReportsService, ReportViewLoader, ReportFiler, ReporterChangesService, CategoriesService, ServiceLevelsService, ReportSubjectProvider, ReportsPersonalData, Open311Service, ApiKeysService, ReportWriter, ...TRIAGE_SERVICES, ReportTopicsPolicy,
    // Its datasets in every town's open-data catalogue (discovered by OpenDataRegistry).
    ReportsOpenData,
    // Who hears of what (discovered by the notifications pipeline).
    ...REPORT_NOTIFICATION_RULES],
  exports: [ReportsService, ReporterChangesService, CategoriesService, ServiceLevelsService, Open311Service, ApiKeysService, ...TRIAGE_SERVICES],
})
export class ReportsModule {}

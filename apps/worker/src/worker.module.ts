import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadConfig, LoggingModule, PlatformModule } from '@app/common';
import { BudgetsModule } from '@app/budgets';
import { EngagementModule } from '@app/engagement';
import { IdentityModule } from '@app/identity';
import { PanelsModule } from '@app/panels';
import { ProposalsModule } from '@app/proposals';
import { ReportsModule } from '@app/reports';
import { SurveysModule } from '@app/surveys';
import { WorkshopsModule } from '@app/workshops';
import { IdentityWorkerModule } from './identity/identity-worker.module';
import { NotificationsBulkWorkerModule, NotificationsWorkerModule } from './notifications/notifications-worker.module';
import { OutboxWorkerModule } from './outbox/outbox-worker.module';
import { RealtimeWorkerModule } from './realtime/realtime-worker.module';
import { ReportsWorkerModule } from './reports/reports-worker.module';
import { BudgetsWorkerModule } from './budgets/budgets-worker.module';
import { WorkshopsWorkerModule } from './workshops/workshops-worker.module';
import { SurveysWorkerModule } from './surveys/surveys-worker.module';
import { ProposalsWorkerModule } from './proposals/proposals-worker.module';
import { PanelsWorkerModule } from './panels/panels-worker.module';

/**
 * The domain libraries whose notification rules and audiences a bulk-lane process must know (an
 * announcement's audience is walked there, its mails rendered there) — without their queue
 * processors or outbox consumers. A library that registers a rule or an audience is listed here
 * as well as in its worker module (test/notifications/worker-roles.e2e-spec.ts compares the two).
 */
const NOTIFYING_LIBRARIES = [IdentityModule, EngagementModule, ReportsModule, BudgetsModule, PanelsModule, WorkshopsModule, SurveysModule, ProposalsModule];

/**
 * The worker: outbox relay and queue processors. No HTTP is loaded here. WORKER_ROLE splits it in
 * two processes: `main` (all but the bulk lane) and `bulk` (announcements' fan-out and bulk sends
 * only); `all` runs both in one.
 */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    if (config.workerRole === 'bulk') {
      return {
        module: WorkerModule,
        imports: [PlatformModule.forRoot(config), LoggingModule, ...NOTIFYING_LIBRARIES, NotificationsBulkWorkerModule.forRoot(config)],
      };
    }
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), LoggingModule, IdentityWorkerModule, ReportsWorkerModule, BudgetsWorkerModule, PanelsWorkerModule, WorkshopsWorkerModule, SurveysWorkerModule, ProposalsWorkerModule, RealtimeWorkerModule, NotificationsWorkerModule.forRoot(config), OutboxWorkerModule.forRoot(config)],
      providers: [],
    };
  }
}

import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, loadConfig, LoggingModule, PlatformModule } from '@app/common';
import { IdentityWorkerModule } from './identity/identity-worker.module';
import { NotificationsWorkerModule } from './notifications/notifications-worker.module';
import { OutboxWorkerModule } from './outbox/outbox-worker.module';
import { RealtimeWorkerModule } from './realtime/realtime-worker.module';
import { ReportsWorkerModule } from './reports/reports-worker.module';
import { BudgetsWorkerModule } from './budgets/budgets-worker.module';
import { WorkshopsWorkerModule } from './workshops/workshops-worker.module';
import { SurveysWorkerModule } from './surveys/surveys-worker.module';
import { ProposalsWorkerModule } from './proposals/proposals-worker.module';
import { PanelsWorkerModule } from './panels/panels-worker.module';

/** The worker: outbox relay and queue processors. No HTTP is loaded here. */
@Module({})
export class WorkerModule {
  static forRoot(config: AppConfig = loadConfig()): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), LoggingModule, IdentityWorkerModule, ReportsWorkerModule, BudgetsWorkerModule, PanelsWorkerModule, WorkshopsWorkerModule, SurveysWorkerModule, ProposalsWorkerModule, RealtimeWorkerModule, NotificationsWorkerModule.forRoot(config), OutboxWorkerModule.forRoot(config)],
      providers: [],
    };
  }
}

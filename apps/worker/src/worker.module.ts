import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, LoggingModule, PlatformModule } from '@app/common';
import { IdentityWorkerModule } from './identity/identity-worker.module';

/** The worker: outbox relay and queue processors. No HTTP is loaded here. */
@Module({})
export class WorkerModule {
  static forRoot(config?: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [PlatformModule.forRoot(config), LoggingModule, IdentityWorkerModule],
      providers: [],
    };
  }
}

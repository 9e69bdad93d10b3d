import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, PlatformModule } from '@app/common';
import { EngagementModule } from '@app/engagement';
import { IdentityModule } from '@app/identity';
import { MediaModule } from '@app/media';
import { ReportsModule } from '@app/reports';
import { BudgetsModule } from '@app/budgets';
import { PanelsModule } from '@app/panels';
import { ProposalsModule } from '@app/proposals';
import { SurveysModule } from '@app/surveys';
import { WorkshopsModule } from '@app/workshops';
import { DemoModulesSeeder } from './demo/demo-modules-seeder';
import { DemoReportsSeeder } from './demo/demo-reports-seeder';
import { DemoSeeder } from './demo/demo-seeder';

/** The libraries the demo seed goes through, without HTTP or queue processors. */
@Module({})
export class SeedModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SeedModule,
      imports: [PlatformModule.forRoot(config), IdentityModule, ReportsModule, EngagementModule, MediaModule, ProposalsModule, BudgetsModule, PanelsModule, SurveysModule, WorkshopsModule],
      providers: [DemoSeeder, DemoReportsSeeder, DemoModulesSeeder],
    };
  }
}

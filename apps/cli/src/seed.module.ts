import { DynamicModule, Module } from '@nestjs/common';
import { AppConfig, PlatformModule } from '@app/common';
import { EngagementModule } from '@app/engagement';
import { IdentityModule } from '@app/identity';
import { MediaModule } from '@app/media';
import { ReportsModule } from '@app/reports';
import { DemoReportsSeeder } from './demo/demo-reports-seeder';
import { DemoSeeder } from './demo/demo-seeder';

/** The libraries the demo seed goes through, without HTTP or queue processors. */
@Module({})
export class SeedModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: SeedModule,
      imports: [PlatformModule.forRoot(config), IdentityModule, ReportsModule, EngagementModule, MediaModule],
      providers: [DemoSeeder, DemoReportsSeeder],
    };
  }
}

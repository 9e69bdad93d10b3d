import { Module } from '@nestjs/common';
import { ReportsModule } from '@app/reports';
import { ApiKeysController } from './api-keys.controller';
import { Open311Controller } from './open311.controller';
import { Open311DiscoveryController } from './open311-discovery.controller';

/** Open311 GeoReport v2 at /open311/v2, and the per-municipality API keys it takes. */
@Module({
  imports: [ReportsModule],
  controllers: [Open311Controller, Open311DiscoveryController, ApiKeysController],
})
export class Open311HttpModule {}

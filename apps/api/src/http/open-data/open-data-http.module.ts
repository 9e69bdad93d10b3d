import { Module } from '@nestjs/common';
import { IdentityModule } from '@app/identity';
import { OpenDataController } from './open-data.controller';

/**
 * The open-data catalogue of every town. Datasets come from the libraries (@ProvidesOpenData,
 * e.g. libs/reports); OpenDataService and its registry are platform-wide (libs/common).
 */
@Module({
  imports: [IdentityModule],
  controllers: [OpenDataController],
})
export class OpenDataHttpModule {}

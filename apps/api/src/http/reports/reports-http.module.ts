import { Module } from '@nestjs/common';
import { ReportsModule } from '@app/reports';
import { CategoriesController } from './categories.controller';
import { ReportsController } from './reports.controller';

/** HTTP adapters of the reports library. */
@Module({
  imports: [ReportsModule],
  controllers: [CategoriesController, ReportsController],
})
export class ReportsHttpModule {}

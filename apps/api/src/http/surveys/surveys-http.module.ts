import { Module } from '@nestjs/common';
import { SurveysModule } from '@app/surveys';
import { SurveysController } from './surveys.controller';

/** HTTP adapters of the surveys library. */
@Module({
  imports: [SurveysModule],
  controllers: [SurveysController],
})
export class SurveysHttpModule {}

import { Module } from '@nestjs/common';
import { RealtimePublisherModule } from '@app/realtime';
import { SurveysModule } from '../surveys.module';
import { SurveyCountConsumer } from './survey-count.consumer';

/** The worker's side of surveys' live count (kept out of SurveysModule, which the API loads). */
@Module({
  imports: [SurveysModule, RealtimePublisherModule],
  providers: [SurveyCountConsumer],
})
export class SurveysRealtimeModule {}

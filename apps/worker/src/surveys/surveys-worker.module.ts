import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/common';
import { SurveysModule } from '@app/surveys';
import { SurveyScheduleConsumer } from './survey-schedule.consumer';
import { SurveyScheduleProcessor } from './survey-schedule.processor';

/** The surveys library's background work: closes and reminders on their dates. */
@Module({
  imports: [SurveysModule, BullModule.registerQueue({ name: QUEUES.surveySchedule })],
  providers: [SurveyScheduleConsumer, SurveyScheduleProcessor],
})
export class SurveysWorkerModule {}

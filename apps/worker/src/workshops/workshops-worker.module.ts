import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { QUEUES } from '@app/common';
import { WorkshopsModule } from '@app/workshops';
import { WorkshopJobsConsumer } from './workshop-jobs.consumer';
import { WorkshopOffersProcessor, WorkshopRemindersProcessor } from './workshop-jobs.processors';

/** The workshops library's background work: session reminders and the expiry of seat offers. */
@Module({
  imports: [WorkshopsModule, BullModule.registerQueue({ name: QUEUES.workshopReminders }, { name: QUEUES.workshopOffers })],
  providers: [WorkshopJobsConsumer, WorkshopRemindersProcessor, WorkshopOffersProcessor],
})
export class WorkshopsWorkerModule {}

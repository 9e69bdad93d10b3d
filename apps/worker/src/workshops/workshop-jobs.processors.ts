import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy } from '@nestjs/common';
import { QUEUES, WorkshopOfferJobData, WorkshopReminderJobData } from '@app/common';
import { OfferExpiryOutcome, OfferExpiryService, SessionRemindersService } from '@app/workshops';
import { Job } from 'bullmq';

/** Fires a session reminder: the service re-reads the session and reminds only if it still starts then. */
@Processor(QUEUES.workshopReminders, { concurrency: 5 })
export class WorkshopRemindersProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(WorkshopRemindersProcessor.name);

  constructor(private readonly reminders: SessionRemindersService) {
    super();
  }

  process(job: Job<WorkshopReminderJobData>): Promise<'sent' | 'stale'> {
    return this.reminders.remind(job.data.sessionId, job.data.kind, job.data.startsAt);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (job) this.logger.warn({ err: error, jobId: job.id }, `Workshop reminder ${job.id} failed: ${error.message}`);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, `Workshop-reminders worker error: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}

/** Ends a seat offer at its expiry and offers the seat to the next person waiting. */
@Processor(QUEUES.workshopOffers, { concurrency: 5 })
export class WorkshopOffersProcessor extends WorkerHost implements OnModuleDestroy {
  private readonly logger = new Logger(WorkshopOffersProcessor.name);

  constructor(private readonly expiry: OfferExpiryService) {
    super();
  }

  process(job: Job<WorkshopOfferJobData>): Promise<OfferExpiryOutcome> {
    return this.expiry.expire(job.data.registrationId, job.data.expiresAt);
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    if (job) this.logger.warn({ err: error, jobId: job.id }, `Workshop offer expiry ${job.id} failed: ${error.message}`);
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    this.logger.warn({ err: error }, `Workshop-offers worker error: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    await this.worker.close();
  }
}

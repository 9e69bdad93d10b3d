import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, DomainEventMap, EventConsumer, QUEUES, WorkshopOfferJobData, WorkshopReminderJobData } from '@app/common';
import { offerJobId, reminderJobId, SessionRemindersService } from '@app/workshops';
import { Queue } from 'bullmq';
import { EntityManager } from 'typeorm';

const payload = <K extends keyof DomainEventMap>(event: DomainEvent, _type: K) => event.payload as DomainEventMap[K];

/**
 * Keeps each session's delayed jobs in step with it, from committed events: reminders 24 h and 1 h
 * before (moved with the session, removed when it is cancelled) and the expiry of each seat offer.
 * Scheduled here rather than in the request's transaction, so a job is never queued for a change
 * that rolled back and never lost while Redis is down (the event is delivered again).
 */
@Injectable()
// Rerunnable: job ids are deterministic (session, kind, start; registration, expiry), so adding again is a no-op.
@EventConsumer({ name: 'workshop-jobs', events: ['workshops.session_scheduled', 'workshops.session_moved', 'workshops.session_cancelled', 'workshops.seat_offered'], rerunnable: true })
export class WorkshopJobsConsumer implements DomainEventConsumer {
  private readonly logger = new Logger(WorkshopJobsConsumer.name);

  constructor(
    private readonly reminders: SessionRemindersService,
    @InjectQueue(QUEUES.workshopReminders) private readonly reminderQueue: Queue<WorkshopReminderJobData>,
    @InjectQueue(QUEUES.workshopOffers) private readonly offerQueue: Queue<WorkshopOfferJobData>,
  ) {
    this.reminderQueue.on('error', (error) => this.logger.debug(`Workshop-reminders queue connection error: ${error.message}`));
    this.offerQueue.on('error', (error) => this.logger.debug(`Workshop-offers queue connection error: ${error.message}`));
  }

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    switch (event.type) {
      case 'workshops.session_scheduled':
        return this.schedule(event.aggregateId, manager);
      case 'workshops.session_moved': {
        const p = payload(event, 'workshops.session_moved');
        await this.unschedule(p.sessionId, new Date(p.from.startsAt));
        return this.schedule(p.sessionId, manager);
      }
      case 'workshops.session_cancelled': {
        const p = payload(event, 'workshops.session_cancelled');
        return this.unschedule(p.sessionId, new Date(p.slot.startsAt));
      }
      case 'workshops.seat_offered': {
        const p = payload(event, 'workshops.seat_offered');
        const expiresAt = new Date(p.expiresAt);
        await this.offerQueue.add('expire', { registrationId: p.registrationId, expiresAt: p.expiresAt }, { jobId: offerJobId(p.registrationId, expiresAt), delay: Math.max(0, expiresAt.getTime() - Date.now()) });
        return;
      }
    }
  }

  /** Reminders for the session's start as it is now (a later move's event replans again). */
  private async schedule(sessionId: string, manager: EntityManager): Promise<void> {
    const startsAt = await this.reminders.currentStart(sessionId, manager);
    if (!startsAt) return;
    for (const job of this.reminders.plan(sessionId, startsAt)) {
      await this.reminderQueue.add('remind', { sessionId, kind: job.kind, startsAt: startsAt.toISOString() }, { jobId: job.jobId, delay: job.delay });
    }
  }

  private async unschedule(sessionId: string, startsAt: Date): Promise<void> {
    // 0 when there is no such job (never scheduled, already fired) or it is running: it re-reads the session.
    for (const kind of ['24h', '1h'] as const) await this.reminderQueue.remove(reminderJobId(sessionId, kind, startsAt));
  }
}

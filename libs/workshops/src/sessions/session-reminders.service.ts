import { Injectable } from '@nestjs/common';
import { OutboxService, TransactionService } from '@app/common';
import { EntityManager } from 'typeorm';
import { isUuid } from '../ids';
import { WorkshopSessionEntity } from './session.entity';

export type ReminderKind = '24h' | '1h';
export const REMINDER_LEADS: Record<ReminderKind, number> = { '24h': 24 * 3600_000, '1h': 3600_000 };

/** A delayed job the worker keeps for a session. */
export interface ReminderJob {
  jobId: string;
  kind: ReminderKind;
  startsAt: Date;
  delay: number;
}

export function reminderJobId(sessionId: string, kind: ReminderKind, startsAt: Date): string {
  return `ws-reminder-${sessionId}-${kind}-${startsAt.getTime()}`;
}

export function offerJobId(registrationId: string, expiresAt: Date): string {
  return `ws-offer-${registrationId}-${expiresAt.getTime()}`;
}

/**
 * Reminders 24 h and 1 h before each session. The worker plans them from session events (the
 * job ids carry the start, so a move schedules new ones and removes the old); when one fires,
 * `remind` records `session_reminder` for the notification rule if the session still starts then.
 */
@Injectable()
export class SessionRemindersService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
  ) {}

  /** The reminders a session should have now; a lead already past is skipped. */
  plan(sessionId: string, startsAt: Date, now = Date.now()): ReminderJob[] {
    return (Object.keys(REMINDER_LEADS) as ReminderKind[])
      .map((kind) => ({ jobId: reminderJobId(sessionId, kind, startsAt), kind, startsAt, delay: startsAt.getTime() - REMINDER_LEADS[kind] - now }))
      .filter((j) => j.delay > 0);
  }

  /** The session's current start when it is still scheduled, for the consumer. */
  async currentStart(sessionId: string, manager: EntityManager): Promise<Date | null> {
    const s = await manager.findOne(WorkshopSessionEntity, { where: { id: sessionId }, select: { id: true, startsAt: true, status: true } });
    return s && s.status === 'scheduled' ? s.startsAt : null;
  }

  async remind(sessionId: string, kind: ReminderKind, startsAt: string): Promise<'sent' | 'stale'> {
    if (!isUuid(sessionId)) return 'stale';
    return this.tx.run(async (manager) => {
      const s = await manager.findOneBy(WorkshopSessionEntity, { id: sessionId });
      if (!s || s.status !== 'scheduled' || s.startsAt.toISOString() !== new Date(startsAt).toISOString()) return 'stale';
      await this.outbox.record(manager, 'workshops.session_reminder', { sessionId, workshopId: s.workshopId, kind, startsAt: s.startsAt.toISOString() }, { aggregateType: 'workshop_session', aggregateId: sessionId, municipalityId: s.municipalityId });
      return 'sent';
    });
  }
}

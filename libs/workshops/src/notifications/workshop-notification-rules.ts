import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventMap } from '@app/common';
import { Locale, MunicipalitiesService } from '@app/identity';
import { NotificationContent, NotificationDraft, NotificationRule, NotificationRuleHandler, RenderedNotification } from '@app/notifications';
import { EntityManager } from 'typeorm';
import { WorkshopSessionEntity } from '../sessions/session.entity';
import { VenueEntity } from '../venues/venue.entity';
import { WorkshopEntity } from '../workshops/workshop.entity';
import { renderWorkshopNotification, WORKSHOP_NOTIFICATION_TYPES as T } from './workshop-notification-texts';

const payload = <K extends keyof DomainEventMap>(event: DomainEvent, _type: K) => event.payload as DomainEventMap[K];

/** What every workshop notification quotes: title, start, place, zone. */
async function sessionFacts(manager: EntityManager, municipalities: MunicipalitiesService, sessionId: string): Promise<Record<string, unknown> | null> {
  const s = await manager.findOneBy(WorkshopSessionEntity, { id: sessionId });
  if (!s) return null;
  const w = await manager.findOneByOrFail(WorkshopEntity, { id: s.workshopId });
  const venue = s.venueId ? await manager.findOne(VenueEntity, { where: { id: s.venueId }, select: { id: true, name: true } }) : null;
  const zone = (await municipalities.requireById(s.municipalityId, manager).catch(() => null))?.timezone ?? 'UTC';
  return { workshopId: w.id, sessionId: s.id, title: w.title, startsAt: s.startsAt.toISOString(), timezone: zone, place: venue?.name ?? null };
}

async function peopleOn(manager: EntityManager, sessionId: string, statuses: string[]): Promise<Array<{ userId: string; code: string }>> {
  return manager.query(`SELECT user_id AS "userId", code FROM workshop_registrations WHERE session_id = $1 AND user_id IS NOT NULL AND status = ANY($2::text[]) ORDER BY arrival`, [sessionId, statuses]);
}

abstract class WorkshopRule implements NotificationRuleHandler {
  abstract recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]>;

  render(notification: NotificationContent, locale: Locale): RenderedNotification {
    return renderWorkshopNotification(notification, locale);
  }
}

/** The person a freed seat is offered to hears of it (and of its lapse, if they let it pass). */
@Injectable()
@NotificationRule({ events: ['workshops.seat_offered', 'workshops.offer_expired'], types: [T.seatOffered, T.offerExpired] })
export class SeatOfferNotificationRule extends WorkshopRule {
  constructor(private readonly municipalities: MunicipalitiesService) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const p = event.payload as { sessionId: string; userId: string; expiresAt?: string };
    const facts = await sessionFacts(manager, this.municipalities, p.sessionId);
    if (!facts) return [];
    const subject = { type: 'workshop', id: String(facts.workshopId) };
    if (event.type === 'workshops.seat_offered') return [{ userId: p.userId, type: T.seatOffered, subject, data: { ...facts, expiresAt: p.expiresAt } }];
    return [{ userId: p.userId, type: T.offerExpired, subject, data: facts }];
  }
}

/** Registered people are reminded 24 h and 1 h before, with their door code. */
@Injectable()
@NotificationRule({ events: ['workshops.session_reminder'], types: [T.reminder] })
export class SessionReminderNotificationRule extends WorkshopRule {
  constructor(private readonly municipalities: MunicipalitiesService) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const p = payload(event, 'workshops.session_reminder');
    const facts = await sessionFacts(manager, this.municipalities, p.sessionId);
    if (!facts) return [];
    const people = await peopleOn(manager, p.sessionId, ['registered']);
    return people.map(({ userId, code }) => ({ userId, type: T.reminder, subject: { type: 'workshop', id: p.workshopId }, data: { ...facts, kind: p.kind, code } }));
  }
}

/** A session moved or cancelled: everyone registered, offered a seat or waiting is told. */
@Injectable()
@NotificationRule({ events: ['workshops.session_moved', 'workshops.session_cancelled'], types: [T.sessionMoved, T.sessionCancelled] })
export class SessionChangeNotificationRule extends WorkshopRule {
  constructor(private readonly municipalities: MunicipalitiesService) {
    super();
  }

  async recipients(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const sessionId = (event.payload as { sessionId: string }).sessionId;
    const facts = await sessionFacts(manager, this.municipalities, sessionId);
    if (!facts) return [];
    const people = await peopleOn(manager, sessionId, ['registered', 'offered', 'waitlisted']);
    const subject = { type: 'workshop', id: String(facts.workshopId) };
    if (event.type === 'workshops.session_moved') {
      const p = payload(event, 'workshops.session_moved');
      // The event's slot, not the row: a later move has its own event and its own notification.
      return people.map(({ userId }) => ({ userId, type: T.sessionMoved, subject, data: { ...facts, startsAt: p.to.startsAt, fromStartsAt: p.from.startsAt } }));
    }
    return people.map(({ userId }) => ({ userId, type: T.sessionCancelled, subject, data: facts }));
  }
}

export const WORKSHOP_NOTIFICATION_RULES = [SeatOfferNotificationRule, SessionReminderNotificationRule, SessionChangeNotificationRule];

import { SetMetadata } from '@nestjs/common';
import { DomainEvent, DomainEventType } from '@app/common';
import type { Locale } from '@app/identity';
import { EntityManager } from 'typeorm';
import { NOTIFICATION_TYPE_SHAPE } from '../notification.types';

export const NOTIFICATION_RULE = Symbol('NOTIFICATION_RULE');

/** Someone a rule wants told about an event. */
export interface NotificationDraft {
  userId: string;
  /** One of the types the rule declares. */
  type: string;
  /** What the texts need (a report number, a status); stored as jsonb, shown to the recipient only. */
  data?: Record<string, unknown>;
  /** Defaults to the event's aggregate. */
  subject?: { type: string; id: string };
}

/**
 * Someone without an account a rule wants told by e-mail (a report filed for them at a counter):
 * no in-app copy, no push, no preferences; the same storage, dispatch and retries as anyone's.
 */
export interface ContactNotificationDraft {
  contact: { email: string; name: string | null; locale: Locale };
  type: string;
  data?: Record<string, unknown>;
  subject?: { type: string; id: string };
}

export type AnyNotificationDraft = NotificationDraft | ContactNotificationDraft;

export function isContactDraft(draft: AnyNotificationDraft): draft is ContactNotificationDraft {
  return 'contact' in draft && !!draft.contact;
}

/** A stored notification, as a rule renders it. */
export interface NotificationContent {
  type: string;
  subjectType: string;
  subjectId: string;
  data: Record<string, unknown>;
}

/** The words of a notification in one language; the pipeline frames them per channel. */
export interface RenderedNotification {
  title: string;
  body: string;
  /** Path in the public web app (`/reports/<id>`), joined to PUBLIC_URL for links. */
  path: string;
}

/**
 * A provider that turns committed domain events into notifications. It decides who hears of an
 * event and says it in their language; storage, preferences, channels, retries and digests are
 * the pipeline's. The actor of an event is never notified of it, whatever a rule returns.
 */
export interface NotificationRuleHandler {
  recipients(event: DomainEvent, manager: EntityManager): Promise<AnyNotificationDraft[]>;
  /**
   * Optional: `recipients` of several events at once (one array per event, in their order), for
   * a rule that can read what they need in one query. The worker consumes the events that wait
   * together in one transaction; without it, `recipients` runs per event.
   */
  recipientsMany?(events: DomainEvent[], manager: EntityManager): Promise<AnyNotificationDraft[][]>;
  render(notification: NotificationContent, locale: Locale): RenderedNotification;
}

export interface NotificationRuleOptions {
  /** The domain events this rule reads. */
  events: DomainEventType[];
  /** The notification types it produces (what people set preferences on). */
  types: string[];
}

/**
 * Every event type some rule reads, filled as rule classes are declared (at import time). The
 * worker's one `notification-rules` consumer subscribes to exactly this array: EventConsumer
 * metadata is static, but the consumer registry reads it only when the worker starts, after every
 * library (and so every rule class) has been loaded. A library adds a rule without touching the
 * pipeline.
 */
export const NOTIFICATION_RULE_EVENTS: DomainEventType[] = [];

/** Marks a provider as a notification rule; the pipeline discovers it in the API and the worker. */
export function NotificationRule(options: NotificationRuleOptions): ClassDecorator {
  for (const type of options.types) {
    if (!NOTIFICATION_TYPE_SHAPE.test(type)) throw new Error(`Notification type "${type}" is not of the form "domain.what_happened"`);
  }
  for (const event of options.events) {
    if (!NOTIFICATION_RULE_EVENTS.includes(event)) NOTIFICATION_RULE_EVENTS.push(event);
  }
  return SetMetadata(NOTIFICATION_RULE, options);
}

/** One notification a rule run stored. */
export interface CreatedNotification {
  notificationId: string;
  /** The recipient: the live channel sends it to `user:{userId}` only. */
  userId: string;
  type: string;
  subjectType: string;
  subjectId: string;
}

/**
 * A page of an announcement's audience, named rather than listed: its in-app notifications are
 * those of the source event and `type` whose person's id is in (`afterUserId`, `lastUserId`] —
 * a range of the notifications' unique key (source event, person, type). Listing 2,000 items per
 * page made every event ~400 KB, and the live channel, which consumes up to 50 events in one
 * batch, held 100,000 of them and their views at once (the worker's heap grew with the town).
 */
export interface CreatedNotificationRange {
  type: string;
  /** Null: from the audience's first person. */
  afterUserId: string | null;
  lastUserId: string;
  /** How many in-app notifications the page stored (for logs and tests; the range decides). */
  count: number;
}

/**
 * The notifications one domain event produced that show in the in-app inbox, in one event (not
 * one per notification: a report resolved with a thousand supporters is one outbox row, one job).
 */
export interface NotificationsCreatedEvent {
  /** The outbox event the rules ran on. */
  sourceEventId: string;
  municipalityId: string | null;
  /** Listed (a rule run's); empty when `range` names them instead (an announcement's page). */
  notifications: CreatedNotification[];
  range?: CreatedNotificationRange;
}

/** An announcement was stored; its id is the source event of every notification it makes. */
export interface AnnouncementPublishedEvent {
  announcementId: string;
  audience: { kind: string; target: string | null };
  audienceSize: number;
}

declare module '@app/common' {
  interface DomainEventMap {
    /** An announcement to an audience was sent (the worker's fan-out walks it; no consumer needs the event). */
    'notification.announcement_published': AnnouncementPublishedEvent;
    /** Notifications landed in in-app inboxes (recorded in the transaction that stored them). */
    'notification.created': NotificationsCreatedEvent;
  }
}

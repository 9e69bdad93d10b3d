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
 * The notifications one domain event produced that show in the in-app inbox, in one event (not
 * one per notification: a report resolved with a thousand supporters is one outbox row, one job).
 */
export interface NotificationsCreatedEvent {
  /** The outbox event the rules ran on. */
  sourceEventId: string;
  municipalityId: string | null;
  notifications: CreatedNotification[];
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

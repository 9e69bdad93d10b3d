/** Events of the notifications library, added to the platform's typed event map. */
export interface NotificationCreatedEvent {
  notificationId: string;
  /** The recipient: the realtime layer routes this event to `user:{userId}` only. */
  userId: string;
  type: string;
  subjectType: string;
  subjectId: string;
  municipalityId: string | null;
}

declare module '@app/common' {
  interface DomainEventMap {
    /** A notification landed in someone's in-app inbox (recorded in the transaction that stored it). */
    'notification.created': NotificationCreatedEvent;
  }
}

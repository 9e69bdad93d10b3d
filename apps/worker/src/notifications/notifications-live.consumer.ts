import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { NotificationsCreatedEvent, NotificationsService, NotificationView } from '@app/notifications';
import { RealtimePublisher, userTopic } from '@app/realtime';

/**
 * The in-app channel, live: each stored notification goes to its recipient's private room
 * `user:{id}` after commit, as the inbox item GET /api/v1/me/notifications returns (in their
 * language). The message id is the notification's id, the same on a redelivery, so a client
 * dedupes on it. Notifications erased since (with their owner's account) are skipped.
 */
@Injectable()
// Rerunnable: a message sent again has the same id, which clients dedupe.
@EventConsumer({ name: 'notifications-live', events: ['notification.created'], rerunnable: true })
export class NotificationsLiveConsumer implements DomainEventConsumer {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly publisher: RealtimePublisher,
  ) {}

  async handle(event: DomainEvent): Promise<void> {
    await this.handleBatch([event]);
  }

  /** The events consumed together: their notifications are read in one go, then sent in order. */
  async handleBatch(events: DomainEvent[]): Promise<void> {
    const sources = new Map<string, DomainEvent>();
    for (const event of events) {
      for (const n of (event.payload as NotificationsCreatedEvent).notifications) sources.set(n.notificationId, event);
    }
    for (const { userId, view } of await this.notifications.views([...sources.keys()])) {
      const event = sources.get(view.id)!;
      await this.publisher.publish<NotificationView>(userTopic(userId), { id: view.id, type: event.type, occurredAt: event.occurredAt.toISOString(), data: view });
    }
  }
}

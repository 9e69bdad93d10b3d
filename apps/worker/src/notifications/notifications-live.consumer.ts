import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { NotificationCreatedEvent, NotificationNotFoundError, NotificationsService, NotificationView } from '@app/notifications';
import { RealtimePublisher, userTopic } from '@app/realtime';

/**
 * The in-app channel, live: each stored notification goes to its recipient's private room
 * `user:{id}` after commit, as the inbox item GET /api/v1/me/notifications returns (in their
 * language). The message id is the outbox event id, the same on a redelivery, so clients dedupe.
 */
@Injectable()
@EventConsumer({ name: 'notifications-live', events: ['notification.created'] })
export class NotificationsLiveConsumer implements DomainEventConsumer {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly publisher: RealtimePublisher,
  ) {}

  async handle(event: DomainEvent): Promise<void> {
    const { notificationId, userId } = event.payload as NotificationCreatedEvent;
    let view: NotificationView;
    try {
      view = await this.notifications.view(userId, notificationId);
    } catch (error) {
      // Erased with its owner's account since: nothing to show.
      if (error instanceof NotificationNotFoundError) return;
      throw error;
    }
    await this.publisher.publish<NotificationView>(userTopic(userId), {
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      data: view,
    });
  }
}

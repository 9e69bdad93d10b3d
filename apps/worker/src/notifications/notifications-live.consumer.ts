import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { NotificationsCreatedEvent, NotificationsService, NotificationView } from '@app/notifications';
import { RealtimePublisher, userTopic } from '@app/realtime';

/**
 * Notifications read and sent per chunk. The events one batch consumes may name 100,000 of them
 * (50 pages of a town-wide announcement); reading them all before sending held every view at once.
 */
export const LIVE_CHUNK_SIZE = 500;

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

  /**
   * The events consumed together, in order, a chunk at a time: a rule run's listed notifications
   * read by id, an announcement page's range walked by person. Each chunk's messages are handed
   * to the publisher at once (one pipelined write, in order), not one round trip each.
   */
  async handleBatch(events: DomainEvent[]): Promise<void> {
    for (const event of events) {
      const created = event.payload as NotificationsCreatedEvent;
      for (let i = 0; i < created.notifications.length; i += LIVE_CHUNK_SIZE) {
        const ids = created.notifications.slice(i, i + LIVE_CHUNK_SIZE).map((n) => n.notificationId);
        await this.send(event, await this.notifications.views(ids));
      }
      if (!created.range) continue;
      let after = created.range.afterUserId;
      for (;;) {
        const chunk = await this.notifications.viewsInRange(created.sourceEventId, created.range, after, LIVE_CHUNK_SIZE);
        await this.send(event, chunk);
        if (chunk.length < LIVE_CHUNK_SIZE) break;
        after = chunk[chunk.length - 1].userId;
      }
    }
  }

  private async send(event: DomainEvent, chunk: Array<{ userId: string; view: NotificationView }>): Promise<void> {
    const occurredAt = event.occurredAt.toISOString();
    await Promise.all(
      chunk.map(({ userId, view }) => this.publisher.publish<NotificationView>(userTopic(userId), { id: view.id, type: event.type, occurredAt, data: view })),
    );
  }
}

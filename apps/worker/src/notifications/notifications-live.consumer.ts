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
   * The events consumed together, in order, a chunk at a time: the rule runs' listed
   * notifications read by id — several events' lists in one read, up to a chunk — and an
   * announcement page's range walked by person. Each chunk's messages are handed to the publisher
   * at once (one pipelined write, in order), not one round trip each.
   */
  async handleBatch(events: DomainEvent[]): Promise<void> {
    let listed: Array<{ event: DomainEvent; notificationId: string }> = [];
    const flush = async () => {
      if (listed.length === 0) return;
      const chunk = listed;
      listed = [];
      const views = new Map((await this.notifications.views(chunk.map((c) => c.notificationId))).map((v) => [v.view.id, v]));
      await this.publish(chunk.flatMap(({ event, notificationId }) => (views.has(notificationId) ? [{ event, ...views.get(notificationId)! }] : [])));
    };
    for (const event of events) {
      const created = event.payload as NotificationsCreatedEvent;
      for (const n of created.notifications) {
        listed.push({ event, notificationId: n.notificationId });
        if (listed.length >= LIVE_CHUNK_SIZE) await flush();
      }
      if (!created.range) continue;
      await flush();
      let after = created.range.afterUserId;
      for (;;) {
        const chunk = await this.notifications.viewsInRange(created.sourceEventId, created.range, after, LIVE_CHUNK_SIZE);
        await this.publish(chunk.map((c) => ({ event, ...c })));
        if (chunk.length < LIVE_CHUNK_SIZE) break;
        after = chunk[chunk.length - 1].userId;
      }
    }
    await flush();
  }

  private async publish(chunk: Array<{ event: DomainEvent; userId: string; view: NotificationView }>): Promise<void> {
    await Promise.all(
      chunk.map(({ event, userId, view }) =>
        this.publisher.publish<NotificationView>(userTopic(userId), { id: view.id, type: event.type, occurredAt: event.occurredAt.toISOString(), data: view }),
      ),
    );
  }
}

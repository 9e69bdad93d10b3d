import { Injectable, Logger } from '@nestjs/common';
import { AfterCommit, DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { DeliveryQueueService, NOTIFICATION_RULE_EVENTS, NotificationFanoutService } from '@app/notifications';
import { EntityManager } from 'typeorm';

/**
 * The one consumer that turns domain events into notifications, through every @NotificationRule
 * of the worker. It subscribes to NOTIFICATION_RULE_EVENTS: the array the rule decorators fill as
 * libraries load, read by the consumer registry only at worker start — so a library that adds a
 * rule (and its events) never touches this file. The notifications are stored in the consumption
 * transaction, so an event is turned into notifications exactly once; their immediate deliveries
 * are stored already enqueued and their jobs added right after that commit (no dispatcher pass
 * and no second UPDATE of each row); if that fails or the worker dies first, the sweeper adds them.
 */
@Injectable()
// Rerunnable: it only writes to PostgreSQL (the jobs added after commit have the delivery's id).
@EventConsumer({ name: 'notification-rules', events: NOTIFICATION_RULE_EVENTS, rerunnable: true })
export class NotificationRulesConsumer implements DomainEventConsumer {
  private readonly logger = new Logger(NotificationRulesConsumer.name);

  constructor(
    private readonly fanout: NotificationFanoutService,
    private readonly queue: DeliveryQueueService,
  ) {}

  handle(event: DomainEvent, manager: EntityManager): Promise<void | AfterCommit> {
    return this.handleBatch([event], manager);
  }

  /** The events consumed together: recipients read and rows stored once for all of them. */
  async handleBatch(events: DomainEvent[], manager: EntityManager): Promise<void | AfterCommit> {
    const { queued } = await this.fanout.fromEventsEnqueuedBy('caller', events, manager);
    if (queued.length === 0) return;
    return () =>
      this.queue.enqueueStored('personal', queued).catch((error: Error) => {
        this.logger.warn(`Could not enqueue ${queued.length} notification deliveries (the sweeper will): ${error.message}`);
      });
  }
}

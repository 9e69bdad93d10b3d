import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { NOTIFICATION_RULE_EVENTS, NotificationFanoutService } from '@app/notifications';
import { EntityManager } from 'typeorm';

/**
 * The one consumer that turns domain events into notifications, through every @NotificationRule
 * of the worker. It subscribes to NOTIFICATION_RULE_EVENTS: the array the rule decorators fill as
 * libraries load, read by the consumer registry only at worker start — so a library that adds a
 * rule (and its events) never touches this file. The notifications are stored in the consumption
 * transaction, so an event is turned into notifications exactly once.
 */
@Injectable()
// Rerunnable: it only writes to PostgreSQL.
@EventConsumer({ name: 'notification-rules', events: NOTIFICATION_RULE_EVENTS, rerunnable: true })
export class NotificationRulesConsumer implements DomainEventConsumer {
  constructor(private readonly fanout: NotificationFanoutService) {}

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    await this.fanout.fromEvent(event, manager);
  }

  /** The events consumed together: recipients read and rows stored once for all of them. */
  async handleBatch(events: DomainEvent[], manager: EntityManager): Promise<void> {
    await this.fanout.fromEvents(events, manager);
  }
}

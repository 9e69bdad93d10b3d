import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DomainEvent, DomainEventType } from './domain-event-map';
import { DomainEventConsumer } from './event-consumer';
import { OutboxEventEntity } from './outbox-event.entity';

export type ConsumeOutcome = 'handled' | 'already-handled' | 'event-missing';

/** Runs one consumer on one committed event, exactly once as far as the database can tell. */
@Injectable()
export class EventDispatchService {
  constructor(private readonly dataSource: DataSource) {}

  async consume(consumerName: string, consumer: DomainEventConsumer, eventId: string): Promise<ConsumeOutcome> {
    return this.dataSource.transaction(async (manager) => {
      // The primary key serialises two deliveries of the same event: the second waits for the
      // first to commit, then finds the row and does nothing.
      const claimed: unknown[] = await manager.query(
        `INSERT INTO event_consumptions (consumer, event_id) VALUES ($1, $2)
         ON CONFLICT DO NOTHING RETURNING event_id`,
        [consumerName, eventId],
      );
      if (claimed.length === 0) return 'already-handled';
      const row = await manager.findOne(OutboxEventEntity, { where: { id: eventId } });
      if (!row) return 'event-missing';
      await consumer.handle(toDomainEvent(row), manager);
      return 'handled';
    });
  }
}

export function toDomainEvent(row: OutboxEventEntity): DomainEvent {
  return {
    id: String(row.id),
    type: row.type as DomainEventType,
    occurredAt: row.occurredAt,
    aggregateType: row.aggregateType,
    aggregateId: row.aggregateId,
    municipalityId: row.municipalityId,
    actorId: row.actorId,
    payload: row.payload as never,
  };
}

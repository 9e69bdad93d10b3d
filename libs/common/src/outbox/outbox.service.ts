import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEventMap, DomainEventMeta, DomainEventType } from './domain-event-map';
import { OutboxEventEntity } from './outbox-event.entity';

/** The NOTIFY channel the relay LISTENs on. Postgres only delivers it at commit. */
export const OUTBOX_CHANNEL = 'outbox_events';

@Injectable()
export class OutboxService {
  /**
   * Records an event inside the caller's transaction: if that transaction rolls back, the event
   * never existed. The NOTIFY wakes the relay right after commit.
   */
  async record<T extends DomainEventType>(
    manager: EntityManager,
    type: T,
    payload: DomainEventMap[T],
    meta: DomainEventMeta,
  ): Promise<string> {
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Outbox event ${type} must be recorded inside a transaction`);
    }
    const result = await manager.insert(OutboxEventEntity, {
      type,
      payload: payload as object,
      aggregateType: meta.aggregateType,
      aggregateId: meta.aggregateId,
      municipalityId: meta.municipalityId ?? null,
      actorId: meta.actorId ?? null,
    });
    await manager.query(`SELECT pg_notify($1, '')`, [OUTBOX_CHANNEL]);
    return String(result.identifiers[0].id);
  }
}

import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { WriteStatement } from '../db/write-statement';
import { DomainEventMap, DomainEventMeta, DomainEventType } from './domain-event-map';
import { OutboxEventEntity } from './outbox-event.entity';

/**
 * The NOTIFY channel the relay LISTENs on. A statement trigger on outbox_events notifies it
 * (migrations/*-OutboxNotifyTrigger.ts), so a writer needs no extra round trip; PostgreSQL
 * delivers it at commit, once per transaction.
 */
export const OUTBOX_CHANNEL = 'outbox_events';

const PAYLOAD_KEY = /^[A-Za-z][A-Za-z0-9_]*$/;

@Injectable()
export class OutboxService {
  /**
   * Records an event inside the caller's transaction: if that transaction rolls back, the event
   * never existed. The trigger's NOTIFY wakes the relay right after commit.
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
    const result = await manager.insert(OutboxEventEntity, outboxRow(type, payload, meta));
    return String(result.identifiers[0].id);
  }

  /** Several events inside the caller's transaction, in one statement (in order: ids ascend as given). */
  async recordMany<T extends DomainEventType>(
    manager: EntityManager,
    type: T,
    events: ReadonlyArray<{ payload: DomainEventMap[T]; meta: DomainEventMeta }>,
  ): Promise<void> {
    if (events.length === 0) return;
    if (!manager.queryRunner?.isTransactionActive) {
      throw new Error(`Outbox event ${type} must be recorded inside a transaction`);
    }
    await manager.insert(
      OutboxEventEntity,
      events.map(({ payload, meta }) => outboxRow(type, payload, meta)),
    );
  }

  /**
   * Adds the event to a single-statement write (see WriteStatement), under its guard.
   * `computed` fills payload fields from SQL expressions over earlier parts' rows, for what only
   * the statement itself knows (e.g. `{ number: '(SELECT number::text FROM report)' }`).
   */
  recordIn<T extends DomainEventType>(
    statement: WriteStatement,
    type: T,
    payload: Partial<DomainEventMap[T]>,
    meta: DomainEventMeta,
    computed: Partial<Record<keyof DomainEventMap[T] & string, string>> = {},
    /** SQL for a meta field the caller learns only inside the statement (the row's municipality). */
    computedMeta: { municipalityId?: string } = {},
  ): void {
    const fields = Object.entries(computed) as Array<[string, string]>;
    for (const [key] of fields) if (!PAYLOAD_KEY.test(key)) throw new Error(`Bad computed payload key: ${key}`);
    const p = (value: unknown, cast?: string) => statement.param(value, cast);
    const payloadSql = fields.length
      ? `${p(JSON.stringify(payload), 'jsonb')} || jsonb_build_object(${fields.map(([k, expr]) => `'${k}', ${expr}`).join(', ')})`
      : p(JSON.stringify(payload), 'jsonb');
    statement.with(
      statement.uniqueName('outbox_event'),
      `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, municipality_id, actor_id, payload)
       SELECT ${p(type, 'text')}, ${p(meta.aggregateType, 'text')}, ${p(meta.aggregateId, 'text')}, ${computedMeta.municipalityId ?? p(meta.municipalityId ?? null, 'uuid')},
              ${p(meta.actorId ?? null, 'uuid')}, ${payloadSql}
       WHERE ${statement.guard}`,
    );
  }
}

function outboxRow<T extends DomainEventType>(type: T, payload: DomainEventMap[T], meta: DomainEventMeta) {
  return {
    type,
    payload: payload as object,
    aggregateType: meta.aggregateType,
    aggregateId: meta.aggregateId,
    municipalityId: meta.municipalityId ?? null,
    actorId: meta.actorId ?? null,
  };
}

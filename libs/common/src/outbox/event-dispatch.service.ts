import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvent, DomainEventType } from './domain-event-map';
import { AfterCommit, DomainEventConsumer } from './event-consumer';
import { OutboxEventEntity } from './outbox-event.entity';

export type ConsumeOutcome = 'handled' | 'already-handled' | 'event-missing';

/** Events one transaction consumes for one consumer at most. */
export const CONSUME_BATCH_SIZE = 50;
/** Transactions one consumer runs at once in a process (the others' events wait for them). */
export const CONSUME_PARALLEL_BATCHES = 2;

interface Waiting {
  eventId: string;
  resolve: (outcome: ConsumeOutcome) => void;
  reject: (error: unknown) => void;
}

export interface ConsumeOptions {
  /** See EventConsumerOptions.rerunnable. */
  rerunnable?: boolean;
}

interface ConsumerLine {
  consumer: DomainEventConsumer;
  options: ConsumeOptions;
  waiting: Waiting[];
  running: number;
  scheduled: boolean;
}

/** What a domain event is made of: the outbox row's fields, as the entity names them. */
type EventFields = Pick<OutboxEventEntity, 'id' | 'type' | 'occurredAt' | 'aggregateType' | 'aggregateId' | 'municipalityId' | 'actorId' | 'payload'>;

/** A claim and its event, selected under the entity's property names; `id` is null if the event is gone. */
type OutboxRow = Omit<EventFields, 'id'> & { claimed_id: string; id: string | null };

/**
 * Runs a consumer on committed events, each exactly once as far as the database can tell: the
 * consumption record and the consumer's writes commit together.
 *
 * Events that wait for the same consumer at the same time (the worker runs many jobs at once)
 * share one transaction: one statement records every consumption and reads every event, then
 * each event is handled under its own savepoint, so a failing event is rolled back — its
 * consumption record with it — and fails alone while the others commit. Per event that is one
 * SAVEPOINT instead of BEGIN, INSERT, SELECT and COMMIT; nothing else changes for a consumer.
 * A `rerunnable` consumer does without the savepoints: when one of its events fails, the batch
 * rolls back and each event is consumed again alone.
 */
@Injectable()
export class EventDispatchService {
  private readonly logger = new Logger(EventDispatchService.name);
  private readonly lines = new Map<string, ConsumerLine>();

  constructor(private readonly dataSource: DataSource) {}

  consume(consumerName: string, consumer: DomainEventConsumer, eventId: string, options: ConsumeOptions = {}): Promise<ConsumeOutcome> {
    let line = this.lines.get(consumerName);
    if (!line) {
      line = { consumer, options, waiting: [], running: 0, scheduled: false };
      this.lines.set(consumerName, line);
    }
    line.consumer = consumer;
    line.options = options;
    const promise = new Promise<ConsumeOutcome>((resolve, reject) => line.waiting.push({ eventId: String(eventId), resolve, reject }));
    if (!line.scheduled) {
      line.scheduled = true;
      // Jobs started in the same turn of the event loop join the same transaction.
      setImmediate(() => {
        line.scheduled = false;
        this.pump(consumerName, line);
      });
    }
    return promise;
  }

  private pump(consumerName: string, line: ConsumerLine): void {
    while (line.running < CONSUME_PARALLEL_BATCHES && line.waiting.length > 0) {
      const batch = line.waiting.splice(0, CONSUME_BATCH_SIZE);
      line.running++;
      void this.runBatch(consumerName, line.consumer, batch, line.options).finally(() => {
        line.running--;
        this.pump(consumerName, line);
      });
    }
  }

  private async runBatch(consumerName: string, consumer: DomainEventConsumer, batch: Waiting[], options: ConsumeOptions): Promise<void> {
    const byEvent = new Map<string, Waiting[]>();
    for (const w of batch) byEvent.set(w.eventId, [...(byEvent.get(w.eventId) ?? []), w]);
    // In id order, so two transactions that share events lock them in the same order.
    const ids = [...byEvent.keys()].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0));
    const outcomes = new Map<string, { outcome: ConsumeOutcome } | { error: unknown }>();
    // What the consumer asked to run once this transaction has committed.
    const afterCommit: AfterCommit[] = [];
    const keep = (after: void | AfterCommit) => {
      if (typeof after === 'function') afterCommit.push(after);
    };
    try {
      await this.dataSource.transaction(async (manager) => {
        // The primary key serialises two deliveries of the same event: the second waits for the
        // first to commit, then finds the row and does nothing.
        const rows: OutboxRow[] = await manager.query(
          `WITH c AS (
             INSERT INTO event_consumptions (consumer, event_id) SELECT $1, unnest($2::bigint[])
             ON CONFLICT DO NOTHING RETURNING event_id)
           SELECT c.event_id AS claimed_id, e.id, e.type, e.occurred_at AS "occurredAt", e.aggregate_type AS "aggregateType",
                  e.aggregate_id AS "aggregateId", e.municipality_id AS "municipalityId", e.actor_id AS "actorId", e.payload
             FROM c LEFT JOIN outbox_events e ON e.id = c.event_id
            ORDER BY c.event_id`,
          [consumerName, ids],
        );
        const claimed = new Map(rows.map((row) => [String(row.claimed_id), row]));
        if (options.rerunnable && consumer.handleBatch) {
          const found = rows.filter((row) => row.id !== null);
          if (found.length > 1) {
            keep(await consumer.handleBatch(found.map((row) => toDomainEvent(row as EventFields)), manager));
            for (const id of ids) outcomes.set(id, { outcome: !claimed.has(id) ? 'already-handled' : claimed.get(id)!.id === null ? 'event-missing' : 'handled' });
            return;
          }
        }
        for (const id of ids) {
          const row = claimed.get(id);
          if (!row) outcomes.set(id, { outcome: 'already-handled' });
          else if (row.id === null) outcomes.set(id, { outcome: 'event-missing' });
          else if (options.rerunnable) {
            keep(await consumer.handle(toDomainEvent(row as EventFields), manager));
            outcomes.set(id, { outcome: 'handled' });
          } else outcomes.set(id, await this.handleOne(consumerName, consumer, toDomainEvent(row as EventFields), manager, claimed.size > 1, keep));
        }
      });
    } catch (error) {
      if (options.rerunnable && byEvent.size > 1) {
        // One event failed and took the others with it: each again on its own, so it fails alone.
        for (const waiting of byEvent.values()) await this.runBatch(consumerName, consumer, waiting, options);
        return;
      }
      // Nothing committed: every event of the batch fails and is delivered again.
      for (const waiting of byEvent.values()) for (const w of waiting) w.reject(error);
      return;
    }
    // Committed. Awaited before the jobs complete (so a closing worker finishes it), and a failure
    // here fails no event: the consumer's fallback (its sweeper) covers it.
    for (const after of afterCommit) {
      await after().catch((error: Error) => this.logger.warn({ err: error }, `After-commit work of ${consumerName} failed (its fallback will do it): ${error.message}`));
    }
    for (const [id, waiting] of byEvent) {
      const result = outcomes.get(id)!;
      const [first, ...others] = waiting;
      if ('error' in result) {
        for (const w of waiting) w.reject(result.error);
      } else {
        first.resolve(result.outcome);
        // The same event asked twice at once: handled once.
        for (const w of others) w.resolve(result.outcome === 'handled' ? 'already-handled' : result.outcome);
      }
    }
  }

  /** One event of a batch; a failure is undone back to its savepoint, its consumption record included. */
  private async handleOne(
    consumerName: string,
    consumer: DomainEventConsumer,
    event: DomainEvent,
    manager: EntityManager,
    shared: boolean,
    keep: (after: void | AfterCommit) => void,
  ): Promise<{ outcome: ConsumeOutcome } | { error: unknown }> {
    // Alone in its transaction, a failure rolls everything back anyway.
    if (!shared) {
      keep(await consumer.handle(event, manager));
      return { outcome: 'handled' };
    }
    await manager.query(`SAVEPOINT consume_event`);
    try {
      // Kept only once it returned: an event rolled back to its savepoint asks for nothing.
      keep(await consumer.handle(event, manager));
      return { outcome: 'handled' };
    } catch (error) {
      await manager.query(`ROLLBACK TO SAVEPOINT consume_event`);
      await manager.query(`DELETE FROM event_consumptions WHERE consumer = $1 AND event_id = $2`, [consumerName, event.id]);
      return { error };
    }
  }
}

export function toDomainEvent(row: EventFields): DomainEvent {
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

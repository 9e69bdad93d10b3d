import { randomUUID } from 'node:crypto';
import { baseDataSourceOptions, DomainEvent, DomainEventConsumer, EventDispatchService, OutboxEventEntity } from '@app/common';
import { DataSource, EntityManager } from 'typeorm';

/**
 * EventDispatchService consumes the events that wait for one consumer at the same time in one
 * transaction. These tests check what that must not change: each event is handled once with its
 * writes, and one failing event fails alone.
 */
describe('EventDispatchService (events consumed together)', () => {
  let dataSource: DataSource;
  let dispatch: EventDispatchService;

  beforeAll(async () => {
    dataSource = await new DataSource({ ...baseDataSourceOptions(process.env.DATABASE_URL!), entities: [OutboxEventEntity] }).initialize();
    dispatch = new EventDispatchService(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
  });

  /** Committed events nobody else relays (already published). */
  async function events(n: number): Promise<string[]> {
    const rows: Array<{ id: string }> = await dataSource.query(
      `INSERT INTO outbox_events (type, aggregate_type, aggregate_id, payload, published_at)
       SELECT 'identity.user_registered', 'user', gen_random_uuid()::text, '{}'::jsonb, now() FROM generate_series(1, $1)
       RETURNING id`,
      [n],
    );
    return rows.map((r) => String(r.id)).sort((a, b) => Number(a) - Number(b));
  }

  /**
   * A consumer whose writes are consumption records of a companion name (a table every database
   * has), failing on the events in `failOn`; it notes the transaction each event ran in.
   */
  function consumer(name: string, failOn: Set<string>): DomainEventConsumer & { runs: Map<string, string[]> } {
    const runs = new Map<string, string[]>();
    return {
      runs,
      async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
        const [{ txid }]: Array<{ txid: string }> = await manager.query(`SELECT txid_current()::text AS txid`);
        runs.set(event.id, [...(runs.get(event.id) ?? []), txid]);
        await manager.query(`INSERT INTO event_consumptions (consumer, event_id) VALUES ($1, $2)`, [`${name}-effect`, event.id]);
        if (failOn.has(event.id)) throw new Error(`refusing event ${event.id}`);
      },
    };
  }

  async function recorded(name: string, ids: string[]): Promise<{ consumed: string[]; effects: string[] }> {
    const rows: Array<{ consumer: string; event_id: string }> = await dataSource.query(
      `SELECT consumer, event_id::text FROM event_consumptions WHERE consumer IN ($1, $2) AND event_id = ANY($3::bigint[]) ORDER BY event_id`,
      [name, `${name}-effect`, ids],
    );
    // Numeric order: as text, event 11 would sort before event 9.
    const ordered = (ids: string[]) => ids.sort((x, y) => Number(x) - Number(y));
    return {
      consumed: ordered(rows.filter((r) => r.consumer === name).map((r) => r.event_id)),
      effects: ordered(rows.filter((r) => r.consumer !== name).map((r) => r.event_id)),
    };
  }

  it('handles events that arrive together in one transaction; a failing one is rolled back alone, its consumption record too', async () => {
    const [a, b, c] = await events(3);
    const name = `dispatch-test-${randomUUID().slice(0, 8)}`;
    const handler = consumer(name, new Set([b]));
    const results = await Promise.allSettled([a, b, c].map((id) => dispatch.consume(name, handler, id)));

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<string>).value).toBe('handled');
    expect(handler.runs.get(a)).toEqual(handler.runs.get(c));
    expect(await recorded(name, [a, b, c])).toEqual({ consumed: [a, c], effects: [a, c] });

    // The failed event is consumed when delivered again; the others are not handled twice.
    const fixed = consumer(name, new Set());
    expect(await Promise.all([a, b, c].map((id) => dispatch.consume(name, fixed, id)))).toEqual(['already-handled', 'handled', 'already-handled']);
    expect(await recorded(name, [a, b, c])).toEqual({ consumed: [a, b, c], effects: [a, b, c] });
  });

  it('for a rerunnable consumer, runs the events of a failed batch again one by one, so only the failing one fails', async () => {
    const [a, b, c] = await events(3);
    const name = `dispatch-test-${randomUUID().slice(0, 8)}`;
    const handler = consumer(name, new Set([b]));
    const results = await Promise.allSettled([a, b, c].map((id) => dispatch.consume(name, handler, id, { rerunnable: true })));

    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    // a ran in the batch that rolled back, then alone.
    expect(handler.runs.get(a)).toHaveLength(2);
    expect(await recorded(name, [a, b, c])).toEqual({ consumed: [a, c], effects: [a, c] });
  });

  it('hands a rerunnable consumer with handleBatch the events of a batch at once, and falls back to handle one by one when it throws', async () => {
    const [a, b, c] = await events(3);
    const name = `dispatch-test-${randomUUID().slice(0, 8)}`;
    const batches: string[][] = [];
    const batching = withHandleBatch(consumer(name, new Set([b])), batches);
    const results = await Promise.allSettled([a, b, c].map((id) => dispatch.consume(name, batching, id, { rerunnable: true })));
    expect(batches).toEqual([[a, b, c]]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect(await recorded(name, [a, b, c])).toEqual({ consumed: [a, c], effects: [a, c] });

    const [d, e] = await events(2);
    const together: string[][] = [];
    const fine = consumer(name, new Set());
    const ok = withHandleBatch(fine, together);
    expect(await Promise.all([d, e].map((id) => dispatch.consume(name, ok, id, { rerunnable: true })))).toEqual(['handled', 'handled']);
    expect(together).toEqual([[d, e]]);
    expect(fine.runs.get(d)).toEqual(fine.runs.get(e));
  });

  it('answers an event asked twice at once as handled once', async () => {
    const [a] = await events(1);
    const name = `dispatch-test-${randomUUID().slice(0, 8)}`;
    const handler = consumer(name, new Set());
    const outcomes = await Promise.all([dispatch.consume(name, handler, a), dispatch.consume(name, handler, a)]);
    expect(outcomes.sort()).toEqual(['already-handled', 'handled']);
    expect(handler.runs.get(a)).toHaveLength(1);
  });

  it('reports an event that no longer exists', async () => {
    const name = `dispatch-test-${randomUUID().slice(0, 8)}`;
    const handler = consumer(name, new Set());
    expect(await dispatch.consume(name, handler, '999999999999')).toBe('event-missing');
    expect(handler.runs.size).toBe(0);
  });
});

/** The consumer, with a handleBatch that records each batch's event ids and handles them in turn. */
function withHandleBatch(single: DomainEventConsumer, batches: string[][]): DomainEventConsumer {
  return {
    handle: (event, manager) => single.handle(event, manager),
    async handleBatch(list: DomainEvent[], manager: EntityManager): Promise<void> {
      batches.push(list.map((e) => e.id));
      for (const event of list) await single.handle(event, manager);
    },
  };
}

import { randomUUID } from 'node:crypto';
import {
  baseDataSourceOptions,
  entityColumnList,
  hydrateEntity,
  IdempotencyKeyEntity,
  IdempotencyService,
  OUTBOX_CHANNEL,
  OutboxEventEntity,
  OutboxService,
  preparedQuery,
  WriteStatement,
} from '@app/common';
import { Client } from 'pg';
import { Column, DataSource, Entity, PrimaryColumn, QueryFailedError } from 'typeorm';

/** A table of this suite's own, which a test alters as a migration would under a running API. */
@Entity('write_statement_scratch')
class ScratchEntity {
  @PrimaryColumn({ type: 'uuid' })
  id: string;

  @Column({ type: 'text' })
  name: string;
}

/**
 * Single-statement writes that several libraries contribute to (WriteStatement) and prepared
 * queries, on the real PostgreSQL: parts commit together or not at all, a guard skips every part
 * after it, and the outbox trigger wakes the relay.
 */
describe('WriteStatement and preparedQuery', () => {
  let dataSource: DataSource;
  const outbox = new OutboxService();
  const idempotency = new IdempotencyService();

  beforeAll(async () => {
    dataSource = await new DataSource({
      ...baseDataSourceOptions(process.env.DATABASE_URL!),
      entities: [OutboxEventEntity, IdempotencyKeyEntity],
    }).initialize();
  });
  afterAll(() => dataSource.destroy());

  const eventsOf = async (aggregateId: string) =>
    (await dataSource.query(`SELECT type, payload FROM outbox_events WHERE aggregate_id = $1 ORDER BY id`, [aggregateId])) as Array<{
      type: string;
      payload: Record<string, unknown>;
    }>;

  it('writes every part in one statement, with payload fields computed from an earlier part', async () => {
    const aggregateId = randomUUID();
    const statement = new WriteStatement();
    statement.with('numbered', `SELECT 41 + ${statement.param(1, 'int')} AS n`);
    outbox.recordIn(statement, 'identity.user_registered', { userId: aggregateId } as never, { aggregateType: 'user', aggregateId }, {
      userId: `(SELECT n::text FROM numbered)`,
    } as never);
    const rows = await statement.run<{ n: number }>(dataSource.manager, 'SELECT n FROM numbered');
    expect(rows).toEqual([{ n: 42 }]);
    expect(await eventsOf(aggregateId)).toEqual([{ type: 'identity.user_registered', payload: { userId: '42' } }]);
  });

  it('writes nothing when a later part fails', async () => {
    const aggregateId = randomUUID();
    const statement = new WriteStatement();
    outbox.recordIn(statement, 'identity.user_registered', { userId: aggregateId } as never, { aggregateType: 'user', aggregateId });
    statement.with('boom', `SELECT 1 / ${statement.param(0, 'int')} AS x`);
    await expect(statement.run(dataSource.manager, 'SELECT x FROM boom')).rejects.toBeInstanceOf(QueryFailedError);
    expect(await eventsOf(aggregateId)).toEqual([]);
  });

  it('skips every part after a failed idempotency claim, and says which resource the key stands for', async () => {
    const userId = (await dataSource.query(`INSERT INTO users (email, display_name) VALUES ($1, 'W') RETURNING id`, [`${randomUUID()}@test.local`]))[0]
      .id as string;
    const key = `key-${randomUUID()}`;
    const first = randomUUID();
    const write = (resourceId: string, body: unknown) => {
      const statement = new WriteStatement();
      idempotency.claimIn(statement, { userId, scope: 'test.create', key, body, resourceId });
      outbox.recordIn(statement, 'identity.user_registered', { userId: resourceId } as never, { aggregateType: 'user', aggregateId: resourceId });
      statement.with('made', `SELECT ${statement.param(resourceId, 'uuid')} AS id WHERE ${statement.guard}`);
      return statement.run<{ id: string }>(dataSource.manager, 'SELECT id FROM made');
    };
    expect(await write(first, { a: 1 })).toEqual([{ id: first }]);

    const second = randomUUID();
    expect(await write(second, { a: 1 })).toEqual([]);
    expect(await eventsOf(second)).toEqual([]);
    expect(await eventsOf(first)).toHaveLength(1);
    expect(await idempotency.claimedResource(dataSource.manager, { userId, scope: 'test.create', key, body: { a: 1 } })).toBe(first);
    await expect(idempotency.claimedResource(dataSource.manager, { userId, scope: 'test.create', key, body: { a: 2 } })).rejects.toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
    });
  });

  it('runs prepared queries inside the caller transaction, which rolls them back', async () => {
    const aggregateId = randomUUID();
    await expect(
      dataSource.transaction(async (manager) => {
        const statement = new WriteStatement();
        outbox.recordIn(statement, 'identity.user_registered', { userId: aggregateId } as never, { aggregateType: 'user', aggregateId });
        await statement.run(manager, 'SELECT 1');
        // The transaction sees its own write through the same connection...
        const seen = await preparedQuery<{ n: number }>(manager, `SELECT count(*)::int AS n FROM outbox_events WHERE aggregate_id = $1`, [aggregateId]);
        expect(seen).toEqual([{ n: 1 }]);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    // ...and nothing of it outlives the rollback.
    expect(await eventsOf(aggregateId)).toEqual([]);
  });

  it('keeps working on a pooled connection after a migration adds a column, because it returns named columns', async () => {
    // One connection, so the second run reuses the statement the first one prepared.
    const single = await new DataSource({ ...baseDataSourceOptions(process.env.DATABASE_URL!), entities: [ScratchEntity], extra: { max: 1 } }).initialize();
    try {
      await single.query(`DROP TABLE IF EXISTS write_statement_scratch`);
      await single.query(`CREATE TABLE write_statement_scratch (id uuid PRIMARY KEY, name text NOT NULL)`);
      const insert = (returning: string) => {
        const statement = new WriteStatement();
        statement.with('made', `INSERT INTO write_statement_scratch (id, name) VALUES (${statement.param(randomUUID(), 'uuid')}, 'x') RETURNING ${returning}`);
        return statement.run(single.manager, 'SELECT * FROM made');
      };
      const named = entityColumnList(single.manager, ScratchEntity);
      await insert(named);
      await insert('*');
      await single.query(`ALTER TABLE write_statement_scratch ADD COLUMN added_later int`);

      const [row] = await insert(named);
      expect(hydrateEntity(single.manager, ScratchEntity, row)).toMatchObject({ name: 'x' });
      // What `RETURNING *` would have done to every pooled connection:
      await expect(insert('*')).rejects.toThrow(/cached plan must not change result type/);
    } finally {
      await single.query(`DROP TABLE IF EXISTS write_statement_scratch`);
      await single.destroy();
    }
  });

  it('wakes the outbox relay channel at commit with no pg_notify of its own', async () => {
    const listener = new Client({ connectionString: process.env.DATABASE_URL });
    await listener.connect();
    try {
      await listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
      const notified = new Promise<string>((resolve) => listener.on('notification', (n) => resolve(n.channel)));
      const aggregateId = randomUUID();
      const statement = new WriteStatement();
      outbox.recordIn(statement, 'identity.user_registered', { userId: aggregateId } as never, { aggregateType: 'user', aggregateId });
      await statement.run(dataSource.manager, 'SELECT 1');
      await expect(notified).resolves.toBe(OUTBOX_CHANNEL);
    } finally {
      await listener.end();
    }
  });
});

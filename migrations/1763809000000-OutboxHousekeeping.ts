import { MigrationInterface, QueryRunner } from 'typeorm';

/** Lets the worker's housekeeping find old published events and consumption records by index. */
export class OutboxHousekeeping1763809000000 implements MigrationInterface {
  name = 'OutboxHousekeeping1763809000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX outbox_events_published_idx ON outbox_events (published_at) WHERE published_at IS NOT NULL`);
    await q.query(`CREATE INDEX event_consumptions_consumed_idx ON event_consumptions (consumed_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX event_consumptions_consumed_idx`);
    await q.query(`DROP INDEX outbox_events_published_idx`);
  }
}

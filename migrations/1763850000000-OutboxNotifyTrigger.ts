import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Any statement that adds outbox events notifies the relay's channel (delivered at commit, once
 * per transaction), so writers do not spend a round trip on `SELECT pg_notify(…)` and a write
 * made of one statement (WriteStatement) wakes the relay too.
 */
export class OutboxNotifyTrigger1763850000000 implements MigrationInterface {
  name = 'OutboxNotifyTrigger1763850000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION outbox_events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox_events', '');
        RETURN NULL;
      END $$`);
    await q.query(`CREATE TRIGGER outbox_events_notify AFTER INSERT ON outbox_events FOR EACH STATEMENT EXECUTE FUNCTION outbox_events_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER outbox_events_notify ON outbox_events`);
    await q.query(`DROP FUNCTION outbox_events_notify()`);
  }
}

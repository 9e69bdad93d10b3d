import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `notification_deliveries_user_idx (user_id)` held every delivery, so each of a delivery's
 * writes (insert, claim, mark: updates that change indexed columns are never HOT) added an entry
 * to it. Only one query reads deliveries by person: a person's due digest (DigestService.sendFor);
 * erasure and export go through `notifications` (deliveries follow by their notification). So the
 * index keeps digest deliveries only, and immediate ones — nearly all, an announcement's 100,000
 * mails — no longer write to it.
 */
export class DeliveriesUserIndexForDigests1765130000000 implements MigrationInterface {
  name = 'DeliveriesUserIndexForDigests1765130000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX notification_deliveries_digest_user_idx ON notification_deliveries (user_id) WHERE digest_at IS NOT NULL`);
    await q.query(`DROP INDEX notification_deliveries_user_idx`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX notification_deliveries_user_idx ON notification_deliveries (user_id)`);
    await q.query(`DROP INDEX notification_deliveries_digest_user_idx`);
  }
}

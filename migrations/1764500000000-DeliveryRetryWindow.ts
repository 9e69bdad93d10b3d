import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Deliveries are retried for a window of time (MAIL_RETRY_WINDOW_HOURS) rather than a number of
 * attempts. The window runs from the notification's creation — or from when an admin last put a
 * failed delivery back (`retry_from`), so a retried delivery gets a whole window of its own.
 */
export class DeliveryRetryWindow1764500000000 implements MigrationInterface {
  name = 'DeliveryRetryWindow1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_deliveries ADD COLUMN retry_from timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_deliveries DROP COLUMN retry_from`);
  }
}

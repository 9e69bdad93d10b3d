import { MigrationInterface, QueryRunner } from 'typeorm';

/** Erasure finds the mails sent to a person as a contact without an account by their address. */
export class ContactNotificationsByEmail1764400002000 implements MigrationInterface {
  name = 'ContactNotificationsByEmail1764400002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX notifications_contact_email_idx ON notifications (contact_email) WHERE user_id IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX notifications_contact_email_idx`);
  }
}

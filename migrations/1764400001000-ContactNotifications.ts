import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications for people without an account: a report staff filed for someone at the counter
 * or on the phone tells that person of its progress by e-mail. Such a notification has no user
 * but a contact (e-mail, name, locale), no in-app copy and one e-mail delivery; everything else
 * (storage, dispatch, retries, failures) is the pipeline's as for anyone.
 */
export class ContactNotifications1764400001000 implements MigrationInterface {
  name = 'ContactNotifications1764400001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE notifications
        ALTER COLUMN user_id DROP NOT NULL,
        ADD COLUMN contact_email text,
        ADD COLUMN contact_name text,
        ADD COLUMN contact_locale text,
        ADD CONSTRAINT notifications_recipient_check CHECK ((user_id IS NULL) <> (contact_email IS NULL))`);
    // A rule that runs again for an event tells a contact once, as the (event, user, type) key does for people.
    await q.query(`CREATE UNIQUE INDEX notifications_contact_source_key ON notifications (source_event_id, contact_email, type) WHERE user_id IS NULL`);
    await q.query(`ALTER TABLE notification_deliveries ALTER COLUMN user_id DROP NOT NULL`);
    // Erasure and export find the reports filed for a person by their e-mail.
    await q.query(`CREATE INDEX reports_contact_email_idx ON reports (contact_email) WHERE contact_email IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reports_contact_email_idx`);
    await q.query(`DELETE FROM notifications WHERE user_id IS NULL`);
    await q.query(`DELETE FROM notification_deliveries WHERE user_id IS NULL`);
    await q.query(`ALTER TABLE notification_deliveries ALTER COLUMN user_id SET NOT NULL`);
    await q.query(`DROP INDEX notifications_contact_source_key`);
    await q.query(`
      ALTER TABLE notifications
        DROP CONSTRAINT notifications_recipient_check,
        DROP COLUMN contact_locale,
        DROP COLUMN contact_name,
        DROP COLUMN contact_email,
        ALTER COLUMN user_id SET NOT NULL`);
  }
}

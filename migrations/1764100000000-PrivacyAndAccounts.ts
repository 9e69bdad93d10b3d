import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Privacy by default, and what accounts need to change their address:
 * - a reporter's name is public only when they chose it at filing (showName). Reports filed
 *   before could not choose (the name was shown unless they hid it), so they become unnamed too;
 *   staff still see every name. `down` cannot tell those apart again: it only restores the default.
 * - erasure at the person's request finds their photos and their timeline lines by index;
 * - an e-mail change is a mailed single-use token that carries the new address;
 * - a town's verified residents are listed newest first by index (keyset).
 */
export class PrivacyAndAccounts1764100000000 implements MigrationInterface {
  name = 'PrivacyAndAccounts1764100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reports ALTER COLUMN anonymous SET DEFAULT true`);
    await q.query(`UPDATE reports SET anonymous = true WHERE NOT anonymous`);
    await q.query(`CREATE INDEX attachments_uploader_idx ON attachments (uploader_id) WHERE uploader_id IS NOT NULL`);
    await q.query(`CREATE INDEX report_events_actor_idx ON report_events (actor_id) WHERE actor_id IS NOT NULL`);
    await q.query(`ALTER TABLE user_tokens ADD COLUMN new_email text`);
    await q.query(`ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_purpose_check`);
    await q.query(`ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_purpose_check CHECK (purpose IN ('verify_email', 'reset_password', 'change_email'))`);
    await q.query(
      `ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_new_email_check CHECK ((purpose = 'change_email') = (new_email IS NOT NULL))`,
    );
    await q.query(`CREATE INDEX residencies_municipality_verified_idx ON residencies (municipality_id, verified_at DESC, user_id DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX residencies_municipality_verified_idx`);
    await q.query(`DELETE FROM user_tokens WHERE purpose = 'change_email'`);
    await q.query(`ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_new_email_check`);
    await q.query(`ALTER TABLE user_tokens DROP CONSTRAINT user_tokens_purpose_check`);
    await q.query(`ALTER TABLE user_tokens ADD CONSTRAINT user_tokens_purpose_check CHECK (purpose IN ('verify_email', 'reset_password'))`);
    await q.query(`ALTER TABLE user_tokens DROP COLUMN new_email`);
    await q.query(`DROP INDEX report_events_actor_idx`);
    await q.query(`DROP INDEX attachments_uploader_idx`);
    await q.query(`ALTER TABLE reports ALTER COLUMN anonymous SET DEFAULT false`);
  }
}

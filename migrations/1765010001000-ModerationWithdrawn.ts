import { MigrationInterface, QueryRunner } from 'typeorm';

/** A review closes as `withdrawn` when the author takes their held content back (deletes a held comment). */
export class ModerationWithdrawn1765010001000 implements MigrationInterface {
  name = 'ModerationWithdrawn1765010001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE moderation_items DROP CONSTRAINT moderation_items_status_check`);
    await q.query(
      `ALTER TABLE moderation_items ADD CONSTRAINT moderation_items_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'reinstated', 'withdrawn'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Withdrawn content was never published: as a rollback reads it, rejected.
    await q.query(`UPDATE moderation_items SET status = 'rejected' WHERE status = 'withdrawn'`);
    await q.query(`ALTER TABLE moderation_items DROP CONSTRAINT moderation_items_status_check`);
    await q.query(`ALTER TABLE moderation_items ADD CONSTRAINT moderation_items_status_check CHECK (status IN ('pending', 'approved', 'rejected', 'reinstated'))`);
  }
}

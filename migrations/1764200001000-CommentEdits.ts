import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authors edit and delete their comments, and reply to one another: replies name the comment they
 * answer; edited and deleted texts are kept, for moderators, in comment_versions.
 */
export class CommentEdits1764200001000 implements MigrationInterface {
  name = 'CommentEdits1764200001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE comments
        ADD COLUMN in_reply_to_id uuid REFERENCES comments (id) ON DELETE SET NULL,
        ADD COLUMN edited_at timestamptz,
        ADD COLUMN deleted_at timestamptz`);
    await q.query(`CREATE INDEX comments_reply_idx ON comments (in_reply_to_id) WHERE in_reply_to_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE comment_versions (
        id bigserial PRIMARY KEY,
        comment_id uuid NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
        body text NOT NULL,
        written_at timestamptz NOT NULL,
        replaced_at timestamptz NOT NULL DEFAULT now(),
        reason text NOT NULL,
        CONSTRAINT comment_versions_reason_check CHECK (reason IN ('edited', 'deleted'))
      )`);
    await q.query(`CREATE INDEX comment_versions_comment_idx ON comment_versions (comment_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE comment_versions`);
    await q.query(`DROP INDEX comments_reply_idx`);
    await q.query(`ALTER TABLE comments DROP COLUMN deleted_at, DROP COLUMN edited_at, DROP COLUMN in_reply_to_id`);
  }
}

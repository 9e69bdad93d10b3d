import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Moderation for any subject (libs/engagement): each town's rules, how many contributions each
 * person made there (for "hold the first N"), and the items on the staff's queue — content held
 * before publication or hidden by flags — with their decision. Comments gain the `held` state.
 */
export class Moderation1765010000000 implements MigrationInterface {
  name = 'Moderation1765010000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE moderation_settings (
        municipality_id uuid PRIMARY KEY REFERENCES municipalities (id) ON DELETE CASCADE,
        flag_threshold int NOT NULL DEFAULT 3 CHECK (flag_threshold BETWEEN 1 AND 100),
        hold_first_contributions int NOT NULL DEFAULT 0 CHECK (hold_first_contributions BETWEEN 0 AND 100),
        hold_all boolean NOT NULL DEFAULT false,
        held_words text[] NOT NULL DEFAULT '{}',
        updated_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE moderation_contributors (
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        contributions int NOT NULL DEFAULT 0,
        PRIMARY KEY (municipality_id, user_id)
      )`);
    await q.query(`CREATE INDEX moderation_contributors_user_idx ON moderation_contributors (user_id)`);
    await q.query(`
      CREATE TABLE moderation_items (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        author_id uuid REFERENCES users (id) ON DELETE SET NULL,
        kind text NOT NULL CHECK (kind IN ('held', 'flagged')),
        reason text NOT NULL CHECK (reason IN ('new_account', 'word_list', 'everything', 'flags')),
        matched_words text[] NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'rejected', 'reinstated')),
        decision_reason text,
        decided_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        decided_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((kind = 'flagged') = (reason = 'flags'))
      )`);
    // At most one pending review per subject: two flags crossing the threshold at once make one.
    await q.query(`CREATE UNIQUE INDEX moderation_items_pending_key ON moderation_items (subject_type, subject_id) WHERE status = 'pending'`);
    await q.query(`CREATE INDEX moderation_items_queue_idx ON moderation_items (municipality_id, status, created_at, id)`);
    await q.query(`CREATE INDEX moderation_items_kind_idx ON moderation_items (municipality_id, status, kind, created_at, id)`);
    await q.query(`CREATE INDEX moderation_items_reason_idx ON moderation_items (municipality_id, status, reason, created_at, id)`);
    await q.query(`CREATE INDEX moderation_items_subject_idx ON moderation_items (subject_type, subject_id, created_at)`);
    await q.query(`CREATE INDEX moderation_items_author_idx ON moderation_items (author_id) WHERE author_id IS NOT NULL`);
    await q.query(`CREATE INDEX flags_open_subject_idx ON flags (subject_type, subject_id) WHERE status = 'open'`);
    await q.query(`ALTER TABLE comments DROP CONSTRAINT comments_status_check`);
    await q.query(`ALTER TABLE comments ADD CONSTRAINT comments_status_check CHECK (status IN ('visible', 'held', 'hidden', 'removed'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Held comments were never shown; a rollback keeps them out of view as moderation's.
    await q.query(`UPDATE comments SET status = 'hidden' WHERE status = 'held'`);
    await q.query(`ALTER TABLE comments DROP CONSTRAINT comments_status_check`);
    await q.query(`ALTER TABLE comments ADD CONSTRAINT comments_status_check CHECK (status IN ('visible', 'hidden', 'removed'))`);
    await q.query(`DROP INDEX flags_open_subject_idx`);
    await q.query(`DROP TABLE moderation_items`);
    await q.query(`DROP TABLE moderation_contributors`);
    await q.query(`DROP TABLE moderation_settings`);
  }
}

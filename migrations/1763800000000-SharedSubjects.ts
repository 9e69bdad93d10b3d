import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Building blocks shared by reports, proposals and workshops: idempotency keys, comments,
 * follows, moderation flags and attachments, all keyed by (subject_type, subject_id).
 */
export class SharedSubjects1763800000000 implements MigrationInterface {
  name = 'SharedSubjects1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE idempotency_keys (
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        scope text NOT NULL,
        key text NOT NULL,
        request_hash text NOT NULL,
        resource_id uuid NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, scope, key)
      )`);
    await q.query(`CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at)`);

    await q.query(`
      CREATE TABLE comments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        author_id uuid REFERENCES users (id) ON DELETE SET NULL,
        body text NOT NULL,
        status text NOT NULL DEFAULT 'visible',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT comments_status_check CHECK (status IN ('visible', 'hidden', 'removed'))
      )`);
    await q.query(`CREATE INDEX comments_subject_idx ON comments (subject_type, subject_id, created_at, id)`);
    await q.query(`CREATE INDEX comments_author_idx ON comments (author_id)`);

    await q.query(`
      CREATE TABLE follows (
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (subject_type, subject_id, user_id)
      )`);
    await q.query(`CREATE INDEX follows_user_idx ON follows (user_id)`);

    await q.query(`
      CREATE TABLE flags (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        reporter_id uuid REFERENCES users (id) ON DELETE SET NULL,
        reason text NOT NULL,
        note text,
        status text NOT NULL DEFAULT 'open',
        resolved_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        resolved_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT flags_reason_check CHECK (reason IN ('spam', 'abusive', 'personal_data', 'off_topic', 'other')),
        CONSTRAINT flags_status_check CHECK (status IN ('open', 'upheld', 'dismissed'))
      )`);
    await q.query(`CREATE UNIQUE INDEX flags_subject_reporter_key ON flags (subject_type, subject_id, reporter_id)`);
    await q.query(`CREATE INDEX flags_queue_idx ON flags (municipality_id, status, created_at)`);

    await q.query(`
      CREATE TABLE attachments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        subject_type text NOT NULL,
        subject_id uuid NOT NULL,
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        uploader_id uuid REFERENCES users (id) ON DELETE SET NULL,
        mime_type text NOT NULL,
        width int NOT NULL,
        height int NOT NULL,
        bytes int NOT NULL,
        storage_key text NOT NULL,
        thumbnail_key text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX attachments_subject_idx ON attachments (subject_type, subject_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['attachments', 'flags', 'follows', 'comments', 'idempotency_keys']) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Announcements to an audience (libs/notifications/src/announcements) and the delivery lanes:
 * a delivery is `personal` (one event about one person) or `bulk` (an announcement's), and each
 * lane has its own queue, so a bulk send never delays a personal one.
 */
export class Announcements1765040000000 implements MigrationInterface {
  name = 'Announcements1765040000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE announcements (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        created_by uuid REFERENCES users (id) ON DELETE SET NULL,
        type text NOT NULL,
        audience_kind text NOT NULL,
        audience_target text,
        audience_size int NOT NULL,
        title jsonb NOT NULL,
        body jsonb NOT NULL,
        path text,
        channels text[] NOT NULL,
        status text NOT NULL DEFAULT 'sending' CHECK (status IN ('sending', 'sent', 'cancelled')),
        source_event_id bigint NOT NULL UNIQUE,
        fanout_cursor text,
        recipients int NOT NULL DEFAULT 0,
        fanned_out_at timestamptz,
        cancelled_at timestamptz,
        cancelled_by uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // A town's announcements, newest first (keyset).
    await q.query(`CREATE INDEX announcements_municipality_idx ON announcements (municipality_id, created_at DESC, id DESC)`);
    // What the fan-out still has to walk: few rows at any time.
    await q.query(`CREATE INDEX announcements_fanout_idx ON announcements (created_at) WHERE status = 'sending' AND fanned_out_at IS NULL`);
    await q.query(`ALTER TABLE notification_deliveries ADD COLUMN lane text NOT NULL DEFAULT 'personal' CHECK (lane IN ('personal', 'bulk'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE notification_deliveries DROP COLUMN lane`);
    await q.query(`DROP TABLE announcements`);
  }
}

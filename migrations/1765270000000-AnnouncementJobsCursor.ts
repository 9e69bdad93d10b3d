import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An announcement goes out in two walks (issue 18): first every in-app row and delivery of the
 * audience is stored (`fanout_cursor`, `fanned_out_at`), then its live messages and bulk-lane jobs
 * are started from the stored rows (`jobs_cursor`: the last person whose jobs were added;
 * `jobs_queued_at`: all added). Announcements already sent had their jobs added per page.
 */
export class AnnouncementJobsCursor1765270000000 implements MigrationInterface {
  name = 'AnnouncementJobsCursor1765270000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE announcements ADD COLUMN jobs_cursor uuid, ADD COLUMN jobs_queued_at timestamptz`);
    await q.query(`UPDATE announcements SET jobs_queued_at = coalesce(fanned_out_at, cancelled_at, now()) WHERE status <> 'sending'`);
    // What the second walk still has to do: few rows at any time.
    await q.query(`CREATE INDEX announcements_jobs_idx ON announcements (created_at) WHERE status = 'sent' AND jobs_queued_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX announcements_jobs_idx`);
    await q.query(`ALTER TABLE announcements DROP COLUMN jobs_queued_at, DROP COLUMN jobs_cursor`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * reports.photo_count was never kept: uploads left it at 0 and a merge added the moved photos to
 * that 0. It now follows the photos in the transaction that changes them; this sets it right
 * once for the reports filed before. Data only.
 */
export class ReportPhotoCounts1763860000000 implements MigrationInterface {
  name = 'ReportPhotoCounts1763860000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      UPDATE reports r SET photo_count = a.n
      FROM (SELECT subject_id, count(*)::int AS n FROM attachments WHERE subject_type = 'report' GROUP BY subject_id) a
      WHERE r.id = a.subject_id AND r.photo_count <> a.n`);
    await q.query(`
      UPDATE reports r SET photo_count = 0
      WHERE r.photo_count <> 0
        AND NOT EXISTS (SELECT 1 FROM attachments a WHERE a.subject_type = 'report' AND a.subject_id = r.id)`);
  }

  async down(): Promise<void> {
    // Nothing to undo: the schema is unchanged and the counts it set are the true ones.
  }
}

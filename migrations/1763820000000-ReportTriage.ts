import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('new', 'acknowledged', 'in_progress')`;

/**
 * What the staff triage queue sorts and filters on, kept by PostgreSQL itself so no code path
 * can forget it, and one partial index per queue order over open reports only (the queue's
 * default; at a million reports most are closed and would otherwise be skipped row by row).
 *
 * - priority_rank: urgent 0, high 1, normal 2, low 3, so "most urgent first" is an index order.
 * - next_due_at: the next deadline that can still be missed in the current status (a new report:
 *   the earlier of acknowledge-by and resolve-by; acknowledged / in progress: resolve-by, the
 *   staff override first), 'infinity' when there is none. "Overdue" is `next_due_at < now()`.
 */
export class ReportTriage1763820000000 implements MigrationInterface {
  name = 'ReportTriage1763820000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE reports ADD COLUMN priority_rank smallint NOT NULL GENERATED ALWAYS AS (
        CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END
      ) STORED`);
    await q.query(`
      ALTER TABLE reports ADD COLUMN next_due_at timestamptz NOT NULL GENERATED ALWAYS AS (
        COALESCE(
          CASE
            WHEN status = 'new' THEN LEAST(acknowledge_due_at, COALESCE(due_at, resolve_due_at))
            WHEN status IN ('acknowledged', 'in_progress') THEN COALESCE(due_at, resolve_due_at)
          END,
          'infinity'::timestamptz)
      ) STORED`);
    await q.query(`CREATE INDEX reports_triage_age_idx ON reports (municipality_id, created_at, id) WHERE status IN ${OPEN}`);
    await q.query(`CREATE INDEX reports_triage_priority_idx ON reports (municipality_id, priority_rank, created_at, id) WHERE status IN ${OPEN}`);
    await q.query(`CREATE INDEX reports_triage_next_due_idx ON reports (municipality_id, next_due_at, id) WHERE status IN ${OPEN}`);
    await q.query(`CREATE INDEX reports_triage_category_idx ON reports (municipality_id, category_code, created_at, id) WHERE status IN ${OPEN}`);
    // The auto-close job: resolved reports by when they were resolved.
    await q.query(`CREATE INDEX reports_resolved_at_idx ON reports (resolved_at) WHERE status = 'resolved'`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const index of ['reports_resolved_at_idx', 'reports_triage_category_idx', 'reports_triage_next_due_idx', 'reports_triage_priority_idx', 'reports_triage_age_idx']) {
      await q.query(`DROP INDEX ${index}`);
    }
    await q.query(`ALTER TABLE reports DROP COLUMN next_due_at`);
    await q.query(`ALTER TABLE reports DROP COLUMN priority_rank`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** A reporter may withdraw their report while it is new: one more status. */
export class ReportWithdrawn1764200000000 implements MigrationInterface {
  name = 'ReportWithdrawn1764200000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reports DROP CONSTRAINT reports_status_check`);
    await q.query(
      `ALTER TABLE reports ADD CONSTRAINT reports_status_check CHECK (status IN ('new', 'acknowledged', 'in_progress', 'resolved', 'closed', 'rejected', 'withdrawn'))`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Nothing withdrawn can stay under the old rule: such reports count as closed by the city.
    await q.query(`UPDATE reports SET status = 'closed' WHERE status = 'withdrawn'`);
    await q.query(`ALTER TABLE reports DROP CONSTRAINT reports_status_check`);
    await q.query(`ALTER TABLE reports ADD CONSTRAINT reports_status_check CHECK (status IN ('new', 'acknowledged', 'in_progress', 'resolved', 'closed', 'rejected'))`);
  }
}

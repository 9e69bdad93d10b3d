import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports record the district that contains them (issue 14: "a located proposal, and from now
 * on a report, records the district that contains it"). Reports filed before keep null: the
 * point-in-polygon test runs in the application (identity's DistrictsService), not in SQL.
 */
export class ReportDistricts1765000001000 implements MigrationInterface {
  name = 'ReportDistricts1765000001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE reports ADD COLUMN district_id uuid REFERENCES districts(id) ON DELETE SET NULL`);
    await q.query(`CREATE INDEX reports_district_idx ON reports (district_id) WHERE district_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX reports_district_idx`);
    await q.query(`ALTER TABLE reports DROP COLUMN district_id`);
  }
}

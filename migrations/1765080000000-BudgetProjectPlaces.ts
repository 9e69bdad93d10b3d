import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A budget project's place (its district heading is derived from it when the budget has one for
 * that district) and the index the public project list's filters use.
 */
export class BudgetProjectPlaces1765080000000 implements MigrationInterface {
  name = 'BudgetProjectPlaces1765080000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE budget_projects
        ADD COLUMN lng double precision,
        ADD COLUMN lat double precision,
        ADD CONSTRAINT budget_projects_place_check CHECK ((lng IS NULL) = (lat IS NULL))`);
    await q.query(`CREATE INDEX budget_projects_district_idx ON budget_projects (budget_id, district_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX budget_projects_district_idx`);
    await q.query(`ALTER TABLE budget_projects DROP CONSTRAINT budget_projects_place_check, DROP COLUMN lng, DROP COLUMN lat`);
  }
}

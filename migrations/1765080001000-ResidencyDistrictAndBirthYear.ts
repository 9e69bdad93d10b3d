import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where in the town a resident lives (the district of the letter's address, or as staff verified
 * it) and, when a vote has a minimum age, their year of birth: what district-only budgets and age
 * limits are decided on. Codes carry the district of the address they were mailed to.
 */
export class ResidencyDistrictAndBirthYear1765080001000 implements MigrationInterface {
  name = 'ResidencyDistrictAndBirthYear1765080001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE residencies
        ADD COLUMN district_id uuid REFERENCES districts (id) ON DELETE SET NULL,
        ADD COLUMN birth_year smallint CHECK (birth_year BETWEEN 1900 AND 2100)`);
    await q.query(`CREATE INDEX residencies_district_idx ON residencies (municipality_id, district_id, user_id) WHERE district_id IS NOT NULL`);
    await q.query(`ALTER TABLE residency_codes ADD COLUMN district_id uuid REFERENCES districts (id) ON DELETE SET NULL`);
    await q.query(`ALTER TABLE budgets ADD COLUMN eligibility jsonb NOT NULL DEFAULT '{}'`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE budgets DROP COLUMN eligibility`);
    await q.query(`ALTER TABLE residency_codes DROP COLUMN district_id`);
    await q.query(`DROP INDEX residencies_district_idx`);
    await q.query(`ALTER TABLE residencies DROP COLUMN district_id, DROP COLUMN birth_year`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** A proposer may withdraw a project before review: the status `withdrawn` joins the allowed ones. */
export class BudgetProjectWithdrawn1765210000000 implements MigrationInterface {
  name = 'BudgetProjectWithdrawn1765210000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE budget_projects DROP CONSTRAINT budget_projects_status_check`);
    await queryRunner.query(`ALTER TABLE budget_projects ADD CONSTRAINT budget_projects_status_check CHECK (status IN ('proposed', 'feasible', 'unfeasible', 'on_ballot', 'withdrawn'))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`UPDATE budget_projects SET status = 'proposed' WHERE status = 'withdrawn'`);
    await queryRunner.query(`ALTER TABLE budget_projects DROP CONSTRAINT budget_projects_status_check`);
    await queryRunner.query(`ALTER TABLE budget_projects ADD CONSTRAINT budget_projects_status_check CHECK (status IN ('proposed', 'feasible', 'unfeasible', 'on_ballot'))`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/** A budget project imported from a citizen proposal keeps the link (one project per proposal and budget). */
export class BudgetProjectProposals1765080002000 implements MigrationInterface {
  name = 'BudgetProjectProposals1765080002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE budget_projects ADD COLUMN proposal_id uuid REFERENCES proposals (id) ON DELETE SET NULL`);
    await q.query(`CREATE UNIQUE INDEX budget_projects_proposal_key ON budget_projects (budget_id, proposal_id) WHERE proposal_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX budget_projects_proposal_key`);
    await q.query(`ALTER TABLE budget_projects DROP COLUMN proposal_id`);
  }
}

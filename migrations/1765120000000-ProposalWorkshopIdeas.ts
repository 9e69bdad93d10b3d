import { MigrationInterface, QueryRunner } from 'typeorm';

/** A proposal its author made from their workshop board note keeps the link (one proposal per note). */
export class ProposalWorkshopIdeas1765120000000 implements MigrationInterface {
  name = 'ProposalWorkshopIdeas1765120000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposals ADD COLUMN from_workshop_idea_id uuid REFERENCES workshop_board_ideas (id) ON DELETE SET NULL`);
    await q.query(`CREATE UNIQUE INDEX proposals_workshop_idea_key ON proposals (from_workshop_idea_id) WHERE from_workshop_idea_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX proposals_workshop_idea_key`);
    await q.query(`ALTER TABLE proposals DROP COLUMN from_workshop_idea_id`);
  }
}

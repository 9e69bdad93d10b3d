import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A support outlives its person's account: erasure (libs/proposals personal data) keeps it
 * counted but gives it a random id that leads to nobody, so the row can no longer reference users.
 */
export class ProposalSupportsOutliveTheirPeople1765100000000 implements MigrationInterface {
  name = 'ProposalSupportsOutliveTheirPeople1765100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE proposal_supports DROP CONSTRAINT proposal_supports_user_id_fkey`);
  }

  async down(q: QueryRunner): Promise<void> {
    // Supports of erased people point at no account: they cannot be kept under the constraint.
    await q.query(`DELETE FROM proposal_supports s WHERE NOT EXISTS (SELECT 1 FROM users u WHERE u.id = s.user_id)`);
    await q.query(`ALTER TABLE proposal_supports ADD CONSTRAINT proposal_supports_user_id_fkey FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE CASCADE`);
  }
}

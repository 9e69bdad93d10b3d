import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Staff's resident search (a fragment of a name, accents and case aside, or of an email) reads
 * `civic_fold(display_name) LIKE '%…%' OR email LIKE '%…%'`. Without an index Postgres folds the
 * name of every resident of the town for each search (≈ 50–65 ms at 5,000 residents, growing with
 * the town); two trigram indexes let it combine both conditions in a BitmapOr first (0.5–28 ms,
 * EXPLAIN ANALYZE recorded in libs/identity/README.md).
 */
export class ResidentNameSearch1765210001000 implements MigrationInterface {
  name = 'ResidentNameSearch1765210001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE INDEX users_display_name_fold_trgm_idx ON users USING gin (civic_fold(display_name) gin_trgm_ops)`);
    await q.query(`CREATE INDEX users_email_trgm_idx ON users USING gin (email gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX users_email_trgm_idx`);
    await q.query(`DROP INDEX users_display_name_fold_trgm_idx`);
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Finding a town by part of its name, accents and case aside ("evry" finds "Évry-Courcouronnes"):
 * a metropolis or a national deployment lists more towns than a phone should scroll through.
 * `unaccent` is only STABLE (its dictionary could change), so an index needs an IMMUTABLE wrapper
 * naming the dictionary; a trigram GIN index then serves `LIKE '%part%'`.
 */
export class MunicipalityNameSearch1765150000000 implements MigrationInterface {
  name = 'MunicipalityNameSearch1765150000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE FUNCTION civic_fold(value text) RETURNS text
        LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
        RETURN lower(public.unaccent('public.unaccent'::regdictionary, value))`);
    await q.query(`CREATE INDEX municipalities_name_fold_idx ON municipalities USING gin (civic_fold(name) gin_trgm_ops)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX municipalities_name_fold_idx`);
    await q.query(`DROP FUNCTION civic_fold(text)`);
  }
}

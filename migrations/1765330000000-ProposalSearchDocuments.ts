import { MigrationInterface, QueryRunner } from 'typeorm';

/** The public statuses (libs/proposals PUBLIC_STATUSES), as in 1765000000000-Proposals. */
const PUBLIC = `('published', 'threshold_reached', 'expired', 'evaluating', 'accepted', 'rejected', 'implemented')`;

/** The title (weight A) and body (B), stemmed in the proposal's language, accents ignored: as before. */
const vector = (row: string) => `setweight(to_tsvector(CASE ${row}.language WHEN 'en' THEN 'civic_en'::regconfig ELSE 'civic_fr'::regconfig END, ${row}.title), 'A') ||
  setweight(to_tsvector(CASE ${row}.language WHEN 'en' THEN 'civic_en'::regconfig ELSE 'civic_fr'::regconfig END, ${row}.body), 'B')`;

/**
 * A proposal's search document moves out of `proposals` into `proposal_search` (id, town, status,
 * vector), kept by a trigger that runs only when the title, body, language, status or town is set.
 *
 * Why: a stored generated column is recomputed on every UPDATE of its row, and the row is updated
 * on every support (its count): each support stemmed the title and body again and, the row being
 * new, added an entry to the GIN index. And a search read its 13,338 matches (a one-word query over
 * the benchmark's 100,000 proposals) from the wide, support-churned heap: 14 ms against 8-10 ms
 * from a table of four narrow columns (EXPLAIN ANALYZE, same data).
 */
export class ProposalSearchDocuments1765330000000 implements MigrationInterface {
  name = 'ProposalSearchDocuments1765330000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE proposal_search (
        proposal_id uuid PRIMARY KEY REFERENCES proposals (id) ON DELETE CASCADE,
        municipality_id uuid NOT NULL,
        status text NOT NULL,
        -- status IN the public ones: one boolean to test per match instead of a list of seven texts.
        listed boolean NOT NULL,
        search_vector tsvector NOT NULL
      )`);
    await q.query(`
      CREATE FUNCTION proposal_search_sync() RETURNS trigger LANGUAGE plpgsql AS $fn$
      BEGIN
        INSERT INTO proposal_search (proposal_id, municipality_id, status, listed, search_vector)
          VALUES (NEW.id, NEW.municipality_id, NEW.status, NEW.status IN ${PUBLIC}, ${vector('NEW')})
        ON CONFLICT (proposal_id) DO UPDATE
          SET municipality_id = EXCLUDED.municipality_id, status = EXCLUDED.status, listed = EXCLUDED.listed, search_vector = EXCLUDED.search_vector;
        RETURN NULL;
      END
      $fn$`);
    await q.query(`CREATE TRIGGER proposal_search_insert AFTER INSERT ON proposals FOR EACH ROW EXECUTE FUNCTION proposal_search_sync()`);
    await q.query(`
      CREATE TRIGGER proposal_search_update AFTER UPDATE OF title, body, language, status, municipality_id ON proposals FOR EACH ROW
        WHEN (OLD.title IS DISTINCT FROM NEW.title OR OLD.body IS DISTINCT FROM NEW.body OR OLD.language IS DISTINCT FROM NEW.language
              OR OLD.status IS DISTINCT FROM NEW.status OR OLD.municipality_id IS DISTINCT FROM NEW.municipality_id)
        EXECUTE FUNCTION proposal_search_sync()`);
    await q.query(`INSERT INTO proposal_search (proposal_id, municipality_id, status, listed, search_vector)
      SELECT p.id, p.municipality_id, p.status, p.status IN ${PUBLIC}, ${vector('p')} FROM proposals p`);
    await q.query(`CREATE INDEX proposal_search_idx ON proposal_search USING gin (search_vector)`);
    await q.query(`ALTER TABLE proposals DROP COLUMN search_vector`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE proposals ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector(CASE language WHEN 'en' THEN 'civic_en'::regconfig ELSE 'civic_fr'::regconfig END, title), 'A') ||
        setweight(to_tsvector(CASE language WHEN 'en' THEN 'civic_en'::regconfig ELSE 'civic_fr'::regconfig END, body), 'B')) STORED`);
    await q.query(`CREATE INDEX proposals_search_idx ON proposals USING gin (search_vector)`);
    await q.query(`DROP TRIGGER proposal_search_update ON proposals`);
    await q.query(`DROP TRIGGER proposal_search_insert ON proposals`);
    await q.query(`DROP FUNCTION proposal_search_sync()`);
    await q.query(`DROP TABLE proposal_search`);
  }
}

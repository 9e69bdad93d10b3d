import { MigrationInterface, QueryRunner } from 'typeorm';

/** The states the public sees (lists, search, supports on some of them). */
const PUBLIC = `('published', 'threshold_reached', 'expired', 'evaluating', 'accepted', 'rejected', 'implemented')`;

/**
 * Citizen proposals (issue 14): per-town participation settings and topics, proposals with their
 * sanitized Markdown body, co-authors, supports and the town's official answer.
 * - support_count and comment_count are denormalised so every list sort is one index scan;
 *   support_count moves in the support's own transaction (row lock on the proposal).
 * - `shuffle` is a random number fixed at creation: the `random` sort is a rotation of that
 *   permutation starting at the visitor's seed, served by an index like the other sorts.
 * - search_vector: the title (weight A) and body (B) stemmed in the proposal's language through
 *   the civic_fr / civic_en configurations (unaccent, then the stemmer) the reports created.
 * - pg_trgm on titles for "similar proposals" before one is written.
 */
export class Proposals1765000000000 implements MigrationInterface {
  name = 'Proposals1765000000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE proposal_settings (
        municipality_id uuid PRIMARY KEY REFERENCES municipalities(id) ON DELETE CASCADE,
        residency_required boolean NOT NULL DEFAULT true,
        support_threshold int NOT NULL DEFAULT 100 CHECK (support_threshold BETWEEN 1 AND 10000000),
        support_period_days int NOT NULL DEFAULT 90 CHECK (support_period_days BETWEEN 1 AND 3650),
        answer_deadline_days int NOT NULL DEFAULT 30 CHECK (answer_deadline_days BETWEEN 1 AND 3650),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE proposal_topics (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
        code text NOT NULL,
        name_fr text NOT NULL,
        name_en text NOT NULL,
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX proposal_topics_municipality_code_key ON proposal_topics (municipality_id, code)`);
    await q.query(`
      CREATE TABLE proposals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
        author_id uuid REFERENCES users(id) ON DELETE SET NULL,
        topic_id uuid NOT NULL REFERENCES proposal_topics(id) ON DELETE RESTRICT,
        title text NOT NULL,
        body text NOT NULL,
        body_html text NOT NULL,
        language text NOT NULL CHECK (language IN ('fr', 'en')),
        status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'held', 'published', 'threshold_reached', 'expired', 'evaluating', 'accepted', 'rejected', 'implemented', 'withdrawn', 'hidden')),
        hidden_from text,
        moderation_note text,
        withdrawn_reason text,
        lat double precision,
        lng double precision,
        location point,
        district_id uuid REFERENCES districts(id) ON DELETE SET NULL,
        support_count int NOT NULL DEFAULT 0 CHECK (support_count >= 0),
        comment_count int NOT NULL DEFAULT 0 CHECK (comment_count >= 0),
        shuffle int NOT NULL DEFAULT floor(random() * 2147483647)::int,
        promoted_from_report_id uuid REFERENCES reports(id) ON DELETE SET NULL,
        published_at timestamptz,
        expires_at timestamptz,
        threshold_reached_at timestamptz,
        answer_due_at timestamptz,
        answered_at timestamptz,
        answer_overdue_at timestamptz,
        first_supported_at timestamptz,
        search_vector tsvector GENERATED ALWAYS AS (
          setweight(to_tsvector(CASE language WHEN 'en' THEN 'civic_en'::regconfig ELSE 'civic_fr'::regconfig END, title), 'A') ||
          setweight(to_tsvector(CASE language WHEN 'en' THEN 'civic_en'::regconfig ELSE 'civic_fr'::regconfig END, body), 'B')) STORED,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((lat IS NULL) = (lng IS NULL))
      )`);
    // One partial index per public sort, keyed by town: each list page is one ordered index scan.
    await q.query(`CREATE INDEX proposals_newest_idx ON proposals (municipality_id, published_at DESC, id DESC) WHERE status IN ${PUBLIC}`);
    await q.query(`CREATE INDEX proposals_supported_idx ON proposals (municipality_id, support_count DESC, id DESC) WHERE status IN ${PUBLIC}`);
    await q.query(`CREATE INDEX proposals_commented_idx ON proposals (municipality_id, comment_count DESC, id DESC) WHERE status IN ${PUBLIC}`);
    await q.query(`CREATE INDEX proposals_shuffle_idx ON proposals (municipality_id, shuffle, id) WHERE status IN ${PUBLIC}`);
    await q.query(`CREATE INDEX proposals_author_idx ON proposals (author_id, created_at DESC)`);
    await q.query(`CREATE INDEX proposals_search_idx ON proposals USING gin (search_vector)`);
    await q.query(`CREATE INDEX proposals_title_trgm_idx ON proposals USING gin (title gin_trgm_ops)`);
    await q.query(`CREATE INDEX proposals_location_idx ON proposals USING gist (location) WHERE location IS NOT NULL`);
    // Staff queues: answers overdue, and content awaiting review.
    await q.query(`CREATE INDEX proposals_answer_due_idx ON proposals (municipality_id, answer_due_at) WHERE answered_at IS NULL AND answer_due_at IS NOT NULL`);
    await q.query(`CREATE INDEX proposals_held_idx ON proposals (municipality_id, updated_at) WHERE status = 'held'`);
    await q.query(`CREATE INDEX proposals_report_idx ON proposals (promoted_from_report_id) WHERE promoted_from_report_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE proposal_coauthors (
        proposal_id uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        accepted_at timestamptz,
        invited_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (proposal_id, user_id)
      )`);
    await q.query(`CREATE INDEX proposal_coauthors_user_idx ON proposal_coauthors (user_id)`);
    await q.query(`
      CREATE TABLE proposal_supports (
        proposal_id uuid NOT NULL REFERENCES proposals(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (proposal_id, user_id)
      )`);
    // "Supported by me", and what a person's supports are when they ask for their data.
    await q.query(`CREATE INDEX proposal_supports_user_idx ON proposal_supports (user_id, proposal_id)`);
    await q.query(`
      CREATE TABLE proposal_answers (
        proposal_id uuid PRIMARY KEY REFERENCES proposals(id) ON DELETE CASCADE,
        status text NOT NULL CHECK (status IN ('evaluating', 'accepted', 'rejected')),
        body text NOT NULL,
        body_html text NOT NULL,
        estimated_cost bigint CHECK (estimated_cost >= 0),
        timeline text,
        drafted_by_id uuid REFERENCES users(id) ON DELETE SET NULL,
        published_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE proposal_answers`);
    await q.query(`DROP TABLE proposal_supports`);
    await q.query(`DROP TABLE proposal_coauthors`);
    await q.query(`DROP TABLE proposals`);
    await q.query(`DROP TABLE proposal_topics`);
    await q.query(`DROP TABLE proposal_settings`);
  }
}

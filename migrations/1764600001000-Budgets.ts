import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Participatory budgets. Secrecy is in the shape: budget_participations (who) and budget_ballots
 * (what) share no column, sequence or timestamp; ballots wait sealed in budget_sealed_ballots and
 * are written to budget_ballots all at once, shuffled, when voting closes.
 */
export class Budgets1764600001000 implements MigrationInterface {
  name = 'Budgets1764600001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE budgets (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
        title jsonb NOT NULL,
        description jsonb NOT NULL,
        amount bigint NOT NULL CHECK (amount > 0),
        currency text NOT NULL,
        district_amounts jsonb NOT NULL DEFAULT '[]',
        ballot_rule jsonb NOT NULL,
        outcome_rule text NOT NULL CHECK (outcome_rule IN ('greedy', 'equal-shares')),
        add1 text CHECK (add1 IN ('until-exhaustive', 'within-budget')),
        phase text NOT NULL CHECK (phase IN ('proposing', 'reviewing', 'voting', 'tallying', 'finished')),
        proposing_ends_at timestamptz NOT NULL,
        reviewing_ends_at timestamptz NOT NULL,
        voting_ends_at timestamptz NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (proposing_ends_at <= reviewing_ends_at AND reviewing_ends_at <= voting_ends_at)
      )`);
    await q.query(`CREATE INDEX budgets_municipality_idx ON budgets (municipality_id, id)`);
    await q.query(`
      CREATE TABLE budget_projects (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        budget_id uuid NOT NULL REFERENCES budgets(id) ON DELETE CASCADE,
        author_id uuid REFERENCES users(id) ON DELETE SET NULL,
        district_id uuid REFERENCES districts(id) ON DELETE RESTRICT,
        title text NOT NULL,
        description text NOT NULL,
        cost bigint NOT NULL CHECK (cost > 0),
        status text NOT NULL CHECK (status IN ('proposed', 'feasible', 'unfeasible', 'on_ballot')),
        review_reason text,
        selected boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX budget_projects_budget_idx ON budget_projects (budget_id, status, id)`);
    await q.query(`
      CREATE TABLE budget_participations (
        budget_id uuid NOT NULL REFERENCES budgets(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        channel text NOT NULL CHECK (channel IN ('online', 'paper')),
        PRIMARY KEY (budget_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE budget_sealed_ballots (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        budget_id uuid NOT NULL REFERENCES budgets(id) ON DELETE CASCADE,
        sealed text NOT NULL,
        receipt_lookup text NOT NULL
      )`);
    await q.query(`CREATE UNIQUE INDEX budget_sealed_ballots_receipt_key ON budget_sealed_ballots (receipt_lookup)`);
    await q.query(`CREATE INDEX budget_sealed_ballots_budget_idx ON budget_sealed_ballots (budget_id)`);
    await q.query(`
      CREATE TABLE budget_ballots (
        id uuid PRIMARY KEY,
        budget_id uuid NOT NULL REFERENCES budgets(id) ON DELETE CASCADE,
        choice jsonb NOT NULL,
        receipt_hash text NOT NULL
      )`);
    await q.query(`CREATE INDEX budget_ballots_budget_idx ON budget_ballots (budget_id)`);
    await q.query(`
      CREATE TABLE budget_ballot_drafts (
        budget_id uuid NOT NULL REFERENCES budgets(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        sealed text NOT NULL,
        PRIMARY KEY (budget_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE budget_results (
        budget_id uuid PRIMARY KEY REFERENCES budgets(id) ON DELETE CASCADE,
        inputs_hash text NOT NULL,
        result jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    // Results are immutable once stored.
    await q.query(`
      CREATE FUNCTION budget_results_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'budget results are immutable'; END $$`);
    await q.query(`CREATE TRIGGER budget_results_immutable BEFORE UPDATE ON budget_results FOR EACH ROW EXECUTE FUNCTION budget_results_immutable()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE budget_results`);
    await q.query(`DROP FUNCTION budget_results_immutable()`);
    await q.query(`DROP TABLE budget_ballot_drafts`);
    await q.query(`DROP TABLE budget_ballots`);
    await q.query(`DROP TABLE budget_sealed_ballots`);
    await q.query(`DROP TABLE budget_participations`);
    await q.query(`DROP TABLE budget_projects`);
    await q.query(`DROP TABLE budgets`);
  }
}

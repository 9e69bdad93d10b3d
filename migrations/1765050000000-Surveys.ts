import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Surveys: questionnaires for a panel or the residents; identified responses; for anonymous
 * surveys, sealed responses while open and shuffled anonymous ones after the close
 * (libs/surveys/README.md, "Anonymity").
 */
export class Surveys1765050000000 implements MigrationInterface {
  name = 'Surveys1765050000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE surveys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        title text NOT NULL,
        description text NOT NULL DEFAULT '',
        questions jsonb NOT NULL,
        audience jsonb NOT NULL,
        anonymous boolean NOT NULL,
        results_public boolean NOT NULL DEFAULT false,
        opens_at timestamptz NOT NULL,
        closes_at timestamptz NOT NULL,
        reminder_days_before int CHECK (reminder_days_before > 0),
        closed_at timestamptz,
        created_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (opens_at < closes_at)
      )`);
    await q.query(`CREATE INDEX surveys_municipality_keyset ON surveys (municipality_id, created_at, id)`);
    await q.query(`
      CREATE TABLE survey_participations (
        survey_id uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        submitted boolean NOT NULL DEFAULT false,
        PRIMARY KEY (survey_id, user_id)
      )`);
    await q.query(`CREATE INDEX survey_participations_submitted_idx ON survey_participations (survey_id, submitted)`);
    await q.query(`CREATE INDEX survey_participations_user_idx ON survey_participations (user_id)`);
    await q.query(`
      CREATE TABLE survey_responses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        survey_id uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        answers jsonb NOT NULL,
        features jsonb,
        submitted boolean NOT NULL DEFAULT false,
        submitted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX survey_responses_person_key ON survey_responses (survey_id, user_id)`);
    await q.query(`CREATE INDEX survey_responses_user_idx ON survey_responses (user_id)`);
    await q.query(`
      CREATE TABLE survey_sealed_responses (
        survey_id uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        respondent_lookup text NOT NULL,
        sealed text NOT NULL,
        PRIMARY KEY (survey_id, respondent_lookup)
      )`);
    await q.query(`
      CREATE TABLE survey_anonymous_responses (
        id uuid PRIMARY KEY,
        survey_id uuid NOT NULL REFERENCES surveys (id) ON DELETE CASCADE,
        answers jsonb NOT NULL,
        features jsonb
      )`);
    await q.query(`CREATE INDEX survey_anonymous_responses_survey_idx ON survey_anonymous_responses (survey_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE survey_anonymous_responses`);
    await q.query(`DROP TABLE survey_sealed_responses`);
    await q.query(`DROP TABLE survey_responses`);
    await q.query(`DROP TABLE survey_participations`);
    await q.query(`DROP TABLE surveys`);
  }
}

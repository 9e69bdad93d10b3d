import { MigrationInterface, QueryRunner } from 'typeorm';

/** Citizens' panels: their rules, their pool (volunteers and imported residents), their draws. */
export class Panels1764700000000 implements MigrationInterface {
  name = 'Panels1764700000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE panels (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        name text NOT NULL,
        purpose text NOT NULL DEFAULT '',
        size int NOT NULL CHECK (size > 0),
        term_months int NOT NULL CHECK (term_months > 0),
        household_rule boolean NOT NULL DEFAULT true,
        features jsonb NOT NULL,
        consent_version text NOT NULL,
        consent_text text NOT NULL,
        status text NOT NULL DEFAULT 'recruiting' CHECK (status IN ('recruiting', 'pool_closed', 'drawn')),
        pool_hash text,
        rules_hash text,
        pool_snapshot jsonb,
        pool_closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX panels_municipality_keyset ON panels (municipality_id, created_at, id)`);
    await q.query(`
      CREATE TABLE panel_pool_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        panel_id uuid NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        external_id text,
        features jsonb NOT NULL,
        address text,
        household text,
        consent_version text,
        consented_at timestamptz,
        contact jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((user_id IS NULL) <> (external_id IS NULL))
      )`);
    await q.query(`CREATE INDEX panel_pool_members_panel ON panel_pool_members (panel_id, id)`);
    await q.query(`CREATE UNIQUE INDEX panel_pool_members_volunteer_key ON panel_pool_members (panel_id, user_id) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX panel_pool_members_external_key ON panel_pool_members (panel_id, external_id) WHERE external_id IS NOT NULL`);
    await q.query(`CREATE INDEX panel_pool_members_user ON panel_pool_members (user_id) WHERE user_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE panel_selections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        panel_id uuid NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
        seed text NOT NULL,
        pool_hash text NOT NULL,
        rules_hash text NOT NULL,
        algorithm_version text NOT NULL,
        distribution_hash text NOT NULL,
        minimum_probability double precision NOT NULL,
        members jsonb NOT NULL,
        run jsonb NOT NULL,
        created_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX panel_selections_panel ON panel_selections (panel_id, created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE panel_selections`);
    await q.query(`DROP TABLE panel_pool_members`);
    await q.query(`DROP TABLE panels`);
  }
}

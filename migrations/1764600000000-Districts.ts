import { MigrationInterface, QueryRunner } from 'typeorm';

/** Districts (quartiers) of a municipality: proposals, budgets and panels are divided by them. */
export class Districts1764600000000 implements MigrationInterface {
  name = 'Districts1764600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE districts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities(id) ON DELETE CASCADE,
        code text NOT NULL,
        name_fr text NOT NULL,
        name_en text NOT NULL,
        boundary jsonb,
        bbox box,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX districts_municipality_code_key ON districts (municipality_id, code)`);
    // Locate: the town's candidates whose box holds the point, from one GiST index (btree_gist).
    await q.query(`CREATE INDEX districts_bbox_idx ON districts USING gist (municipality_id, bbox)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE districts`);
  }
}

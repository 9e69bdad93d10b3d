import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Panel members after the draw: their life-cycle (selected → confirmed → active → rotated out /
 * withdrawn, or declined / expired), its history, the printed-letter invitation codes of imported
 * residents, the term and rotation settings of a panel, and the kind of each draw (first,
 * replacement, rotation).
 */
export class PanelMembers1765060000000 implements MigrationInterface {
  name = 'PanelMembers1765060000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE panels
      ADD COLUMN confirmation_days int NOT NULL DEFAULT 14 CHECK (confirmation_days BETWEEN 1 AND 90),
      ADD COLUMN rotation_share double precision NOT NULL DEFAULT 0.5 CHECK (rotation_share > 0 AND rotation_share <= 1),
      ADD COLUMN term_number int NOT NULL DEFAULT 0,
      ADD COLUMN term_started_at timestamptz,
      ADD COLUMN term_ends_at timestamptz,
      ADD COLUMN rotation_due boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE panel_selections
      ADD COLUMN kind text NOT NULL DEFAULT 'initial' CHECK (kind IN ('initial', 'replacement', 'rotation')),
      ADD COLUMN round int NOT NULL DEFAULT 0`);
    await q.query(`CREATE UNIQUE INDEX panel_selections_round ON panel_selections (panel_id, round)`);
    await q.query(`
      CREATE TABLE panel_members (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        panel_id uuid NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
        selection_id text NOT NULL,
        draw_id uuid NOT NULL REFERENCES panel_selections (id) ON DELETE CASCADE,
        user_id uuid REFERENCES users (id) ON DELETE SET NULL,
        features jsonb NOT NULL,
        household text,
        status text NOT NULL CHECK (status IN ('selected', 'confirmed', 'active', 'declined', 'expired', 'rotated_out', 'withdrawn')),
        invitation_code text,
        respond_by timestamptz NOT NULL,
        selected_at timestamptz NOT NULL DEFAULT now(),
        confirmed_at timestamptz,
        activated_at timestamptz,
        ended_at timestamptz,
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (panel_id, selection_id)
      )`);
    await q.query(`CREATE INDEX panel_members_panel_status ON panel_members (panel_id, status)`);
    await q.query(`CREATE INDEX panel_members_active_users ON panel_members (panel_id, user_id) WHERE status = 'active' AND user_id IS NOT NULL`);
    await q.query(`CREATE INDEX panel_members_user ON panel_members (user_id) WHERE user_id IS NOT NULL`);
    await q.query(`CREATE UNIQUE INDEX panel_members_invitation_code ON panel_members (invitation_code) WHERE invitation_code IS NOT NULL`);
    await q.query(`
      CREATE TABLE panel_member_history (
        id bigserial PRIMARY KEY,
        member_id uuid NOT NULL REFERENCES panel_members (id) ON DELETE CASCADE,
        panel_id uuid NOT NULL REFERENCES panels (id) ON DELETE CASCADE,
        from_status text,
        to_status text NOT NULL,
        reason text NOT NULL,
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX panel_member_history_member ON panel_member_history (member_id, id)`);
    await q.query(`CREATE INDEX panel_member_history_panel ON panel_member_history (panel_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE panel_member_history`);
    await q.query(`DROP TABLE panel_members`);
    await q.query(`DROP INDEX panel_selections_round`);
    await q.query(`ALTER TABLE panel_selections DROP COLUMN round, DROP COLUMN kind`);
    await q.query(`ALTER TABLE panels DROP COLUMN rotation_due, DROP COLUMN term_ends_at, DROP COLUMN term_started_at, DROP COLUMN term_number, DROP COLUMN rotation_share, DROP COLUMN confirmation_days`);
  }
}

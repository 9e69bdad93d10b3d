import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `workshop_board_lock(session, since)`: locks a board's row and returns, in the same round trip,
 * the changes other API instances logged after `since` (the instance's cached seq). Two separate
 * statements were needed before — the lock, then the replay read — because one plain statement
 * reads with the snapshot it took before waiting for the lock, and would miss the log rows of the
 * transaction whose commit released it. In a VOLATILE PL/pgSQL function each statement takes a
 * fresh snapshot, so the read after the lock sees them. One round trip less while the row is
 * locked, on nearly every batch when two instances serve one board (see libs/workshops/README.md).
 */
export class WorkshopBoardLock1765290000000 implements MigrationInterface {
  name = 'WorkshopBoardLock1765290000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION workshop_board_lock(p_session uuid, p_since bigint)
        RETURNS TABLE (seq bigint, closed boolean, projector_key text, changes jsonb)
        LANGUAGE plpgsql VOLATILE AS $fn$
      DECLARE
        b record;
      BEGIN
        SELECT w.seq, w.closed_at IS NOT NULL AS closed, w.projector_key INTO b
          FROM workshop_boards w WHERE w.session_id = p_session FOR UPDATE;
        IF NOT FOUND THEN
          RETURN;
        END IF;
        RETURN QUERY
          SELECT b.seq::bigint, b.closed, b.projector_key::text,
                 CASE WHEN p_since IS NULL OR p_since >= b.seq THEN '[]'::jsonb
                      ELSE (SELECT coalesce(jsonb_agg(c.change ORDER BY c.seq), '[]'::jsonb)
                              FROM workshop_board_changes c
                             WHERE c.session_id = p_session AND c.seq > p_since AND c.seq <= b.seq)
                 END;
      END
      $fn$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION workshop_board_lock(uuid, bigint)`);
  }
}

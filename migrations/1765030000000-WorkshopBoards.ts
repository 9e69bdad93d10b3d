import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The live board of a workshop session: its state (phase, settings, timer, sequence), its notes,
 * clusters, dots and polls as they stand, and every change in order with its sequence number —
 * written in the transaction that makes the change, so the database is the board's truth and a
 * client that missed changes gets them from here. Outcomes published after the session.
 */
export class WorkshopBoards1765030000000 implements MigrationInterface {
  name = 'WorkshopBoards1765030000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE workshop_boards (
        session_id uuid PRIMARY KEY REFERENCES workshop_sessions (id) ON DELETE CASCADE,
        seq bigint NOT NULL DEFAULT 0 CHECK (seq >= 0),
        phase text NOT NULL DEFAULT 'collect' CHECK (phase IN ('collect', 'cluster', 'vote', 'results')),
        dots_per_participant smallint NOT NULL DEFAULT 5 CHECK (dots_per_participant BETWEEN 1 AND 20),
        max_dots_per_idea smallint NOT NULL DEFAULT 3 CHECK (max_dots_per_idea BETWEEN 1 AND dots_per_participant),
        votes_revealed boolean NOT NULL DEFAULT false,
        timer_status text NOT NULL DEFAULT 'idle' CHECK (timer_status IN ('idle', 'running', 'paused')),
        timer_ends_at timestamptz,
        timer_remaining_ms integer,
        projector_key text UNIQUE,
        closed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE workshop_board_clusters (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES workshop_boards (session_id) ON DELETE CASCADE,
        title text NOT NULL CHECK (char_length(title) BETWEEN 1 AND 80),
        hidden boolean NOT NULL DEFAULT false,
        version bigint NOT NULL,
        created_seq bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX workshop_board_clusters_session ON workshop_board_clusters (session_id, created_seq)`);
    await q.query(`
      CREATE TABLE workshop_board_ideas (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES workshop_boards (session_id) ON DELETE CASCADE,
        author_id uuid REFERENCES users (id) ON DELETE SET NULL,
        text text NOT NULL CHECK (char_length(text) BETWEEN 1 AND 280),
        -- Deferred: one statement moves a merged cluster's notes and deletes it.
        cluster_id uuid REFERENCES workshop_board_clusters (id) DEFERRABLE INITIALLY DEFERRED,
        hidden boolean NOT NULL DEFAULT false,
        version bigint NOT NULL,
        created_seq bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX workshop_board_ideas_session ON workshop_board_ideas (session_id, created_seq)`);
    await q.query(`CREATE INDEX workshop_board_ideas_author ON workshop_board_ideas (author_id) WHERE author_id IS NOT NULL`);
    await q.query(`
      CREATE TABLE workshop_board_dots (
        idea_id uuid NOT NULL REFERENCES workshop_board_ideas (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        session_id uuid NOT NULL REFERENCES workshop_boards (session_id) ON DELETE CASCADE,
        count smallint NOT NULL CHECK (count BETWEEN 1 AND 20),
        PRIMARY KEY (idea_id, user_id)
      )`);
    await q.query(`CREATE INDEX workshop_board_dots_session ON workshop_board_dots (session_id, user_id)`);
    await q.query(`
      CREATE TABLE workshop_board_polls (
        id uuid PRIMARY KEY,
        session_id uuid NOT NULL REFERENCES workshop_boards (session_id) ON DELETE CASCADE,
        question text NOT NULL,
        options jsonb NOT NULL,
        multiple boolean NOT NULL,
        status text NOT NULL CHECK (status IN ('open', 'closed')),
        created_seq bigint NOT NULL
      )`);
    await q.query(`CREATE INDEX workshop_board_polls_session ON workshop_board_polls (session_id, created_seq)`);
    await q.query(`
      CREATE TABLE workshop_board_poll_answers (
        poll_id uuid NOT NULL REFERENCES workshop_board_polls (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        choices smallint[] NOT NULL,
        PRIMARY KEY (poll_id, user_id)
      )`);
    await q.query(`
      CREATE TABLE workshop_board_changes (
        session_id uuid NOT NULL REFERENCES workshop_boards (session_id) ON DELETE CASCADE,
        seq bigint NOT NULL,
        actor_id uuid,
        at timestamptz NOT NULL,
        -- What was done, who did it (votes included): the server replays this to catch up.
        change jsonb NOT NULL,
        -- What viewers were sent: a client that missed changes gets these.
        public jsonb NOT NULL,
        PRIMARY KEY (session_id, seq)
      )`);
    await q.query(`
      CREATE TABLE workshop_board_outcomes (
        session_id uuid PRIMARY KEY REFERENCES workshop_boards (session_id) ON DELETE CASCADE,
        workshop_id uuid NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        published_by uuid REFERENCES users (id) ON DELETE SET NULL,
        published_at timestamptz NOT NULL DEFAULT now(),
        minutes text NOT NULL DEFAULT '',
        outcome jsonb NOT NULL
      )`);
    await q.query(`CREATE INDEX workshop_board_outcomes_workshop ON workshop_board_outcomes (workshop_id, published_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workshop_board_outcomes`);
    await q.query(`DROP TABLE workshop_board_changes`);
    await q.query(`DROP TABLE workshop_board_poll_answers`);
    await q.query(`DROP TABLE workshop_board_polls`);
    await q.query(`DROP TABLE workshop_board_dots`);
    await q.query(`DROP TABLE workshop_board_ideas`);
    await q.query(`DROP TABLE workshop_board_clusters`);
    await q.query(`DROP TABLE workshop_boards`);
  }
}

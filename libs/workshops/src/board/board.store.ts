import { Injectable } from '@nestjs/common';
import { concurrentReads, preparedQuery, TransactionService, WriteStatement } from '@app/common';
import { EntityManager } from 'typeorm';
import { applyChange, emptyBoard } from './board-rules';
import { BoardChange, BoardPhase, BoardState, PublicChange } from './board.types';

export interface BoardRow {
  seq: number;
  closed: boolean;
  projectorKey: string | null;
}

/** What a batch of changes touched, so only those rows are written (in their final state). */
export class Touched {
  readonly ideas = new Set<string>();
  readonly clusters = new Set<string>();
  readonly dotIdeas = new Set<string>();
  readonly polls = new Set<string>();
  readonly answers = new Set<string>();

  /** Called after the change was applied to `state`. */
  note(state: BoardState, change: BoardChange): void {
    switch (change.kind) {
      case 'idea.posted':
        this.ideas.add(change.idea.id);
        break;
      case 'idea.edited':
      case 'idea.moved':
      case 'idea.shown':
        this.ideas.add(change.ideaId);
        break;
      case 'idea.hidden':
        this.ideas.add(change.ideaId);
        this.dotIdeas.add(change.ideaId);
        break;
      case 'cluster.created':
        this.clusters.add(change.cluster.id);
        break;
      case 'cluster.renamed':
      case 'cluster.shown':
        this.clusters.add(change.clusterId);
        break;
      case 'cluster.hidden':
        this.clusters.add(change.clusterId);
        for (const i of state.ideas.values()) if (i.clusterId === change.clusterId) this.dotIdeas.add(i.id);
        break;
      case 'cluster.merged':
        this.clusters.add(change.fromId);
        for (const i of state.ideas.values()) if (i.clusterId === change.intoId) this.ideas.add(i.id);
        break;
      case 'dot.added':
      case 'dot.removed':
        this.dotIdeas.add(change.ideaId);
        break;
      case 'poll.opened':
      case 'poll.closed':
        this.polls.add(change.kind === 'poll.opened' ? change.poll.id : change.pollId);
        break;
      case 'poll.answered':
        this.answers.add(`${change.pollId}:${change.userId}`);
        break;
      case 'board.closed':
        for (const id of state.polls.keys()) this.polls.add(id);
        break;
      default:
        break;
    }
  }
}

const json = (value: unknown) => JSON.stringify(value);

/** The board's tables. Only the board service writes them, under the board row's lock. */
@Injectable()
export class BoardStore {
  constructor(private readonly tx: TransactionService) {}

  /**
   * Creates the board on first use and locks its row for this transaction; with `since` (the
   * caller's cached seq), also returns the changes logged after it, read after the lock was taken
   * (workshop_board_lock, migration 1765290000000): one round trip while the row is locked.
   */
  async lock(m: EntityManager, sessionId: string, since: number | null = null): Promise<BoardRow & { changes: BoardChange[] }> {
    const text = `SELECT seq::int8 AS seq, closed, projector_key AS "projectorKey", changes FROM workshop_board_lock($1, $2)`;
    let [row] = await preparedQuery<BoardRow & { changes: BoardChange[] }>(m, text, [sessionId, since]);
    if (!row) {
      await m.query(`INSERT INTO workshop_boards (session_id) VALUES ($1) ON CONFLICT DO NOTHING`, [sessionId]);
      [row] = await preparedQuery<BoardRow & { changes: BoardChange[] }>(m, text, [sessionId, since]);
    }
    return { ...row, seq: Number(row.seq) };
  }

  async projectorKey(sessionId: string): Promise<string | null> {
    const [row] = (await this.tx.manager.query(`SELECT projector_key AS key FROM workshop_boards WHERE session_id = $1`, [sessionId])) as Array<{ key: string | null }>;
    return row?.key ?? null;
  }

  async setProjectorKey(sessionId: string, key: string): Promise<void> {
    await this.tx.run(async (m) => {
      await m.query(`INSERT INTO workshop_boards (session_id) VALUES ($1) ON CONFLICT DO NOTHING`, [sessionId]);
      await m.query(`UPDATE workshop_boards SET projector_key = $2, updated_at = now() WHERE session_id = $1`, [sessionId, key]);
    });
  }

  /** Replays changes made through another instance (from `lock`) onto the cached state, in order. */
  replay(state: BoardState, changes: BoardChange[]): void {
    for (const change of changes) applyChange(state, change);
  }

  /** What viewers were sent for the changes after `since`, up to `upTo` included. */
  async publicChangesSince(m: EntityManager, sessionId: string, since: number, upTo: number): Promise<PublicChange[]> {
    const rows = await preparedQuery<{ public: PublicChange }>(m, `SELECT public FROM workshop_board_changes WHERE session_id = $1 AND seq > $2 AND seq <= $3 ORDER BY seq`, [sessionId, since, upTo]);
    return rows.map((r) => r.public);
  }

  /** The board as saved in its tables (not replayed from the log): the truth clients are compared with. */
  async load(m: EntityManager, sessionId: string): Promise<BoardState | null> {
    const [board] = (await m.query(
      `SELECT seq::int8 AS seq, phase, closed_at IS NOT NULL AS closed, dots_per_participant AS dpp, max_dots_per_idea AS mdpi, votes_revealed AS revealed,
              timer_status AS status, (extract(epoch FROM timer_ends_at) * 1000)::int8 AS "endsAt", timer_remaining_ms AS "remainingMs"
         FROM workshop_boards WHERE session_id = $1`,
      [sessionId],
    )) as Array<Record<string, unknown>>;
    if (!board) return null;
    const state = emptyBoard(sessionId);
    Object.assign(state, {
      seq: Number(board.seq),
      phase: board.phase as BoardPhase,
      closed: board.closed as boolean,
      settings: { dotsPerParticipant: Number(board.dpp), maxDotsPerIdea: Number(board.mdpi) },
      votesRevealed: board.revealed as boolean,
      timer: { status: board.status, endsAt: board.endsAt === null ? null : Number(board.endsAt), remainingMs: board.remainingMs === null ? null : Number(board.remainingMs) },
    });
    const [clusters, ideas, dots, polls, answers] = (await concurrentReads(m, [
      () => m.query(`SELECT id, title, hidden, version::int8 AS version, created_seq::int8 AS "createdSeq" FROM workshop_board_clusters WHERE session_id = $1`, [sessionId]),
      () => m.query(`SELECT id, author_id AS "authorId", text, cluster_id AS "clusterId", hidden, version::int8 AS version, created_seq::int8 AS "createdSeq" FROM workshop_board_ideas WHERE session_id = $1`, [sessionId]),
      () => m.query(`SELECT idea_id AS "ideaId", user_id AS "userId", count FROM workshop_board_dots WHERE session_id = $1`, [sessionId]),
      () => m.query(`SELECT id, question, options, multiple, status, created_seq::int8 AS "createdSeq" FROM workshop_board_polls WHERE session_id = $1`, [sessionId]),
      () => m.query(`SELECT a.poll_id AS "pollId", a.user_id AS "userId", a.choices FROM workshop_board_poll_answers a JOIN workshop_board_polls p ON p.id = a.poll_id WHERE p.session_id = $1`, [sessionId]),
    ] as const)) as any[][]; // eslint-disable-line @typescript-eslint/no-explicit-any -- rows typed by the loops below
    for (const c of clusters) state.clusters.set(c.id, { ...c, version: Number(c.version), createdSeq: Number(c.createdSeq) });
    for (const i of ideas) state.ideas.set(i.id, { ...i, version: Number(i.version), createdSeq: Number(i.createdSeq) });
    for (const d of dots) {
      const onIdea = state.dots.get(d.ideaId) ?? new Map<string, number>();
      onIdea.set(d.userId, d.count);
      state.dots.set(d.ideaId, onIdea);
      state.dotsByUser.set(d.userId, (state.dotsByUser.get(d.userId) ?? 0) + d.count);
    }
    for (const p of polls) state.polls.set(p.id, { ...p, createdSeq: Number(p.createdSeq), answers: new Map() });
    for (const a of answers) state.polls.get(a.pollId)?.answers.set(a.userId, a.choices.map(Number));
    return state;
  }

  /** Writes a batch of changes: the log, the board row, and the touched rows in their final state — one statement. */
  async save(m: EntityManager, state: BoardState, changes: Array<{ change: BoardChange; view: PublicChange }>, touched: Touched): Promise<void> {
    const w = new WriteStatement();
    const sid = w.param(state.sessionId, 'uuid');
    const { timer, settings } = state;
    w.with(
      'board',
      `UPDATE workshop_boards SET seq = ${w.param(state.seq, 'int8')}, phase = ${w.param(state.phase, 'text')}, votes_revealed = ${w.param(state.votesRevealed, 'boolean')},
         dots_per_participant = ${w.param(settings.dotsPerParticipant, 'int2')}, max_dots_per_idea = ${w.param(settings.maxDotsPerIdea, 'int2')},
         timer_status = ${w.param(timer.status, 'text')}, timer_ends_at = ${w.param(timer.endsAt === null ? null : new Date(timer.endsAt).toISOString(), 'timestamptz')},
         timer_remaining_ms = ${w.param(timer.remainingMs, 'int4')}, closed_at = CASE WHEN ${w.param(state.closed, 'boolean')} THEN coalesce(closed_at, now()) END, updated_at = now()
       WHERE session_id = ${sid}`,
    );
    w.with(
      'log',
      `INSERT INTO workshop_board_changes (session_id, seq, actor_id, at, change, public)
       SELECT ${sid}, (x.c->>'seq')::int8, (x.c->>'actorId')::uuid, to_timestamp((x.c->>'at')::float8 / 1000), x.c, x.p
         FROM jsonb_to_recordset(${w.param(json(changes.map((c) => ({ c: c.change, p: c.view }))), 'jsonb')}) AS x(c jsonb, p jsonb)`,
    );
    const clusters = [...touched.clusters].map((id) => state.clusters.get(id)).filter((c) => c !== undefined);
    const gone = [...touched.clusters].filter((id) => !state.clusters.has(id));
    if (clusters.length) {
      w.with(
        'clusters',
        `INSERT INTO workshop_board_clusters (id, session_id, title, hidden, version, created_seq)
         SELECT x.id, ${sid}, x.title, x.hidden, x.version, x."createdSeq" FROM jsonb_to_recordset(${w.param(json(clusters), 'jsonb')})
           AS x(id uuid, title text, hidden boolean, version int8, "createdSeq" int8)
         ON CONFLICT (id) DO UPDATE SET title = EXCLUDED.title, hidden = EXCLUDED.hidden, version = EXCLUDED.version`,
      );
    }
    if (gone.length) w.with('merged', `DELETE FROM workshop_board_clusters WHERE id = ANY(${w.param(gone, 'uuid[]')})`);
    const ideas = [...touched.ideas].map((id) => state.ideas.get(id)!);
    if (ideas.length) {
      w.with(
        'ideas',
        `INSERT INTO workshop_board_ideas (id, session_id, author_id, text, cluster_id, hidden, version, created_seq)
         SELECT x.id, ${sid}, x."authorId", x.text, x."clusterId", x.hidden, x.version, x."createdSeq" FROM jsonb_to_recordset(${w.param(json(ideas), 'jsonb')})
           AS x(id uuid, "authorId" uuid, text text, "clusterId" uuid, hidden boolean, version int8, "createdSeq" int8)
         ON CONFLICT (id) DO UPDATE SET text = EXCLUDED.text, cluster_id = EXCLUDED.cluster_id, hidden = EXCLUDED.hidden, version = EXCLUDED.version`,
      );
    }
    if (touched.dotIdeas.size) {
      const keep = [...touched.dotIdeas].flatMap((ideaId) => [...(state.dots.get(ideaId) ?? new Map<string, number>())].map(([userId, count]) => ({ ideaId, userId, count })));
      const keepParam = w.param(json(keep), 'jsonb');
      w.with(
        'dots_gone',
        `DELETE FROM workshop_board_dots d WHERE d.idea_id = ANY(${w.param([...touched.dotIdeas], 'uuid[]')})
           AND NOT EXISTS (SELECT 1 FROM jsonb_to_recordset(${keepParam}) AS k("ideaId" uuid, "userId" uuid) WHERE k."ideaId" = d.idea_id AND k."userId" = d.user_id)`,
      );
      if (keep.length) {
        w.with(
          'dots',
          `INSERT INTO workshop_board_dots (idea_id, user_id, session_id, count)
           SELECT k."ideaId", k."userId", ${sid}, k.count FROM jsonb_to_recordset(${keepParam}) AS k("ideaId" uuid, "userId" uuid, count int2)
           ON CONFLICT (idea_id, user_id) DO UPDATE SET count = EXCLUDED.count`,
        );
      }
    }
    const polls = [...touched.polls].map((id) => state.polls.get(id)!);
    if (polls.length) {
      w.with(
        'polls',
        `INSERT INTO workshop_board_polls (id, session_id, question, options, multiple, status, created_seq)
         SELECT x.id, ${sid}, x.question, x.options, x.multiple, x.status, x."createdSeq" FROM jsonb_to_recordset(${w.param(json(polls.map(({ answers: _a, ...p }) => p)), 'jsonb')})
           AS x(id uuid, question text, options jsonb, multiple boolean, status text, "createdSeq" int8)
         ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status`,
      );
    }
    if (touched.answers.size) {
      const answers = [...touched.answers].map((key) => {
        const [pollId, userId] = key.split(':');
        return { pollId, userId, choices: state.polls.get(pollId)!.answers.get(userId)! };
      });
      w.with(
        'answers',
        `INSERT INTO workshop_board_poll_answers (poll_id, user_id, choices)
         SELECT x."pollId", x."userId", ARRAY(SELECT jsonb_array_elements_text(x.choices)::int2) FROM jsonb_to_recordset(${w.param(json(answers), 'jsonb')})
           AS x("pollId" uuid, "userId" uuid, choices jsonb)
         ON CONFLICT (poll_id, user_id) DO UPDATE SET choices = EXCLUDED.choices`,
      );
    }
    await w.run(m, 'SELECT 1');
  }
}

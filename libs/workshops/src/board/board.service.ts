import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { AuthUser, DomainException, TransactionService } from '@app/common';
import { RealtimePublisher } from '@app/realtime';
import { WorkshopAccessService } from '../access/workshop-access.service';
import { parseBoardCommand, parseSyncBody } from './board-commands';
import { decide, emptyBoard } from './board-rules';
import { applyAndDescribe, toBoardView, viewerExtras } from './board-views';
import { BoardError, notOnBoard } from './board.errors';
import { BoardStore, Touched } from './board.store';
import { BOARD_LIMITS, BoardActor, BoardChange, BoardCommand, BoardRole, BoardState, BoardView, BoardViewerExtras, PublicChange } from './board.types';
import { BoardOutcomes, outcomesOf } from './board-outcomes';

/** The board's topic, for its facilitators and checked-in participants. */
export const boardTopic = (sessionId: string) => `workshop-session:${sessionId}`;
/** The projector's read-only topic: the secret key is part of it. */
export const projectorTopic = (sessionId: string, key: string) => `workshop-session:${sessionId}:projector:${key}`;
export const BOARD_EVENT_TYPE = 'workshop.board.changes';

/** How long "is this person a facilitator / checked in" is remembered per instance. */
const ROLE_TTL_MS = 5_000;
/** Commands written in one transaction at most. */
const MAX_BATCH = 200;

export interface BoardCommandAck {
  seq: number;
  change: PublicChange;
  /** After a dot: the caller's dots on that note and dots left. */
  myDots?: { ideaId: string; count: number; left: number };
}

export type BoardSync = { mode: 'snapshot'; board: BoardView; me: BoardViewerExtras; serverTime: string } | { mode: 'changes'; changes: PublicChange[]; me: BoardViewerExtras; serverTime: string };

interface Pending {
  kind: 'write' | 'read';
  actor: BoardActor | null;
  command?: BoardCommand;
  since?: number | null;
  /** Written with the change, in its transaction (the outcomes when the board closes). */
  extra?: { minutes: string; publishedBy: string; workshopId: string };
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/**
 * Runs the live boards. Commands for one board are queued per instance and written in batches:
 * one transaction locks the board's row (so instances take turns) and, in the same round trip,
 * reads what other instances wrote since (the change log) to replay it, checks each command with
 * the pure rules, saves the changes with their sequence numbers and the rows they touch, and
 * commits; then each sender gets its ack and
 * the changes go to the board's topic through the realtime publisher. A command refused by the
 * rules changes nothing and is answered at once.
 */
@Injectable()
export class WorkshopBoardService {
  private readonly logger = new Logger(WorkshopBoardService.name);
  private readonly states = new Map<string, BoardState>();
  private readonly queues = new Map<string, Pending[]>();
  private readonly roles = new Map<string, { role: BoardRole | null; until: number }>();

  constructor(
    private readonly tx: TransactionService,
    private readonly store: BoardStore,
    private readonly access: WorkshopAccessService,
    private readonly publisher: RealtimePublisher,
  ) {}

  /** Facilitator, checked-in participant, or neither (null). */
  async roleOf(sessionId: string, userId: string, options: { fresh?: boolean } = {}): Promise<BoardRole | null> {
    const key = `${sessionId}:${userId}`;
    const known = this.roles.get(key);
    if (!options.fresh && known && known.until > Date.now()) return known.role;
    const role = (await this.access.isFacilitator(sessionId, userId)) ? 'facilitator' : (await this.access.isCheckedIn(sessionId, userId)) ? 'participant' : null;
    if (this.roles.size > 50_000) this.roles.clear();
    this.roles.set(key, { role, until: Date.now() + ROLE_TTL_MS });
    return role;
  }

  /** A `board` socket command. */
  async command(user: AuthUser | null, body: unknown): Promise<BoardCommandAck> {
    const { sessionId, command } = parseBoardCommand(body);
    const actor = await this.actor(sessionId, user);
    return (await this.enqueue(sessionId, { kind: 'write', actor, command })) as BoardCommandAck;
  }

  /** `board:sync`: the board now, or only the changes after `since` when the client is not too far behind. */
  async sync(user: AuthUser | null, projectorOf: (sessionId: string) => boolean, body: unknown): Promise<BoardSync> {
    const { sessionId, since } = parseSyncBody(body);
    const actor = user && (await this.roleOf(sessionId, user.id)) ? await this.actor(sessionId, user) : null;
    if (!actor && !projectorOf(sessionId)) throw notOnBoard();
    return (await this.enqueue(sessionId, { kind: 'read', actor, since })) as BoardSync;
  }

  /** Closes the board and publishes its outcomes (in the same transaction). */
  async close(user: AuthUser, sessionId: string, minutes: string): Promise<BoardOutcomes> {
    const actor = await this.actor(sessionId, user);
    const summary = await this.access.sessionSummary(sessionId);
    if (!summary) throw notOnBoard();
    await this.enqueue(sessionId, { kind: 'write', actor, command: { type: 'board.close' }, extra: { minutes, publishedBy: user.id, workshopId: summary.workshopId } });
    return (await this.outcomes(summary.workshopId)).find((o) => o.sessionId === sessionId)!;
  }

  /** The board as saved in the database, as a viewer sees it. */
  async saved(user: AuthUser, sessionId: string): Promise<{ board: BoardView; me: BoardViewerExtras }> {
    const actor = await this.actor(sessionId, user);
    const state = (await this.store.load(this.tx.manager, sessionId)) ?? emptyBoard(sessionId);
    return { board: toBoardView(state), me: viewerExtras(state, actor) };
  }

  async outcomes(workshopId: string): Promise<BoardOutcomes[]> {
    const rows = (await this.tx.manager.query(
      `SELECT session_id AS "sessionId", published_at AS "publishedAt", minutes, outcome FROM workshop_board_outcomes WHERE workshop_id = $1 ORDER BY published_at, session_id`,
      [workshopId],
    )) as Array<{ sessionId: string; publishedAt: Date; minutes: string; outcome: Omit<BoardOutcomes, 'sessionId' | 'publishedAt' | 'minutes'> }>;
    return rows.map((r) => ({ sessionId: r.sessionId, publishedAt: r.publishedAt.toISOString(), minutes: r.minutes, ...r.outcome }));
  }

  /** Creates (or replaces, revoking the former) the projector's secret key; returns its topic. */
  async newProjectorKey(user: AuthUser, sessionId: string): Promise<{ key: string; topic: string }> {
    const actor = await this.actor(sessionId, user);
    if (actor.role !== 'facilitator') throw new BoardError('BOARD_FACILITATOR_ONLY', 'forbidden', 'Only a facilitator of this session may do this');
    const key = randomBytes(24).toString('base64url');
    await this.store.setProjectorKey(sessionId, key);
    this.states.delete(sessionId);
    return { key, topic: projectorTopic(sessionId, key) };
  }

  async projectorKeyMatches(sessionId: string, key: string): Promise<boolean> {
    const stored = await this.store.projectorKey(sessionId);
    if (!stored || stored.length !== key.length) return false;
    return timingSafeEqual(Buffer.from(stored), Buffer.from(key));
  }

  private async actor(sessionId: string, user: AuthUser | null): Promise<BoardActor> {
    if (!user) throw notOnBoard();
    const role = await this.roleOf(sessionId, user.id);
    if (!role) throw notOnBoard();
    return { userId: user.id, role };
  }

  private enqueue(sessionId: string, item: Omit<Pending, 'resolve' | 'reject'>): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(sessionId);
      if (queue) {
        queue.push({ ...item, resolve, reject });
        return;
      }
      this.queues.set(sessionId, [{ ...item, resolve, reject }]);
      void this.drain(sessionId);
    });
  }

  private async drain(sessionId: string): Promise<void> {
    const queue = this.queues.get(sessionId)!;
    try {
      while (queue.length > 0) {
        const batch = queue.splice(0, MAX_BATCH);
        await this.runBatch(sessionId, batch);
      }
    } catch (error) {
      // Never leave a board's queue stuck: whoever still waits is told it failed.
      this.states.delete(sessionId);
      for (const item of queue.splice(0)) item.reject(error);
    } finally {
      this.queues.delete(sessionId);
    }
  }

  private async runBatch(sessionId: string, batch: Pending[]): Promise<void> {
    const written: Array<{ item: Pending; change: BoardChange; view: PublicChange }> = [];
    let projectorKey: string | null = null;
    let state: BoardState | undefined;
    try {
      await this.tx.run(async (m) => {
        state = this.states.get(sessionId);
        this.states.delete(sessionId); // put back only after commit
        const row = await this.store.lock(m, sessionId, state?.seq ?? null);
        projectorKey = row.projectorKey;
        if (!state || state.seq > row.seq || state.seq + row.changes.length !== row.seq) state = (await this.store.load(m, sessionId))!;
        else this.store.replay(state, row.changes);
        const touched = new Touched();
        const now = Date.now();
        for (const item of batch) {
          if (item.kind !== 'write') continue;
          try {
            const body = decide(state, item.actor!, item.command!, { now, newId: randomUUID });
            const change = { ...body, seq: state.seq + 1, at: now, actorId: item.actor!.userId } as BoardChange;
            const view = applyAndDescribe(state, change);
            touched.note(state, change);
            written.push({ item, change, view });
          } catch (error) {
            if (!(error instanceof DomainException)) throw error;
            item.reject(error);
          }
        }
        if (written.length) await this.store.save(m, state, written, touched);
        for (const { item, change } of written) {
          if (change.kind === 'board.closed' && item.extra) {
            await m.query(
              `INSERT INTO workshop_board_outcomes (session_id, workshop_id, published_by, minutes, outcome) VALUES ($1, $2, $3, $4, $5)`,
              [sessionId, item.extra.workshopId, item.extra.publishedBy, item.extra.minutes, JSON.stringify(outcomesOf(state))],
            );
          }
        }
      });
    } catch (error) {
      this.logger.error({ err: error }, `Board ${sessionId}: batch of ${batch.length} failed: ${(error as Error).message}`);
      for (const { item } of written) item.reject(error);
      for (const item of batch) if (item.kind === 'read') item.reject(error);
      return;
    }
    // A closed board no longer changes: no need to keep it in memory.
    if (state!.closed) this.states.delete(sessionId);
    else this.states.set(sessionId, state!);
    for (const { item, change, view } of written) item.resolve(this.ackOf(state!, change, view));
    if (written.length) this.publish(sessionId, projectorKey, written.map((w) => w.view));
    await this.answerReads(state!, batch.filter((item) => item.kind === 'read'));
  }

  /**
   * The batch's `board:sync` answers, after the commit and outside the lock: the board as this
   * batch left it (in memory, read before any await, as the next batch will change it), or the
   * changes since each client's seq — one query for all of them, up to this batch's seq (the other
   * instance may have committed more since; those reach the client as broadcasts). Answering them
   * inside the locked transaction, one query each, held the board's lock while a crowd of
   * reconnecting clients was served, and the other instance waited for it (see the README).
   */
  private async answerReads(state: BoardState, reads: Pending[]): Promise<void> {
    if (reads.length === 0) return;
    const serverTime = new Date().toISOString();
    const fresh = (since: number | null | undefined): since is number => since !== null && since !== undefined && since <= state.seq && state.seq - since <= BOARD_LIMITS.maxCatchUp;
    const answers = reads.map((item) => ({ item, me: viewerExtras(state, item.actor), since: fresh(item.since) ? item.since : null }));
    let snapshot: BoardView | null = null;
    for (const a of answers) if (a.since === null) a.item.resolve({ mode: 'snapshot', board: (snapshot ??= toBoardView(state)), me: a.me, serverTime } satisfies BoardSync);
    const catchingUp = answers.filter((a): a is typeof a & { since: number } => a.since !== null);
    if (catchingUp.length === 0) return;
    try {
      const from = Math.min(...catchingUp.map((a) => a.since));
      const changes = await this.store.publicChangesSince(this.tx.manager, state.sessionId, from, state.seq);
      for (const a of catchingUp) a.item.resolve({ mode: 'changes', changes: changes.filter((c) => c.seq > a.since), me: a.me, serverTime } satisfies BoardSync);
    } catch (error) {
      for (const a of catchingUp) a.item.reject(error);
    }
  }

  private ackOf(state: BoardState, change: BoardChange, view: PublicChange): BoardCommandAck {
    if (change.kind !== 'dot.added' && change.kind !== 'dot.removed') return { seq: change.seq, change: view };
    const count = state.dots.get(change.ideaId)?.get(change.userId) ?? 0;
    const left = state.settings.dotsPerParticipant - (state.dotsByUser.get(change.userId) ?? 0);
    return { seq: change.seq, change: view, myDots: { ideaId: change.ideaId, count, left } };
  }

  /** After commit: the database has the changes whatever happens here; a client that misses them sees a gap in seq and syncs. */
  private publish(sessionId: string, projectorKey: string | null, changes: PublicChange[]): void {
    const rooms = projectorKey ? [boardTopic(sessionId), projectorTopic(sessionId, projectorKey)] : [boardTopic(sessionId)];
    const last = changes[changes.length - 1];
    this.publisher
      .publish(rooms, { id: `${sessionId}:${last.seq}`, type: BOARD_EVENT_TYPE, occurredAt: last.at, data: { sessionId, changes } })
      .catch((error: Error) => this.logger.warn(`Board ${sessionId}: changes up to ${last.seq} saved but not broadcast: ${error.message}`));
  }
}

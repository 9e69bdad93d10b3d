import { useEffect, useRef, useState } from 'preact/hooks';
import { hasMessage, useI18n } from '../../i18n';
import { command, onReconnect, subscribe } from '../../realtime/socket';
// The library's own replica (pure code, types only): the server's unit spec plays thousands of
// random commands through it, so the screens keep the board exactly as the bench and tests do
// instead of a second, hand-written copy of the protocol.
import { BoardReplica } from '../../../../../libs/workshops/src/board/board-client';
import type { BoardView, ClusterView, IdeaView, PublicChange } from '../../../../../libs/workshops/src/board/board.types';

export type { BoardView, ClusterView, IdeaView, PublicChange };
export type BoardPoll = BoardView['polls'][number];

/** What only this viewer sees (`me` of `board:sync`, kept current from the acks). */
export interface BoardMe {
  role: 'facilitator' | 'participant' | 'projector';
  myDots: Record<string, number>;
  myAnswers: Record<string, number[]>;
  myIdeas: string[];
  hidden?: { ideas: IdeaView[]; clusters: ClusterView[] };
}

export interface BoardRefusal {
  ok: false;
  error: { code: string; message: string; meta?: Record<string, unknown> };
}
type SyncAck = ({ ok: true; serverTime: string; me: BoardMe } & ({ mode: 'snapshot'; board: BoardView } | { mode: 'changes'; changes: PublicChange[] })) | BoardRefusal;
export type CommandAck = { ok: true; seq: number; change: PublicChange; myDots?: { ideaId: string; count: number; left: number } } | BoardRefusal;

/** Changes after which a facilitator's list of hidden notes and clusters is read again. */
const CHANGES_HIDDEN = new Set(['idea.hidden', 'idea.shown', 'cluster.hidden', 'cluster.shown', 'private']);

/**
 * One session's live board through the app's socket: subscribes to `topic` (the board's, or the
 * projector's secret one), loads `board:sync`, applies each broadcast in seq order (a gap that
 * stays open, or a reconnection, syncs again with `since`), and sends commands. `offset` is the
 * server's clock minus ours, so every screen counts the timer down together.
 */
export function useBoard(sessionId: string, topic: string) {
  const { t } = useI18n();
  const replica = useRef(new BoardReplica());
  const [, redraw] = useState(0);
  const [me, setMe] = useState<BoardMe | null>(null);
  const [live, setLive] = useState(false);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [offset, setOffset] = useState(0);
  const meRef = useRef<BoardMe | null>(null);
  meRef.current = me;

  const refusalText = (r: BoardRefusal) => {
    const key = `error.${r.error.code}`;
    return hasMessage(key) ? t(key) : r.error.message;
  };

  const sync = async (since?: number) => {
    const ack = await command<SyncAck>('board:sync', { sessionId, ...(since === undefined ? {} : { since }) });
    if (!ack) return;
    if (!ack.ok) return setRefusal(refusalText(ack));
    setRefusal(null);
    setOffset(Date.parse(ack.serverTime) - Date.now());
    replica.current.load(ack as Parameters<BoardReplica['load']>[0]);
    setMe({ ...ack.me, myDots: { ...replica.current.myDots } });
    redraw((n) => n + 1);
  };

  useEffect(() => {
    let current = true;
    let catchUp: ReturnType<typeof setTimeout> | undefined;
    replica.current = new BoardReplica();
    const receive = (changes: PublicChange[]) => {
      const board = replica.current;
      if (!board.view) return;
      board.receive(changes);
      if (board.behind && !catchUp) {
        catchUp = setTimeout(() => {
          catchUp = undefined;
          if (current && replica.current.behind) void sync(replica.current.seq);
        }, 500);
      }
      // A facilitator also lists what is hidden, which broadcasts do not carry: read it again.
      if (meRef.current?.role === 'facilitator' && changes.some((c) => CHANGES_HIDDEN.has(c.kind))) void sync();
      else {
        setMe((m) => m && { ...m, myDots: { ...board.myDots } });
        redraw((n) => n + 1);
      }
    };
    const stop = subscribe(
      topic,
      (event) => {
        const data = event.data as { sessionId?: string; changes?: PublicChange[] };
        if (current && event.type === 'workshop.board.changes' && data.sessionId === sessionId && data.changes) receive(data.changes);
      },
      (ok) => {
        setLive(ok);
        // Accepted: load the board (again). Refused: board:sync says why.
        if (current && (ok || !replica.current.view)) void sync(replica.current.view ? replica.current.seq : undefined);
      },
    );
    const stopReconnect = onReconnect(() => void sync(replica.current.view ? replica.current.seq : undefined));
    return () => {
      current = false;
      clearTimeout(catchUp);
      stop();
      stopReconnect();
    };
  }, [sessionId, topic]);

  /** Sends a board command; the ack's change is applied at once (its broadcast is then "old"). */
  const act = async (type: string, fields: Record<string, unknown> = {}): Promise<CommandAck | null> => {
    const ack = await command<CommandAck>('board', { sessionId, type, ...fields });
    if (!ack?.ok) return ack;
    const board = replica.current;
    board.receive([ack.change]);
    if (ack.myDots) {
      if (ack.myDots.count > 0) board.myDots[ack.myDots.ideaId] = ack.myDots.count;
      else delete board.myDots[ack.myDots.ideaId];
    }
    setMe((m) => {
      if (!m) return m;
      const next = { ...m, myDots: { ...board.myDots } };
      if (ack.change.kind === 'idea.posted') next.myIdeas = [...m.myIdeas, ack.change.idea.id];
      if (type === 'poll.answer') next.myAnswers = { ...m.myAnswers, [fields.pollId as string]: fields.choices as number[] };
      return next;
    });
    if (board.behind) void sync(board.seq);
    if (meRef.current?.role === 'facilitator' && CHANGES_HIDDEN.has(ack.change.kind)) void sync();
    redraw((n) => n + 1);
    return ack;
  };

  return { board: replica.current.view, me, live, refusal, offset, act, refusalText };
}

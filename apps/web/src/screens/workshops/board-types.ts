/**
 * The live board's messages as the participant's screen reads them, written by hand from
 * libs/workshops/src/board/board.types.ts (socket messages are not in the OpenAPI document).
 * Only what this screen uses: notes, the phase, whether the board is closed.
 */
export type BoardPhase = 'collect' | 'cluster' | 'vote' | 'results';

export interface BoardIdea {
  id: string;
  text: string;
  clusterId: string | null;
  version: number;
  createdSeq: number;
}

export interface BoardSnapshot {
  sessionId: string;
  seq: number;
  phase: BoardPhase;
  closed: boolean;
  ideas: BoardIdea[];
}

/** A broadcast change: the kinds this screen applies; any other only moves `seq` on. */
export type BoardChange = { seq: number } & (
  | { kind: 'idea.posted' | 'idea.shown'; idea: BoardIdea }
  | { kind: 'idea.edited'; ideaId: string; text: string; version: number }
  | { kind: 'idea.hidden'; ideaId: string }
  | { kind: 'cluster.shown'; ideas: BoardIdea[] }
  | { kind: 'phase.changed'; phase: BoardPhase }
  | { kind: 'board.closed' }
  | { kind: 'cluster.hidden' | 'cluster.merged' | 'idea.moved' | 'private' | 'other' }
);

export interface BoardRefusal {
  ok: false;
  error: { code: string; message: string };
}

export type SyncAck = { ok: true; mode: 'snapshot'; board: BoardSnapshot; me: { myIdeas: string[] } } | BoardRefusal;
export type CommandAck = { ok: true; seq: number; change: BoardChange } | BoardRefusal;

/**
 * Applies changes in seq order. Returns null when a change is missing (a gap) or one this screen
 * cannot apply on its own (a cluster hidden hides its notes): the caller syncs a fresh snapshot.
 */
export function applyChanges(board: BoardSnapshot, changes: BoardChange[]): BoardSnapshot | null {
  let next = board;
  for (const change of [...changes].sort((a, b) => a.seq - b.seq)) {
    if (change.seq <= next.seq) continue; // already applied (a redelivery, or our own ack first)
    if (change.seq !== next.seq + 1) return null;
    let ideas = next.ideas;
    let { phase, closed } = next;
    switch (change.kind) {
      case 'idea.posted':
      case 'idea.shown':
        ideas = [...ideas.filter((i) => i.id !== change.idea.id), change.idea];
        break;
      case 'idea.edited':
        ideas = ideas.map((i) => (i.id === change.ideaId ? { ...i, text: change.text, version: change.version } : i));
        break;
      case 'idea.hidden':
        ideas = ideas.filter((i) => i.id !== change.ideaId);
        break;
      case 'cluster.shown':
        ideas = [...ideas.filter((i) => !change.ideas.some((c) => c.id === i.id)), ...change.ideas];
        break;
      case 'phase.changed':
        phase = change.phase;
        break;
      case 'board.closed':
        closed = true;
        break;
      case 'cluster.hidden':
      case 'cluster.merged':
        return null;
    }
    next = { ...next, seq: change.seq, ideas, phase, closed };
  }
  return next;
}

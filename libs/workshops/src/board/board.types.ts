/**
 * The live board of one workshop session: what the server keeps (BoardState, with who wrote and
 * who voted what), what every viewer on the board sees (BoardView), the commands clients send and
 * the changes they cause. Every change has the board's next sequence number; the database stores
 * each change with it (workshop_board_changes) in the transaction that applies it.
 */

export const BOARD_PHASES = ['collect', 'cluster', 'vote', 'results'] as const;
export type BoardPhase = (typeof BOARD_PHASES)[number];

export type BoardRole = 'facilitator' | 'participant';

export interface BoardActor {
  userId: string;
  role: BoardRole;
}

export interface BoardSettings {
  /** Dots each person may place on the board. */
  dotsPerParticipant: number;
  /** Dots one person may place on a single idea. */
  maxDotsPerIdea: number;
}

/** A countdown: `endsAt` (ms since epoch, server clock) while running, `remainingMs` while paused. */
export interface TimerState {
  status: 'idle' | 'running' | 'paused';
  endsAt: number | null;
  remainingMs: number | null;
}

export interface Idea {
  id: string;
  authorId: string | null;
  text: string;
  clusterId: string | null;
  hidden: boolean;
  /** The seq of the last change to this idea: an edit must name it (else BOARD_STALE_VERSION). */
  version: number;
  createdSeq: number;
}

export interface Cluster {
  id: string;
  title: string;
  hidden: boolean;
  version: number;
  createdSeq: number;
}

export interface Poll {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  status: 'open' | 'closed';
  createdSeq: number;
  /** userId → chosen option indexes. */
  answers: Map<string, number[]>;
}

export interface BoardState {
  sessionId: string;
  seq: number;
  phase: BoardPhase;
  /** Outcomes published: the board no longer changes. */
  closed: boolean;
  settings: BoardSettings;
  votesRevealed: boolean;
  timer: TimerState;
  ideas: Map<string, Idea>;
  clusters: Map<string, Cluster>;
  /** ideaId → userId → dots. */
  dots: Map<string, Map<string, number>>;
  /** userId → dots placed in all. */
  dotsByUser: Map<string, number>;
  polls: Map<string, Poll>;
}

/** A change as stored: full facts, including who wrote or voted. */
export type BoardChangeBody =
  | { kind: 'idea.posted'; idea: { id: string; authorId: string; text: string } }
  | { kind: 'idea.edited'; ideaId: string; text: string }
  | { kind: 'idea.moved'; ideaId: string; clusterId: string | null }
  | { kind: 'idea.hidden'; ideaId: string }
  | { kind: 'idea.shown'; ideaId: string }
  | { kind: 'cluster.created'; cluster: { id: string; title: string } }
  | { kind: 'cluster.renamed'; clusterId: string; title: string }
  | { kind: 'cluster.merged'; fromId: string; intoId: string }
  | { kind: 'cluster.hidden'; clusterId: string }
  | { kind: 'cluster.shown'; clusterId: string }
  | { kind: 'dot.added'; ideaId: string; userId: string }
  | { kind: 'dot.removed'; ideaId: string; userId: string }
  | { kind: 'votes.revealed' }
  | { kind: 'phase.changed'; phase: BoardPhase }
  | { kind: 'settings.changed'; settings: BoardSettings }
  | { kind: 'timer.changed'; timer: TimerState }
  | { kind: 'poll.opened'; poll: { id: string; question: string; options: string[]; multiple: boolean } }
  | { kind: 'poll.answered'; pollId: string; userId: string; choices: number[] }
  | { kind: 'poll.closed'; pollId: string }
  | { kind: 'board.closed' };

export type BoardChange = BoardChangeBody & { seq: number; at: number; actorId: string | null };

// ---- What viewers see ----

export interface IdeaView {
  id: string;
  text: string;
  clusterId: string | null;
  version: number;
  createdSeq: number;
  /** Dots on it, once the facilitator revealed them; null before. */
  dots: number | null;
}

export interface ClusterView {
  id: string;
  title: string;
  version: number;
  createdSeq: number;
}

export interface PollView {
  id: string;
  question: string;
  options: string[];
  multiple: boolean;
  status: 'open' | 'closed';
  createdSeq: number;
  counts: number[];
  voters: number;
}

export interface TimerView {
  status: TimerState['status'];
  endsAt: string | null;
  remainingMs: number | null;
}

/** The board as every viewer (participant, facilitator, projector) sees it: no hidden item, no one's vote. */
export interface BoardView {
  sessionId: string;
  seq: number;
  phase: BoardPhase;
  closed: boolean;
  settings: BoardSettings;
  votesRevealed: boolean;
  timer: TimerView;
  /** Dots placed on the board in all (progress, leaks no idea's count). */
  dotsCast: number;
  ideas: IdeaView[];
  clusters: ClusterView[];
  polls: PollView[];
}

/** What one signed-in viewer alone sees: their own dots, answers and notes; facilitators also the hidden items. */
export interface BoardViewerExtras {
  role: BoardRole | 'projector';
  myDots: Record<string, number>;
  myAnswers: Record<string, number[]>;
  myIdeas: string[];
  hidden?: { ideas: IdeaView[]; clusters: ClusterView[] };
}

/**
 * A change as broadcast on the board's topic. Changes nobody but facilitators may see (an edit
 * of a hidden note, a vote before the reveal) keep their seq so clients see no gap, without content.
 */
export type PublicChangeBody =
  | { kind: 'private' }
  | { kind: 'idea.posted'; idea: IdeaView }
  | { kind: 'idea.edited'; ideaId: string; text: string; version: number }
  | { kind: 'idea.moved'; ideaId: string; clusterId: string | null; version: number }
  | { kind: 'idea.hidden'; ideaId: string; dotsCast: number }
  | { kind: 'idea.shown'; idea: IdeaView }
  | { kind: 'cluster.created'; cluster: ClusterView }
  | { kind: 'cluster.renamed'; clusterId: string; title: string; version: number }
  | { kind: 'cluster.merged'; fromId: string; intoId: string }
  | { kind: 'cluster.hidden'; clusterId: string; dotsCast: number }
  | { kind: 'cluster.shown'; cluster: ClusterView; ideas: IdeaView[]; dotsCast: number }
  | { kind: 'dots'; dotsCast: number; ideaId?: string; total?: number }
  | { kind: 'votes.revealed'; totals: Record<string, number> }
  | { kind: 'phase.changed'; phase: BoardPhase }
  | { kind: 'settings.changed'; settings: BoardSettings }
  | { kind: 'timer.changed'; timer: TimerView }
  | { kind: 'poll.opened'; poll: PollView }
  | { kind: 'poll.answered'; pollId: string; counts: number[]; voters: number }
  | { kind: 'poll.closed'; pollId: string }
  | { kind: 'board.closed' };

export type PublicChange = PublicChangeBody & { seq: number; at: string };

/** Client → server: `board` `{ sessionId, type, ...fields }`. */
export type BoardCommand =
  | { type: 'idea.post'; text: string }
  | { type: 'idea.edit'; ideaId: string; text: string; version: number }
  | { type: 'idea.move'; ideaId: string; clusterId: string | null; version: number }
  | { type: 'idea.hide'; ideaId: string }
  | { type: 'idea.show'; ideaId: string }
  | { type: 'cluster.create'; title: string }
  | { type: 'cluster.rename'; clusterId: string; title: string; version: number }
  | { type: 'cluster.merge'; fromId: string; intoId: string }
  | { type: 'cluster.hide'; clusterId: string }
  | { type: 'cluster.show'; clusterId: string }
  | { type: 'dot.add'; ideaId: string }
  | { type: 'dot.remove'; ideaId: string }
  | { type: 'votes.reveal' }
  | { type: 'phase.set'; phase: BoardPhase }
  | { type: 'settings.set'; dotsPerParticipant: number; maxDotsPerIdea: number }
  | { type: 'timer.start'; seconds: number }
  | { type: 'timer.pause' }
  | { type: 'timer.resume' }
  | { type: 'timer.add'; seconds: number }
  | { type: 'timer.reset' }
  | { type: 'poll.open'; question: string; options: string[]; multiple: boolean }
  | { type: 'poll.answer'; pollId: string; choices: number[] }
  | { type: 'poll.close'; pollId: string }
  /** Not a socket command: publishing the outcomes (HTTP) closes the board. */
  | { type: 'board.close' };

export const BOARD_LIMITS = {
  ideaText: 280,
  clusterTitle: 80,
  pollQuestion: 200,
  pollOption: 100,
  pollOptions: 10,
  ideasPerPerson: 50,
  ideasPerBoard: 3000,
  clustersPerBoard: 200,
  pollsPerBoard: 50,
  maxDots: 20,
  maxTimerSeconds: 4 * 3600,
  /** A client this many changes behind gets the whole board rather than the changes. */
  maxCatchUp: 500,
} as const;

export const DEFAULT_BOARD_SETTINGS: BoardSettings = { dotsPerParticipant: 5, maxDotsPerIdea: 3 };

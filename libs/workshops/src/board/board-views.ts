import { applyChange, dotsCast, dotsOn, ideaVisible } from './board-rules';
import {
  BoardChange,
  BoardState,
  BoardView,
  BoardViewerExtras,
  Cluster,
  ClusterView,
  Idea,
  IdeaView,
  Poll,
  PollView,
  PublicChange,
  PublicChangeBody,
  TimerState,
  TimerView,
} from './board.types';

const bySeq = <T extends { createdSeq: number }>(a: T, b: T) => a.createdSeq - b.createdSeq;

export function timerView(timer: TimerState): TimerView {
  return { status: timer.status, endsAt: timer.endsAt === null ? null : new Date(timer.endsAt).toISOString(), remainingMs: timer.remainingMs };
}

export function ideaView(state: BoardState, idea: Idea): IdeaView {
  return { id: idea.id, text: idea.text, clusterId: idea.clusterId, version: idea.version, createdSeq: idea.createdSeq, dots: state.votesRevealed ? dotsOn(state, idea.id) : null };
}

export function clusterView(cluster: Cluster): ClusterView {
  return { id: cluster.id, title: cluster.title, version: cluster.version, createdSeq: cluster.createdSeq };
}

export function pollView(poll: Poll): PollView {
  const counts = poll.options.map(() => 0);
  for (const choices of poll.answers.values()) for (const c of choices) counts[c]++;
  return { id: poll.id, question: poll.question, options: [...poll.options], multiple: poll.multiple, status: poll.status, createdSeq: poll.createdSeq, counts, voters: poll.answers.size };
}

/** The board every viewer sees. */
export function toBoardView(state: BoardState): BoardView {
  return {
    sessionId: state.sessionId,
    seq: state.seq,
    phase: state.phase,
    closed: state.closed,
    settings: { ...state.settings },
    votesRevealed: state.votesRevealed,
    timer: timerView(state.timer),
    dotsCast: dotsCast(state),
    ideas: [...state.ideas.values()].filter((i) => ideaVisible(state, i)).map((i) => ideaView(state, i)).sort(bySeq),
    clusters: [...state.clusters.values()].filter((c) => !c.hidden).map(clusterView).sort(bySeq),
    polls: [...state.polls.values()].map(pollView).sort(bySeq),
  };
}

/** What one viewer sees besides: their own dots, answers and notes; a facilitator, the hidden items. */
export function viewerExtras(state: BoardState, viewer: { userId: string; role: 'facilitator' | 'participant' } | null): BoardViewerExtras {
  if (!viewer) return { role: 'projector', myDots: {}, myAnswers: {}, myIdeas: [] };
  const myDots: Record<string, number> = {};
  for (const [ideaId, byUser] of state.dots) {
    const n = byUser.get(viewer.userId);
    if (n) myDots[ideaId] = n;
  }
  const myAnswers: Record<string, number[]> = {};
  for (const p of state.polls.values()) {
    const choices = p.answers.get(viewer.userId);
    if (choices) myAnswers[p.id] = [...choices];
  }
  const myIdeas = [...state.ideas.values()].filter((i) => i.authorId === viewer.userId && ideaVisible(state, i)).sort(bySeq).map((i) => i.id);
  const extras: BoardViewerExtras = { role: viewer.role, myDots, myAnswers, myIdeas };
  if (viewer.role === 'facilitator') {
    extras.hidden = {
      ideas: [...state.ideas.values()].filter((i) => !ideaVisible(state, i)).map((i) => ideaView(state, i)).sort(bySeq),
      clusters: [...state.clusters.values()].filter((c) => c.hidden).map(clusterView).sort(bySeq),
    };
  }
  return extras;
}

/**
 * Applies a change to the state and says what viewers see of it. A change that concerns only
 * hidden items, or a vote before the reveal, becomes `private` (or `dots` with the progress
 * only): it keeps its seq so clients notice no gap, and tells nothing.
 */
export function applyAndDescribe(state: BoardState, change: BoardChange): PublicChange {
  const wasVisible = (id: string) => {
    const i = state.ideas.get(id);
    return i !== undefined && ideaVisible(state, i);
  };
  let before = false;
  if (change.kind === 'idea.moved' || change.kind === 'idea.edited' || change.kind === 'idea.hidden' || change.kind === 'idea.shown') before = wasVisible(change.ideaId);
  if (change.kind === 'cluster.hidden' || change.kind === 'cluster.shown' || change.kind === 'cluster.renamed') before = state.clusters.get(change.clusterId)?.hidden === false;
  applyChange(state, change);
  return { ...describe(state, change, before), seq: change.seq, at: new Date(change.at).toISOString() };
}

function describe(state: BoardState, change: BoardChange, before: boolean): PublicChangeBody {
  const PRIVATE: PublicChangeBody = { kind: 'private' };
  switch (change.kind) {
    case 'idea.posted':
      return { kind: 'idea.posted', idea: ideaView(state, state.ideas.get(change.idea.id)!) };
    case 'idea.edited': {
      const i = state.ideas.get(change.ideaId)!;
      return before ? { kind: 'idea.edited', ideaId: i.id, text: i.text, version: i.version } : PRIVATE;
    }
    case 'idea.moved': {
      const i = state.ideas.get(change.ideaId)!;
      const after = ideaVisible(state, i);
      if (before && after) return { kind: 'idea.moved', ideaId: i.id, clusterId: i.clusterId, version: i.version };
      if (!before && after) return { kind: 'idea.shown', idea: ideaView(state, i) };
      return PRIVATE;
    }
    case 'idea.hidden':
      return before ? { kind: 'idea.hidden', ideaId: change.ideaId, dotsCast: dotsCast(state) } : PRIVATE;
    case 'idea.shown': {
      const i = state.ideas.get(change.ideaId)!;
      return !before && ideaVisible(state, i) ? { kind: 'idea.shown', idea: ideaView(state, i) } : PRIVATE;
    }
    case 'cluster.created':
      return { kind: 'cluster.created', cluster: clusterView(state.clusters.get(change.cluster.id)!) };
    case 'cluster.renamed': {
      const c = state.clusters.get(change.clusterId)!;
      return before ? { kind: 'cluster.renamed', clusterId: c.id, title: c.title, version: c.version } : PRIVATE;
    }
    case 'cluster.merged':
      return { kind: 'cluster.merged', fromId: change.fromId, intoId: change.intoId };
    case 'cluster.hidden':
      return { kind: 'cluster.hidden', clusterId: change.clusterId, dotsCast: dotsCast(state) };
    case 'cluster.shown': {
      const c = state.clusters.get(change.clusterId)!;
      const ideas = [...state.ideas.values()].filter((i) => i.clusterId === c.id && ideaVisible(state, i)).map((i) => ideaView(state, i)).sort(bySeq);
      return { kind: 'cluster.shown', cluster: clusterView(c), ideas, dotsCast: dotsCast(state) };
    }
    case 'dot.added':
    case 'dot.removed':
      return state.votesRevealed ? { kind: 'dots', dotsCast: dotsCast(state), ideaId: change.ideaId, total: dotsOn(state, change.ideaId) } : { kind: 'dots', dotsCast: dotsCast(state) };
    case 'votes.revealed': {
      const totals: Record<string, number> = {};
      for (const i of state.ideas.values()) if (ideaVisible(state, i)) totals[i.id] = dotsOn(state, i.id);
      return { kind: 'votes.revealed', totals };
    }
    case 'phase.changed':
      return { kind: 'phase.changed', phase: change.phase };
    case 'settings.changed':
      return { kind: 'settings.changed', settings: { ...change.settings } };
    case 'timer.changed':
      return { kind: 'timer.changed', timer: timerView(change.timer) };
    case 'poll.opened':
      return { kind: 'poll.opened', poll: pollView(state.polls.get(change.poll.id)!) };
    case 'poll.answered': {
      const view = pollView(state.polls.get(change.pollId)!);
      return { kind: 'poll.answered', pollId: view.id, counts: view.counts, voters: view.voters };
    }
    case 'poll.closed':
      return { kind: 'poll.closed', pollId: change.pollId };
    case 'board.closed':
      return { kind: 'board.closed' };
  }
}

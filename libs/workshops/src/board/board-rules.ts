import { BoardError, boardClosed, facilitatorOnly, notFound, staleVersion, wrongPhase } from './board.errors';
import {
  BOARD_LIMITS,
  BOARD_PHASES,
  BoardActor,
  BoardChange,
  BoardChangeBody,
  BoardCommand,
  BoardPhase,
  BoardState,
  Cluster,
  DEFAULT_BOARD_SETTINGS,
  Idea,
  Poll,
} from './board.types';

export interface DecideContext {
  /** The server's clock (ms), for the timer. */
  now: number;
  newId: () => string;
}

export function emptyBoard(sessionId: string): BoardState {
  return {
    sessionId,
    seq: 0,
    phase: 'collect',
    closed: false,
    settings: { ...DEFAULT_BOARD_SETTINGS },
    votesRevealed: false,
    timer: { status: 'idle', endsAt: null, remainingMs: null },
    ideas: new Map(),
    clusters: new Map(),
    dots: new Map(),
    dotsByUser: new Map(),
    polls: new Map(),
  };
}

/** Whether viewers see the idea: not hidden itself, nor in a hidden cluster. */
export function ideaVisible(state: BoardState, idea: Idea): boolean {
  if (idea.hidden) return false;
  return idea.clusterId === null || state.clusters.get(idea.clusterId)?.hidden !== true;
}

export function dotsOn(state: BoardState, ideaId: string): number {
  let total = 0;
  for (const n of state.dots.get(ideaId)?.values() ?? []) total += n;
  return total;
}

export function dotsCast(state: BoardState): number {
  let total = 0;
  for (const n of state.dotsByUser.values()) total += n;
  return total;
}

const requirePhase = (state: BoardState, ...phases: BoardPhase[]) => {
  if (!phases.includes(state.phase)) throw wrongPhase(phases, state.phase);
};
const requireFacilitator = (actor: BoardActor) => {
  if (actor.role !== 'facilitator') throw facilitatorOnly();
};
const limitReached = (what: string, max: number) => new BoardError('BOARD_LIMIT_REACHED', 'conflict', `At most ${max} ${what}`, { max });

function idea(state: BoardState, id: string): Idea {
  const found = state.ideas.get(id);
  if (!found) throw notFound('idea', id);
  return found;
}
/** For participants, an idea they cannot see does not exist. */
function visibleIdea(state: BoardState, id: string): Idea {
  const found = idea(state, id);
  if (!ideaVisible(state, found)) throw notFound('idea', id);
  return found;
}
function cluster(state: BoardState, id: string, visibleOnly = false): Cluster {
  const found = state.clusters.get(id);
  if (!found || (visibleOnly && found.hidden)) throw notFound('cluster', id);
  return found;
}
function poll(state: BoardState, id: string): Poll {
  const found = state.polls.get(id);
  if (!found) throw notFound('poll', id);
  return found;
}

/**
 * Checks a command against the board and says what changes; throws a BoardError (and changes
 * nothing) when it may not happen. Pure: the state is only read.
 *
 * Concurrent edits: an edit, move or rename names the version (seq of the last change) of the
 * note or cluster it starts from; if that note changed since, it is refused with
 * BOARD_STALE_VERSION carrying the current note — nothing is silently overwritten. Hiding,
 * showing and merging are moderation and apply in sequence order.
 */
export function decide(state: BoardState, actor: BoardActor, command: BoardCommand, ctx: DecideContext): BoardChangeBody {
  if (state.closed) throw boardClosed();
  const facilitator = actor.role === 'facilitator';
  switch (command.type) {
    case 'idea.post': {
      if (facilitator) requirePhase(state, 'collect', 'cluster');
      else requirePhase(state, 'collect');
      if (state.ideas.size >= BOARD_LIMITS.ideasPerBoard) throw limitReached('notes on a board', BOARD_LIMITS.ideasPerBoard);
      let mine = 0;
      for (const i of state.ideas.values()) if (i.authorId === actor.userId) mine++;
      if (mine >= BOARD_LIMITS.ideasPerPerson) throw limitReached('notes per person', BOARD_LIMITS.ideasPerPerson);
      return { kind: 'idea.posted', idea: { id: ctx.newId(), authorId: actor.userId, text: command.text } };
    }
    case 'idea.edit': {
      requirePhase(state, 'collect', 'cluster');
      const target = facilitator ? idea(state, command.ideaId) : visibleIdea(state, command.ideaId);
      if (!facilitator && target.authorId !== actor.userId) throw new BoardError('BOARD_NOT_AUTHOR', 'forbidden', 'Only its author and the facilitators edit this note');
      if (target.version !== command.version) throw staleVersion('idea', ideaSummary(target), command.version);
      return { kind: 'idea.edited', ideaId: target.id, text: command.text };
    }
    case 'idea.move': {
      requireFacilitator(actor);
      requirePhase(state, 'collect', 'cluster');
      const target = idea(state, command.ideaId);
      if (command.clusterId !== null) cluster(state, command.clusterId, true);
      if (target.version !== command.version) throw staleVersion('idea', ideaSummary(target), command.version);
      return { kind: 'idea.moved', ideaId: target.id, clusterId: command.clusterId };
    }
    case 'idea.hide':
    case 'idea.show': {
      requireFacilitator(actor);
      const target = idea(state, command.ideaId);
      const hide = command.type === 'idea.hide';
      if (target.hidden === hide) throw new BoardError('BOARD_INVALID_COMMAND', 'conflict', `The note is already ${hide ? 'hidden' : 'shown'}`);
      return hide ? { kind: 'idea.hidden', ideaId: target.id } : { kind: 'idea.shown', ideaId: target.id };
    }
    case 'cluster.create':
      requireFacilitator(actor);
      requirePhase(state, 'collect', 'cluster');
      if (state.clusters.size >= BOARD_LIMITS.clustersPerBoard) throw limitReached('clusters on a board', BOARD_LIMITS.clustersPerBoard);
      return { kind: 'cluster.created', cluster: { id: ctx.newId(), title: command.title } };
    case 'cluster.rename': {
      requireFacilitator(actor);
      requirePhase(state, 'collect', 'cluster');
      const target = cluster(state, command.clusterId);
      if (target.version !== command.version) throw staleVersion('cluster', { id: target.id, title: target.title, version: target.version }, command.version);
      return { kind: 'cluster.renamed', clusterId: target.id, title: command.title };
    }
    case 'cluster.merge': {
      requireFacilitator(actor);
      requirePhase(state, 'collect', 'cluster');
      if (command.fromId === command.intoId) throw new BoardError('BOARD_INVALID_COMMAND', 'invalid', 'A cluster cannot be merged into itself', [{ field: 'intoId', code: 'BOARD_NOT_SAME', message: 'intoId must differ from fromId' }]);
      cluster(state, command.fromId, true);
      cluster(state, command.intoId, true);
      return { kind: 'cluster.merged', fromId: command.fromId, intoId: command.intoId };
    }
    case 'cluster.hide':
    case 'cluster.show': {
      requireFacilitator(actor);
      const target = cluster(state, command.clusterId);
      const hide = command.type === 'cluster.hide';
      if (target.hidden === hide) throw new BoardError('BOARD_INVALID_COMMAND', 'conflict', `The cluster is already ${hide ? 'hidden' : 'shown'}`);
      return hide ? { kind: 'cluster.hidden', clusterId: target.id } : { kind: 'cluster.shown', clusterId: target.id };
    }
    case 'dot.add': {
      requirePhase(state, 'vote');
      const target = visibleIdea(state, command.ideaId);
      const used = state.dotsByUser.get(actor.userId) ?? 0;
      const { dotsPerParticipant, maxDotsPerIdea } = state.settings;
      if (used >= dotsPerParticipant) throw new BoardError('BOARD_DOTS_EXHAUSTED', 'conflict', `You have placed all your ${dotsPerParticipant} dots; remove one first`, { dotsPerParticipant });
      const here = state.dots.get(target.id)?.get(actor.userId) ?? 0;
      if (here >= maxDotsPerIdea) throw new BoardError('BOARD_IDEA_DOT_LIMIT', 'conflict', `At most ${maxDotsPerIdea} of your dots on one note`, { maxDotsPerIdea });
      return { kind: 'dot.added', ideaId: target.id, userId: actor.userId };
    }
    case 'dot.remove': {
      requirePhase(state, 'vote');
      const target = visibleIdea(state, command.ideaId);
      if (!state.dots.get(target.id)?.get(actor.userId)) throw new BoardError('BOARD_NO_DOT_THERE', 'conflict', 'You have no dot on this note');
      return { kind: 'dot.removed', ideaId: target.id, userId: actor.userId };
    }
    case 'votes.reveal':
      requireFacilitator(actor);
      requirePhase(state, 'vote', 'results');
      if (state.votesRevealed) throw new BoardError('BOARD_ALREADY_REVEALED', 'conflict', 'The votes are already revealed');
      return { kind: 'votes.revealed' };
    case 'phase.set': {
      requireFacilitator(actor);
      const from = BOARD_PHASES.indexOf(state.phase);
      const to = BOARD_PHASES.indexOf(command.phase);
      if (Math.abs(to - from) !== 1) {
        const allowed = BOARD_PHASES.filter((_, i) => Math.abs(i - from) === 1);
        throw new BoardError('BOARD_WRONG_PHASE', 'conflict', `From ${state.phase} the board moves to ${allowed.join(' or ')} only`, { current: state.phase, allowed });
      }
      return { kind: 'phase.changed', phase: command.phase };
    }
    case 'settings.set':
      requireFacilitator(actor);
      requirePhase(state, 'collect', 'cluster');
      if (command.maxDotsPerIdea > command.dotsPerParticipant) {
        throw new BoardError('BOARD_INVALID_COMMAND', 'invalid', 'maxDotsPerIdea cannot exceed dotsPerParticipant', [
          { field: 'maxDotsPerIdea', code: 'MAX', message: 'must be at most dotsPerParticipant' },
        ]);
      }
      return { kind: 'settings.changed', settings: { dotsPerParticipant: command.dotsPerParticipant, maxDotsPerIdea: command.maxDotsPerIdea } };
    case 'timer.start':
      requireFacilitator(actor);
      return { kind: 'timer.changed', timer: { status: 'running', endsAt: ctx.now + command.seconds * 1000, remainingMs: null } };
    case 'timer.pause': {
      requireFacilitator(actor);
      const { timer } = state;
      if (timer.status !== 'running') throw timerState('running');
      return { kind: 'timer.changed', timer: { status: 'paused', endsAt: null, remainingMs: Math.max(0, timer.endsAt! - ctx.now) } };
    }
    case 'timer.resume': {
      requireFacilitator(actor);
      const { timer } = state;
      if (timer.status !== 'paused') throw timerState('paused');
      return { kind: 'timer.changed', timer: { status: 'running', endsAt: ctx.now + timer.remainingMs!, remainingMs: null } };
    }
    case 'timer.add': {
      requireFacilitator(actor);
      const { timer } = state;
      const delta = command.seconds * 1000;
      if (timer.status === 'running') return { kind: 'timer.changed', timer: { status: 'running', endsAt: Math.max(ctx.now, timer.endsAt! + delta), remainingMs: null } };
      if (timer.status === 'paused') return { kind: 'timer.changed', timer: { status: 'paused', endsAt: null, remainingMs: Math.max(0, timer.remainingMs! + delta) } };
      throw timerState('running or paused');
    }
    case 'timer.reset':
      requireFacilitator(actor);
      return { kind: 'timer.changed', timer: { status: 'idle', endsAt: null, remainingMs: null } };
    case 'poll.open':
      requireFacilitator(actor);
      if (state.polls.size >= BOARD_LIMITS.pollsPerBoard) throw limitReached('polls on a board', BOARD_LIMITS.pollsPerBoard);
      return { kind: 'poll.opened', poll: { id: ctx.newId(), question: command.question, options: command.options, multiple: command.multiple } };
    case 'poll.answer': {
      const target = poll(state, command.pollId);
      if (target.status !== 'open') throw new BoardError('BOARD_POLL_CLOSED', 'conflict', 'This poll is closed');
      if (!target.multiple && command.choices.length !== 1) throw new BoardError('BOARD_INVALID_COMMAND', 'invalid', 'Choose exactly one option', [{ field: 'choices', code: 'BOARD_SINGLE_CHOICE', message: 'exactly one option' }]);
      const outside = command.choices.find((c) => c >= target.options.length);
      if (outside !== undefined) throw new BoardError('BOARD_INVALID_COMMAND', 'invalid', `Option ${outside} does not exist`, [{ field: 'choices', code: 'BOARD_OUT_OF_RANGE', message: `options are 0 to ${target.options.length - 1}` }]);
      return { kind: 'poll.answered', pollId: target.id, userId: actor.userId, choices: command.choices };
    }
    case 'board.close':
      requireFacilitator(actor);
      requirePhase(state, 'results');
      return { kind: 'board.closed' };
    case 'poll.close': {
      requireFacilitator(actor);
      const target = poll(state, command.pollId);
      if (target.status !== 'open') throw new BoardError('BOARD_POLL_CLOSED', 'conflict', 'This poll is already closed');
      return { kind: 'poll.closed', pollId: target.id };
    }
  }
}

function timerState(needed: string): BoardError {
  return new BoardError('BOARD_TIMER_STATE', 'conflict', `The timer must be ${needed} for this`, { needed });
}

function ideaSummary(i: Idea) {
  return { id: i.id, text: i.text, clusterId: i.clusterId, version: i.version };
}

/** Removes every dot on an idea (it was hidden): they go back to their owners. */
function refund(state: BoardState, ideaId: string): void {
  const onIdea = state.dots.get(ideaId);
  if (!onIdea) return;
  for (const [userId, n] of onIdea) {
    const left = (state.dotsByUser.get(userId) ?? 0) - n;
    if (left > 0) state.dotsByUser.set(userId, left);
    else state.dotsByUser.delete(userId);
  }
  state.dots.delete(ideaId);
}

/** Applies a decided (or stored) change to the state, in place; `seq` becomes the change's. */
export function applyChange(state: BoardState, change: BoardChange): void {
  const { seq } = change;
  switch (change.kind) {
    case 'idea.posted':
      state.ideas.set(change.idea.id, { ...change.idea, clusterId: null, hidden: false, version: seq, createdSeq: seq });
      break;
    case 'idea.edited':
      Object.assign(state.ideas.get(change.ideaId)!, { text: change.text, version: seq });
      break;
    case 'idea.moved':
      Object.assign(state.ideas.get(change.ideaId)!, { clusterId: change.clusterId, version: seq });
      break;
    case 'idea.hidden':
      Object.assign(state.ideas.get(change.ideaId)!, { hidden: true, version: seq });
      refund(state, change.ideaId);
      break;
    case 'idea.shown':
      Object.assign(state.ideas.get(change.ideaId)!, { hidden: false, version: seq });
      break;
    case 'cluster.created':
      state.clusters.set(change.cluster.id, { ...change.cluster, hidden: false, version: seq, createdSeq: seq });
      break;
    case 'cluster.renamed':
      Object.assign(state.clusters.get(change.clusterId)!, { title: change.title, version: seq });
      break;
    case 'cluster.merged':
      for (const i of state.ideas.values()) if (i.clusterId === change.fromId) Object.assign(i, { clusterId: change.intoId, version: seq });
      state.clusters.delete(change.fromId);
      break;
    case 'cluster.hidden':
      Object.assign(state.clusters.get(change.clusterId)!, { hidden: true, version: seq });
      for (const i of state.ideas.values()) if (i.clusterId === change.clusterId) refund(state, i.id);
      break;
    case 'cluster.shown':
      Object.assign(state.clusters.get(change.clusterId)!, { hidden: false, version: seq });
      break;
    case 'dot.added': {
      const onIdea = state.dots.get(change.ideaId) ?? new Map<string, number>();
      onIdea.set(change.userId, (onIdea.get(change.userId) ?? 0) + 1);
      state.dots.set(change.ideaId, onIdea);
      state.dotsByUser.set(change.userId, (state.dotsByUser.get(change.userId) ?? 0) + 1);
      break;
    }
    case 'dot.removed': {
      const onIdea = state.dots.get(change.ideaId)!;
      const left = onIdea.get(change.userId)! - 1;
      if (left > 0) onIdea.set(change.userId, left);
      else onIdea.delete(change.userId);
      if (onIdea.size === 0) state.dots.delete(change.ideaId);
      const total = state.dotsByUser.get(change.userId)! - 1;
      if (total > 0) state.dotsByUser.set(change.userId, total);
      else state.dotsByUser.delete(change.userId);
      break;
    }
    case 'votes.revealed':
      state.votesRevealed = true;
      break;
    case 'phase.changed':
      state.phase = change.phase;
      break;
    case 'settings.changed':
      state.settings = { ...change.settings };
      break;
    case 'timer.changed':
      state.timer = { ...change.timer };
      break;
    case 'poll.opened':
      state.polls.set(change.poll.id, { ...change.poll, status: 'open', createdSeq: seq, answers: new Map() });
      break;
    case 'poll.answered':
      state.polls.get(change.pollId)!.answers.set(change.userId, change.choices);
      break;
    case 'poll.closed':
      state.polls.get(change.pollId)!.status = 'closed';
      break;
    case 'board.closed':
      state.closed = true;
      for (const p of state.polls.values()) p.status = 'closed';
      state.timer = { status: 'idle', endsAt: null, remainingMs: null };
      break;
  }
  state.seq = seq;
}

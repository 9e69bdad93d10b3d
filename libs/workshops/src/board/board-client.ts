import { BoardView, IdeaView, PublicChange } from './board.types';

/**
 * How a client keeps its board: from a snapshot (`board:sync`), apply each broadcast change in
 * seq order. Returns 'gap' when a change is not the next one (a change was missed: ask
 * `board:sync` with `since: view.seq`), 'old' for one already applied (a redelivery), else
 * 'applied'. The server's own tests check that applying its broadcasts to a snapshot gives the
 * snapshot it would send now, so clients that do this end with the saved board.
 */
export function applyToView(view: BoardView, change: PublicChange): 'applied' | 'old' | 'gap' {
  if (change.seq <= view.seq) return 'old';
  if (change.seq !== view.seq + 1) return 'gap';
  const insert = (idea: IdeaView) => {
    // A new note is the newest: append without scanning (thousands of notes, every client, every note).
    const last = view.ideas[view.ideas.length - 1];
    if (last === undefined || last.createdSeq < idea.createdSeq) {
      view.ideas.push(idea);
      return;
    }
    const at = view.ideas.findIndex((i) => i.createdSeq > idea.createdSeq);
    if (at === -1) view.ideas.push(idea);
    else view.ideas.splice(at, 0, idea);
  };
  switch (change.kind) {
    case 'private':
      break;
    case 'idea.posted':
      insert({ ...change.idea });
      break;
    case 'idea.edited':
      Object.assign(view.ideas.find((i) => i.id === change.ideaId)!, { text: change.text, version: change.version });
      break;
    case 'idea.moved':
      Object.assign(view.ideas.find((i) => i.id === change.ideaId)!, { clusterId: change.clusterId, version: change.version });
      break;
    case 'idea.hidden':
      view.ideas = view.ideas.filter((i) => i.id !== change.ideaId);
      view.dotsCast = change.dotsCast;
      break;
    case 'idea.shown':
      insert({ ...change.idea });
      break;
    case 'cluster.created':
      view.clusters.push({ ...change.cluster });
      break;
    case 'cluster.renamed':
      Object.assign(view.clusters.find((c) => c.id === change.clusterId)!, { title: change.title, version: change.version });
      break;
    case 'cluster.merged':
      for (const i of view.ideas) if (i.clusterId === change.fromId) Object.assign(i, { clusterId: change.intoId, version: change.seq });
      view.clusters = view.clusters.filter((c) => c.id !== change.fromId);
      break;
    case 'cluster.hidden':
      view.clusters = view.clusters.filter((c) => c.id !== change.clusterId);
      view.ideas = view.ideas.filter((i) => i.clusterId !== change.clusterId);
      view.dotsCast = change.dotsCast;
      break;
    case 'cluster.shown': {
      const at = view.clusters.findIndex((c) => c.createdSeq > change.cluster.createdSeq);
      if (at === -1) view.clusters.push({ ...change.cluster });
      else view.clusters.splice(at, 0, { ...change.cluster });
      for (const idea of change.ideas) insert({ ...idea });
      view.dotsCast = change.dotsCast;
      break;
    }
    case 'dots':
      view.dotsCast = change.dotsCast;
      if (change.ideaId !== undefined) view.ideas.find((i) => i.id === change.ideaId)!.dots = change.total!;
      break;
    case 'votes.revealed':
      view.votesRevealed = true;
      for (const i of view.ideas) i.dots = change.totals[i.id] ?? 0;
      break;
    case 'phase.changed':
      view.phase = change.phase;
      break;
    case 'settings.changed':
      view.settings = { ...change.settings };
      break;
    case 'timer.changed':
      view.timer = { ...change.timer };
      break;
    case 'poll.opened':
      view.polls.push({ ...change.poll, options: [...change.poll.options], counts: [...change.poll.counts] });
      break;
    case 'poll.answered':
      Object.assign(view.polls.find((p) => p.id === change.pollId)!, { counts: [...change.counts], voters: change.voters });
      break;
    case 'poll.closed':
      view.polls.find((p) => p.id === change.pollId)!.status = 'closed';
      break;
    case 'board.closed':
      view.closed = true;
      for (const p of view.polls) p.status = 'closed';
      view.timer = { status: 'idle', endsAt: null, remainingMs: null };
      break;
  }
  view.seq = change.seq;
  return 'applied';
}

/**
 * A viewer's own dots after a change (their acks say what they placed; a hidden note or cluster
 * gives its dots back). Keeps `myDots` right without the server broadcasting anyone's vote.
 */
export function refundOwnDots(myDots: Record<string, number>, view: BoardView, change: PublicChange): void {
  if (change.kind === 'idea.hidden') delete myDots[change.ideaId];
  if (change.kind === 'cluster.hidden') {
    const onBoard = new Set(view.ideas.map((i) => i.id));
    for (const ideaId of Object.keys(myDots)) if (!onBoard.has(ideaId)) delete myDots[ideaId];
  }
}

/**
 * A client's copy of the board: load the answer of `board:sync`, then feed every broadcast's
 * changes. Changes may arrive out of order (two API instances publish independently) or be
 * missed (a dropped connection): early ones wait for the missing seq; `behind` says a gap is
 * still open, and the client then syncs with `since: seq` (the server answers with only the
 * changes, or the whole board when too far behind).
 */
export class BoardReplica {
  view: BoardView | null = null;
  myDots: Record<string, number> = {};
  private readonly early = new Map<number, PublicChange>();

  get seq(): number {
    return this.view?.seq ?? -1;
  }

  /** Waiting changes beyond a gap. */
  get behind(): boolean {
    return this.early.size > 0;
  }

  load(sync: { mode: 'snapshot'; board: BoardView; me: { myDots: Record<string, number> } } | { mode: 'changes'; changes: PublicChange[]; me: { myDots: Record<string, number> } }): void {
    if (sync.mode === 'snapshot') this.view = structuredClone(sync.board);
    else this.receive(sync.changes);
    this.myDots = { ...sync.me.myDots };
    this.drain();
  }

  receive(changes: PublicChange[]): void {
    for (const change of changes) {
      if (!this.view || change.seq > this.view.seq + 1) {
        if (!this.view || change.seq > this.view.seq) this.early.set(change.seq, change);
        continue;
      }
      this.apply(change);
    }
    this.drain();
  }

  private apply(change: PublicChange): void {
    if (applyToView(this.view!, change) === 'applied') refundOwnDots(this.myDots, this.view!, change);
  }

  private drain(): void {
    if (!this.view) return;
    for (const seq of [...this.early.keys()].sort((a, b) => a - b)) {
      if (seq <= this.view.seq) this.early.delete(seq);
      else if (seq === this.view.seq + 1) {
        this.apply(this.early.get(seq)!);
        this.early.delete(seq);
      } else break;
    }
  }
}

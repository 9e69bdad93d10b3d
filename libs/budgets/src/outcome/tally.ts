import { Election } from './election';
import { naturalCompare } from './natural-order';

/** Per project: its score (approvals, points, or positional score) and how many ballots name it. */
export interface ProjectTally {
  id: string;
  cost: bigint;
  /** What greedy orders by: approvals, cumulative points, or the ordinal positional score. */
  score: number;
  /** Ballots that name the project (the "more votes" tie-break). */
  ballots: number;
}

/** Ordinal ballots: k, k-1, ..., 1 points for the 1st..k-th rank, k the longest ballot's length. */
export function defaultPositionalScores(election: Election): number[] {
  const k = election.ballots.reduce((m, b) => Math.max(m, b.projects.length), 0);
  return Array.from({ length: k }, (_, i) => k - i);
}

export function tallyOf(election: Election): Map<string, ProjectTally> {
  const tallies = new Map<string, ProjectTally>();
  for (const p of election.projects) tallies.set(p.id, { id: p.id, cost: p.cost, score: 0, ballots: 0 });
  const positional = election.voteType === 'ordinal' ? (election.positionalScores ?? defaultPositionalScores(election)) : null;
  for (const ballot of election.ballots) {
    ballot.projects.forEach((id, rank) => {
      const t = tallies.get(id);
      if (!t) throw new RangeError(`ballot names unknown project ${id}`);
      t.ballots += 1;
      if (positional) t.score += positional[rank] ?? 0;
      else if (election.voteType === 'cumulative' && ballot.points) t.score += ballot.points[rank];
      else t.score += 1;
    });
  }
  return tallies;
}

/** The stated tie-break: lower cost first, then more votes, then the project id in natural order. */
export function tieBreak(a: ProjectTally, b: ProjectTally): number {
  if (a.cost !== b.cost) return a.cost < b.cost ? -1 : 1;
  if (a.ballots !== b.ballots) return b.ballots - a.ballots;
  return naturalCompare(a.id, b.id);
}

/** Greedy order: score, most first; ties by `tieBreak`. */
export function greedyOrder(tallies: Iterable<ProjectTally>): ProjectTally[] {
  return [...tallies].sort((a, b) => (a.score !== b.score ? b.score - a.score : tieBreak(a, b)));
}

/**
 * `greedy`: projects by score, most first; each is funded if it still fits in what is left (skip
 * and continue). Projects no ballot names are never funded. With `already`, completes an outcome.
 */
export function greedyFill(tallies: Map<string, ProjectTally>, budget: bigint, already: readonly string[] = []): string[] {
  const chosen = new Set(already);
  let left = budget;
  for (const id of already) left -= tallies.get(id)!.cost;
  const added: string[] = [];
  for (const t of greedyOrder(tallies.values())) {
    if (chosen.has(t.id) || t.score <= 0) continue;
    if (t.cost <= left) {
      added.push(t.id);
      chosen.add(t.id);
      left -= t.cost;
    }
  }
  return added;
}

import type { ProblemIndex } from './panel-model';
import type { SelectionProblem } from './selection.types';

/**
 * A cheap pricing heuristic tried before the MIP: improve a known panel by single swaps (one
 * member out, one non-member in) that keep every quota and the household rule, taking the best
 * gain in weight each time. Column generation only needs *some* panel heavier than ŷ; the MIP is
 * called when this finds none, and it alone can prove that none exists.
 */
export class SwapSearch {
  /** quota indices of each member (one per feature). */
  private readonly memberQuotas: number[][];
  private readonly householdOf: (number | undefined)[];

  constructor(
    private readonly problem: SelectionProblem,
    index: ProblemIndex,
  ) {
    // memberQuotas[i][f] is the quota of person i's value for the f-th feature.
    const features = [...new Set(problem.quotas.map((q) => q.feature))];
    this.memberQuotas = problem.members.map(() => []);
    index.quotaMembers.forEach((members, q) => {
      const f = features.indexOf(problem.quotas[q].feature);
      members.forEach((i) => (this.memberQuotas[i][f] = q));
    });
    this.householdOf = problem.members.map(() => undefined);
    index.households.forEach((members, h) => members.forEach((i) => (this.householdOf[i] = h)));
  }

  /**
   * The panel reached from `start` by best-gain swaps (a local optimum, or `maxSwaps` swaps), with
   * its weight. Candidates are scanned by decreasing weight, so a scan stops at the first one that
   * fits or can no longer beat the best gain.
   */
  improve(start: readonly number[], weights: ArrayLike<number>, maxSwaps = start.length): { members: number[]; weight: number } {
    const n = this.problem.members.length;
    const inPanel = new Uint8Array(n);
    const counts = new Array<number>(this.problem.quotas.length).fill(0);
    const householdUsed = new Map<number, number>();
    for (const i of start) {
      inPanel[i] = 1;
      for (const q of this.memberQuotas[i]) counts[q]++;
      const h = this.householdOf[i];
      if (h !== undefined) householdUsed.set(h, (householdUsed.get(h) ?? 0) + 1);
    }
    const byWeight = Array.from({ length: n }, (_, i) => i).sort((a, b) => weights[b] - weights[a] || a - b);
    const members = [...start];
    for (let swap = 0; swap < maxSwaps; swap++) {
      let best = { gain: 1e-12, slot: -1, into: -1 };
      for (let slot = 0; slot < members.length; slot++) {
        const out = members[slot];
        for (const into of byWeight) {
          if (weights[into] - weights[out] <= best.gain) break;
          if (inPanel[into]) continue;
          const h = this.householdOf[into];
          if (h !== undefined && h !== this.householdOf[out] && (householdUsed.get(h) ?? 0) > 0) continue;
          if (!this.swapKeepsQuotas(this.memberQuotas[out], this.memberQuotas[into], counts)) continue;
          best = { gain: weights[into] - weights[out], slot, into };
          break;
        }
      }
      if (best.slot < 0) break;
      const out = members[best.slot];
      // The person swapped out stays marked so that a later swap cannot undo this one.
      inPanel[best.into] = 1;
      for (const q of this.memberQuotas[out]) counts[q]--;
      for (const q of this.memberQuotas[best.into]) counts[q]++;
      const ho = this.householdOf[out];
      if (ho !== undefined) householdUsed.set(ho, householdUsed.get(ho)! - 1);
      const hi = this.householdOf[best.into];
      if (hi !== undefined) householdUsed.set(hi, (householdUsed.get(hi) ?? 0) + 1);
      members[best.slot] = best.into;
    }
    members.sort((a, b) => a - b);
    return { members, weight: members.reduce((s, i) => s + weights[i], 0) };
  }

  private swapKeepsQuotas(outQuotas: number[], inQuotas: number[], counts: number[]): boolean {
    const { quotas } = this.problem;
    for (let f = 0; f < outQuotas.length; f++) {
      const a = outQuotas[f];
      const b = inQuotas[f];
      if (a === b) continue;
      if (counts[a] - 1 < quotas[a].min || counts[b] + 1 > quotas[b].max) return false;
    }
    return true;
  }
}

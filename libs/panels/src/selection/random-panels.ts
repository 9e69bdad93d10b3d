import type { ProblemIndex } from './panel-model';
import type { SelectionProblem } from './selection.types';

/**
 * Random walks over valid panels, to seed the column generation with diverse columns at the cost
 * of a few array reads per step (the best-gain swap heuristic costs ~100 ms per panel on 2,000
 * people when the weights are nearly equal, the MIP more). Deterministic: the generator is
 * seeded, so the same input yields the same panels and the same lottery.
 */
export class RandomPanels {
  private readonly memberQuotas: Int32Array[];
  private readonly featureOfQuota: Int32Array;
  private readonly householdOf: Int32Array;
  private state: number;

  constructor(
    private readonly problem: SelectionProblem,
    index: ProblemIndex,
    seed = 0x5eed,
  ) {
    const features = [...new Set(problem.quotas.map((q) => q.feature))];
    this.featureOfQuota = Int32Array.from(problem.quotas, (q) => features.indexOf(q.feature));
    // memberQuotas[i][f]: the quota of person i's value for the f-th feature.
    this.memberQuotas = problem.members.map(() => new Int32Array(features.length));
    index.quotaMembers.forEach((members, q) => members.forEach((i) => (this.memberQuotas[i][this.featureOfQuota[q]] = q)));
    this.householdOf = new Int32Array(problem.members.length).fill(-1);
    index.households.forEach((members, h) => members.forEach((i) => (this.householdOf[i] = h)));
    this.state = seed >>> 0;
  }

  /** mulberry32: small, fast, and the same sequence on every run. */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /**
   * A valid panel reached from the valid panel `start` by `steps` random swap attempts: one member
   * out (uniformly), one pool member in (in proportion to `weights`), kept when every quota and
   * the household rule still hold. Each attempt costs a few array reads.
   */
  walk(start: readonly number[], weights: ArrayLike<number>, people: readonly number[], steps: number): number[] {
    const { quotas } = this.problem;
    const n = this.problem.members.length;
    const cumulative = new Float64Array(people.length);
    let total = 0;
    people.forEach((i, j) => (cumulative[j] = total += Math.max(weights[i], 0)));
    const inPanel = new Uint8Array(n);
    const counts = new Int32Array(quotas.length);
    const seated = new Int32Array(Math.max(1, this.householdOf.reduce((m, h) => Math.max(m, h + 1), 0)));
    const members = [...start];
    for (const i of members) {
      inPanel[i] = 1;
      for (const q of this.memberQuotas[i]) counts[q]++;
      if (this.householdOf[i] >= 0) seated[this.householdOf[i]]++;
    }
    for (let step = 0; step < steps && total > 0; step++) {
      const slot = Math.floor(this.random() * members.length);
      const out = members[slot];
      const target = this.random() * total;
      let lo = 0;
      let hi = people.length - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cumulative[mid] > target) hi = mid;
        else lo = mid + 1;
      }
      const into = people[lo];
      if (inPanel[into]) continue;
      const h = this.householdOf[into];
      if (h >= 0 && h !== this.householdOf[out] && seated[h] > 0) continue;
      const outQ = this.memberQuotas[out];
      const inQ = this.memberQuotas[into];
      let fits = true;
      for (let f = 0; f < outQ.length && fits; f++) {
        if (outQ[f] === inQ[f]) continue;
        if (counts[outQ[f]] - 1 < quotas[outQ[f]].min || counts[inQ[f]] + 1 > quotas[inQ[f]].max) fits = false;
      }
      if (!fits) continue;
      for (const q of outQ) counts[q]--;
      for (const q of inQ) counts[q]++;
      if (this.householdOf[out] >= 0) seated[this.householdOf[out]]--;
      if (h >= 0) seated[h]++;
      inPanel[out] = 0;
      inPanel[into] = 1;
      members[slot] = into;
    }
    return members.sort((a, b) => a - b);
  }
}

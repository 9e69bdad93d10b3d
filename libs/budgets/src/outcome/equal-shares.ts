import { Election } from './election';
import { Rational } from './rational';
import { ProjectTally, tieBreak } from './tally';

/**
 * The Method of Equal Shares with cost utilities (equalshares.net's rule; pabutools'
 * method_of_equal_shares with Cost_Sat), in exact arithmetic.
 *
 * Each voter starts with an equal share of the money. A project costing c is affordable when its
 * supporters hold at least c together; it is then paid by supporters splitting c as equally as
 * possible, each capped by what they have left: the maximal payment t solves Σ min(left_i, t) = c.
 * Each round the affordable project with the lowest t/c (the highest "effective vote count" c/t)
 * is chosen; ties: lower cost, more votes, id in natural order.
 *
 * Speed: identical ballots form one weighted group, and groups holding the same amount share one
 * "money class", so a round costs integer work per supporter and exact arithmetic only per
 * distinct amount. t/c never decreases for a project (money only goes down), so the rounds visit
 * projects by their last ratio and stop at the first that cannot beat the best (equalshares.net).
 */
export interface MesPreparedElection {
  projectIds: string[];
  costs: bigint[];
  tallies: ProjectTally[];
  groupWeight: number[];
  /** For each project, the groups (distinct ballots) that approve it. */
  supporters: Int32Array[];
  supporterWeight: number[];
  voters: number;
  budget: bigint;
}

export function prepareMes(election: Election, tallies: Map<string, ProjectTally>): MesPreparedElection {
  const index = new Map(election.projects.map((p, i) => [p.id, i]));
  const groups = new Map<string, number>();
  const groupWeight: number[] = [];
  const members: number[][] = election.projects.map(() => []);
  for (const ballot of election.ballots) {
    const ids = ballot.projects.map((id) => index.get(id)!).sort((a, b) => a - b);
    const key = ids.join(',');
    let g = groups.get(key);
    if (g === undefined) {
      g = groupWeight.length;
      groups.set(key, g);
      groupWeight.push(0);
      for (const p of ids) members[p].push(g);
    }
    groupWeight[g] += 1;
  }
  return {
    projectIds: election.projects.map((p) => p.id),
    costs: election.projects.map((p) => p.cost),
    tallies: election.projects.map((p) => tallies.get(p.id)!),
    groupWeight,
    supporters: members.map((m) => Int32Array.from(m)),
    supporterWeight: members.map((m) => m.reduce((s, g) => s + groupWeight[g], 0)),
    voters: election.ballots.length,
    budget: election.budget,
  };
}

export interface MesRun {
  /** Project indices, in the order MES selected them. */
  selected: number[];
  /** The maximal payment t of each selected project, same order. */
  payments: Rational[];
  cost: bigint;
  /** What voters have left at the end, together, and how many have nothing left. */
  leftover: { money: Rational; votersWithNothing: number };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a < 0n ? -a : a;
}

/** A bigint fraction as the nearest double (both parts shifted down to 64 bits first). */
function toDouble(num: bigint, den: bigint): number {
  const shift = BigInt(Math.max(0, Math.max(num.toString(2).length, den.toString(2).length) - 64));
  return Number(num >> shift) / Number(den >> shift);
}

/** Relative tolerance of the double screening; decisions inside it are taken in exact arithmetic. */
const SCREEN_TOLERANCE = 1e-6;

/**
 * One run of MES with every voter starting with `share`.
 *
 * Exactness: every amount is an integer over one common denominator D (D grows by the
 * denominator of each payment), rescaled lazily per class. Every decision — which project is
 * affordable, which is chosen, what each supporter pays — is taken in that exact arithmetic.
 * Speed: each class also carries a double, used only to screen out projects that cannot be the
 * best of a round by a margin (SCREEN_TOLERANCE, a million times the worst rounding error);
 * every project within the margin is then evaluated exactly. The result equals the pure exact
 * computation (the unit specs compare both on random elections).
 */
export function runMes(e: MesPreparedElection, share: Rational, options: { screening?: boolean } = {}): MesRun {
  const screening = options.screening ?? true;
  let D = share.den;
  const classValue: bigint[] = [share.num, 0n];
  const classApprox: number[] = [toDouble(share.num, share.den), 0];
  const classEpoch: number[] = [0, 0];
  const factor: bigint[] = [1n];
  const ZERO_CLASS = 1;
  const valueOf = (c: number): bigint => {
    const e0 = classEpoch[c];
    if (e0 !== factor.length - 1) {
      classValue[c] *= factor[e0];
      classEpoch[c] = factor.length - 1;
    }
    return classValue[c];
  };
  let classByValue = new Map<bigint, number>();
  const classOf = new Int32Array(e.groupWeight.length);
  const acc: number[] = [0, 0];
  const classWeight: number[] = [e.groupWeight.reduce((a, b) => a + b, 0), 0];
  const classFor = (value: bigint, approx: number): number => {
    if (value === 0n) return ZERO_CLASS;
    let c = classByValue.get(value);
    if (c === undefined) {
      c = classValue.length;
      classValue.push(value);
      classApprox.push(approx);
      classEpoch.push(factor.length - 1);
      classByValue.set(value, c);
      acc.push(0);
      classWeight.push(0);
    }
    return c;
  };

  /** The supporters of p by class: parallel arrays of classes and voter counts. */
  const classesOf = (p: number): { touched: number[]; weights: number[] } => {
    const touched: number[] = [];
    const sup = e.supporters[p];
    for (let k = 0; k < sup.length; k++) {
      const g = sup[k];
      const c = classOf[g];
      if (acc[c] === 0) touched.push(c);
      acc[c] += e.groupWeight[g];
    }
    const weights = touched.map((c) => acc[c]);
    for (const c of touched) acc[c] = 0;
    return { touched, weights };
  };

  /**
   * Exact maximal payment of p: t = num / (payers·D), or null when its supporters cannot pay
   * for it together. Poor/rich fixpoint (pabutools' affordability): t = (c - what the poor
   * hold) / the others, the poor being those holding less than t.
   */
  const exactPayment = (p: number): { num: bigint; payers: bigint } | null => {
    const { touched, weights } = classesOf(p);
    const costD = e.costs[p] * D;
    let rich = touched.map((_, i) => i);
    let paid = 0n;
    let payers = e.supporterWeight[p];
    for (;;) {
      const num = costD - paid;
      const den = BigInt(payers);
      const stillRich: number[] = [];
      for (const i of rich) {
        const v = valueOf(touched[i]);
        if (v * den < num) {
          paid += v * BigInt(weights[i]);
          payers -= weights[i];
        } else stillRich.push(i);
      }
      if (stillRich.length === rich.length) return { num, payers: den };
      if (payers === 0) return null;
      rich = stillRich;
    }
  };

  /** The same fixpoint in doubles: t, or NaN when clearly unaffordable, or -1 when too close to call. */
  const approxPayment = (p: number): number => {
    const { touched, weights } = classesOf(p);
    const cost = Number(e.costs[p]);
    let money = 0;
    for (let i = 0; i < touched.length; i++) money += classApprox[touched[i]] * weights[i];
    if (money < cost * (1 - SCREEN_TOLERANCE)) return NaN;
    if (money <= cost * (1 + SCREEN_TOLERANCE)) return -1;
    let rich = touched.map((_, i) => i);
    let paid = 0;
    let payers = e.supporterWeight[p];
    for (;;) {
      const t = (cost - paid) / payers;
      const stillRich: number[] = [];
      for (const i of rich) {
        const v = classApprox[touched[i]];
        if (v < t) {
          paid += v * weights[i];
          payers -= weights[i];
        } else stillRich.push(i);
      }
      if (stillRich.length === rich.length || payers <= 0) return t;
      rich = stillRich;
    }
  };

  // Per project, a lower bound of t/c (it never decreases within a run), as a double.
  const lastRatio: number[] = e.costs.map((c, p) => 1 / Math.max(1, e.supporterWeight[p]));
  let remaining = e.costs.map((_, p) => p).filter((p) => e.costs[p] > 0n && e.supporterWeight[p] > 0);
  const selected: number[] = [];
  const payments: Rational[] = [];
  let spent = 0n;

  for (;;) {
    remaining.sort((a, b) => lastRatio[a] - lastRatio[b]);
    // Screening: the best ratio in doubles, and the projects that may be within reach of it.
    let bestApprox = Infinity;
    const near: Array<{ p: number; ratio: number }> = [];
    const unaffordable = new Set<number>();
    for (const p of remaining) {
      if (lastRatio[p] * (1 - SCREEN_TOLERANCE) > bestApprox * (1 + SCREEN_TOLERANCE)) break;
      const t = screening ? approxPayment(p) : -1;
      if (Number.isNaN(t)) {
        unaffordable.add(p);
        continue;
      }
      const ratio = t < 0 ? -1 : t / Number(e.costs[p]);
      if (ratio >= 0) {
        lastRatio[p] = ratio;
        bestApprox = Math.min(bestApprox, ratio);
      }
      near.push({ p, ratio });
    }
    // Exact evaluation of every project that may be the best, then the stated tie-break.
    let best: number[] = [];
    let bestPayment: { num: bigint; payers: bigint } | null = null;
    const exact = new Map<number, { num: bigint; payers: bigint }>();
    for (const { p, ratio } of near) {
      if (ratio >= 0 && ratio * (1 - SCREEN_TOLERANCE) > bestApprox * (1 + SCREEN_TOLERANCE)) continue;
      const t = exactPayment(p);
      if (!t) {
        unaffordable.add(p);
        continue;
      }
      exact.set(p, t);
      lastRatio[p] = toDouble(t.num, t.payers * D * e.costs[p]);
      // Compare t/c exactly: num_p / (payers_p·c_p) against the best's.
      const order = bestPayment
        ? Math.sign(Number(t.num * bestPayment.payers * e.costs[best[0]] - bestPayment.num * t.payers * e.costs[p]))
        : -1;
      if (order < 0) {
        best = [p];
        bestPayment = t;
      } else if (order === 0) best.push(p);
    }
    if (unaffordable.size) remaining = remaining.filter((p) => !unaffordable.has(p));
    if (best.length === 0) break;
    const chosen = best.sort((a, b) => tieBreak(e.tallies[a], e.tallies[b]))[0];
    // t = num / (payers·D) = a / (k·D) reduced; amounts move to the denominator D·k (lazily).
    const { num, payers } = exact.get(chosen)!;
    const g = gcd(num, payers);
    const t = num / g;
    const k = payers / g;
    if (k !== 1n) {
      D *= k;
      for (let i = 0; i < factor.length; i++) factor[i] *= k;
      factor.push(1n);
    }
    classByValue = new Map();
    const tApprox = toDouble(t, D);
    selected.push(chosen);
    payments.push(Rational.of(t, D));
    spent += e.costs[chosen];
    remaining = remaining.filter((p) => p !== chosen);
    const next = new Map<number, number>();
    for (const grp of e.supporters[chosen]) {
      const c = classOf[grp];
      let n = next.get(c);
      if (n === undefined) {
        const value = valueOf(c);
        n = value > t ? classFor(value - t, classApprox[c] - tApprox) : ZERO_CLASS;
        next.set(c, n);
      }
      classOf[grp] = n;
      classWeight[c] -= e.groupWeight[grp];
      classWeight[n] += e.groupWeight[grp];
    }
  }
  let money = 0n;
  let votersWithNothing = 0;
  for (let c = 0; c < classValue.length; c++) {
    if (classWeight[c] === 0) continue;
    const v = valueOf(c);
    money += v * BigInt(classWeight[c]);
    if (v === 0n) votersWithNothing += classWeight[c];
  }
  return { selected, payments, cost: spent, leftover: { money: Rational.of(money, D), votersWithNothing } };
}

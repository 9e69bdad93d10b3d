import type { Highs } from 'highs';
import { highsSolver, highsVersion } from './highs-solver';
import { explainInfeasibility } from './infeasibility';
import { byMemberId, byQuotaKey } from './panel-draw';
import { PanelModel, ProblemIndex, indexProblem } from './panel-model';
import { RandomPanels } from './random-panels';
import { panelCounts, peopleTypes } from './people-types';
import { relaxationBound } from './relaxation-bound';
import { SwapSearch } from './swap-search';
import { typeLottery } from './class-lottery';
import type { SelectionDistribution, SelectionProblem } from './selection.types';

/** Bump when anything changes what distribution a given input yields (the draw depends on it). */
export const SELECTION_ALGORITHM = 'maximin-column-generation/6';

export function algorithmVersion(): string {
  return `${SELECTION_ALGORITHM}+highs@${highsVersion()}`;
}

/**
 * The column generation stops once the lottery's minimum is within this share of a proven upper
 * bound (the relaxation LP, the counting bound or a pricing MIP's dual bound): the answer's
 * `certifiedGap` is at most this, and usually 0 up to rounding.
 */
export const CERTIFIED_GAP = 1e-3;
/** A heuristic (swap) panel joins the master only if it beats ŷ by this much (probability units). */
const PRICING_TOLERANCE = 1e-4;
const MAX_PRICING_ROUNDS = 2000;
/** Known panels the swap heuristic starts from in each round. */
const SWAP_STARTS = 10;
/**
 * A master row (panel) not binding for this many solves in a row is dropped: the LP's cost per
 * simplex iteration grows with its rows, and the optimum only ever uses binding ones. A dropped
 * panel found again by pricing comes back.
 */
const STALE_SOLVES = 3;
/** Rounds between two checks of the class-level lottery against the certificate. */
const TYPE_CHECK = 10;

/**
 * Maximin selection (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 2021, "Fair algorithms for
 * selecting citizens' assemblies"): among all lotteries over valid panels, one that maximises the
 * smallest selection probability of anyone who can be selected at all.
 *
 * Column generation, as in their reference code: the dual LP ("min ŷ s.t. every known panel's
 * members have total weight ≤ ŷ, weights sum to 1") is solved over a growing set of panels; the
 * pricing MIP then looks for the panel of largest total weight under the quotas. If it exceeds ŷ
 * the panel is added; if not, ŷ is optimal over all panels, and the primal LP over the panels
 * found gives the lottery. HiGHS solves both (WebAssembly, no hand-written simplex).
 */
export interface MaximinOptions {
  /** Called after each LP solve of the column generation (benchmarks print it). */
  onProgress?: (progress: { round: number; minimum: number; upperBound: number; panels: number; milliseconds: number; classLotteryMinimum?: number }) => void;
}

export async function computeMaximinDistribution(input: SelectionProblem, options: MaximinOptions = {}): Promise<SelectionDistribution> {
  const started = Date.now();
  // The commitment is poolSnapshotHash and rulesHash, which ignore the order of the pool's rows
  // and of the quotas; the solver and the classes (whose order drives the draw's second stage) do
  // not. So the lottery is computed in the hashes' order: a function of what was committed.
  const problem: SelectionProblem = { ...input, members: [...input.members].sort(byMemberId), quotas: [...input.quotas].sort(byQuotaKey) };
  const highs = await highsSolver();
  const index = indexProblem(problem);
  const n = problem.members.length;
  const pricing = new PanelModel(highs, problem, index);
  const swaps = new SwapSearch(problem, index);
  try {
    const panels = new Map<string, number[]>();
    const add = (members: number[]): boolean => {
      const key = members.join(',');
      if (panels.has(key)) return false;
      panels.set(key, members);
      return true;
    };

    // 1. Cover everyone who can be covered. Weight 1 on the not yet covered: swaps from the last
    // panel first, the MIP when swaps cover nobody new; when the MIP covers nobody either, the
    // rest are on no valid panel at all.
    const first = pricing.best(new Float64Array(n).fill(1));
    if (!first) throw await explainInfeasibility(highs, problem, index);
    add(first.members);
    const covered = new Uint8Array(n);
    for (const i of first.members) covered[i] = 1;
    let last = first.members;
    let mipRounds = 1;
    for (;;) {
      const weights = Float64Array.from(covered, (c) => (c ? 0 : 1));
      // Everyone covered: the MIP would only confirm a weight of 0 (0.4 s on 2,000 people).
      if (!weights.some((w) => w > 0)) break;
      let next = swaps.improve(last, weights);
      if (next.weight < 0.5) {
        mipRounds++;
        const found = pricing.best(weights);
        if (!found || found.objective < 0.5) break;
        next = { members: found.members, weight: found.objective };
      }
      add(next.members);
      for (const i of next.members) covered[i] = 1;
      last = next.members;
    }
    const reachable = [...covered.keys()].filter((i) => covered[i]);
    const unreachable = [...covered.keys()].filter((i) => !covered[i]).map((i) => problem.members[i].id);

    // 2. Diverse starting panels (multiplicative weights, as in the reference code): each new
    // panel favours people the previous ones left out. Random walks from the last panel, not
    // swaps: as good a start for the LP, at a hundredth of the cost (5 s → 0.06 s for n = 2,000).
    const diversity = new Float64Array(n);
    for (const i of reachable) diversity[i] = 1;
    const walks = new RandomPanels(problem, index);
    for (let round = 0; round < Math.ceil((2 * reachable.length) / problem.panelSize); round++) {
      const next = { members: walks.walk(last, diversity, reachable, 4 * problem.panelSize) };
      add(next.members);
      for (const i of next.members) diversity[i] *= 0.8;
      const total = diversity.reduce((s, w) => s + w, 0);
      for (const i of reachable) diversity[i] *= reachable.length / total;
      last = next.members;
    }

    // 3. Column generation on the dual LP.
    const ceiling = Math.min(averageBound(problem, index, reachable.length, covered), relaxationBound(highs, problem, index, reachable));
    const dual = new DualMaster(highs, n, reachable);
    // Interchangeable people (people-types.ts) share their class's expected seats equally, so the
    // lottery over the same panels is solved per class: never worse than the master's ŷ, often
    // better, and checked every TYPE_CHECK rounds as a second way to reach the certificate.
    const { classes, classOf } = peopleTypes(problem, index);
    const reachableClasses = [...classes.keys()].filter((c) => covered[classes[c][0]]);
    let typed: TypedLottery | undefined;
    let lastTyped: number | undefined;
    let rounds = 0;
    let upperBound = ceiling;
    let support: number[][];
    try {
      for (const members of panels.values()) dual.addPanel(members);
      for (; rounds < MAX_PRICING_ROUNDS; rounds++) {
        const { weights, value } = dual.solve();
        if (value >= upperBound * (1 - CERTIFIED_GAP)) break;
        if (rounds > 0 && rounds % TYPE_CHECK === 0) {
          typed = classLottery(highs, classes, classOf, reachableClasses, dual.panels());
          lastTyped = typed.minimum;
          if (typed.minimum >= upperBound * (1 - CERTIFIED_GAP)) break;
          typed = undefined;
        }
        options.onProgress?.({ round: rounds, minimum: value, upperBound, panels: dual.size, milliseconds: Date.now() - started, classLotteryMinimum: lastTyped });
        dual.dropStale(STALE_SOLVES);
        // Swaps from the currently heaviest panels of the master; every distinct improving panel
        // found is added before the LP is solved again.
        let added = 0;
        for (const start of heaviest(dual.panels(), weights, SWAP_STARTS)) {
          const candidate = swaps.improve(start, weights);
          if (candidate.weight > value + PRICING_TOLERANCE && dual.addPanel(candidate.members)) {
            add(candidate.members);
            added++;
          }
        }
        if (added > 0) continue;
        mipRounds++;
        // Any improving panel will do while one exists: the MIP stops at its first incumbent
        // heavier than ŷ (Geneva: 30 → 20 s CPU), and runs to the end, proving the bound, only
        // when there is none.
        const best = pricing.best(weights, value + PRICING_TOLERANCE, 1);
        if (!best) throw new Error('pricing became infeasible');
        for (const members of best.others) if (dual.addPanel(members)) add(members);
        // Σ y = 1 and y ≥ 0, so no lottery gives everyone more than the heaviest panel's weight.
        upperBound = Math.min(upperBound, best.bound);
        if (value >= upperBound * (1 - CERTIFIED_GAP) || best.objective <= value) break;
        typed = undefined;
        add(best.members);
        if (!dual.addPanel(best.members)) break; // already in the master: numerically stalled, ŷ is optimal within tolerance
      }
      // The master's panels suffice for the lottery: by duality its primal reaches ŷ.
      support = dual.panels();
    } finally {
      dual.dispose();
    }

    typed ??= classLottery(highs, classes, classOf, reachableClasses, support);
    const lottery = typed.panels
      .map(({ panel, probability }) => ({ members: panel.map((i) => problem.members[i].id).sort(), probability }))
      .sort((a, b) => (a.members.join('\u0000') < b.members.join('\u0000') ? -1 : 1));
    const probabilities: Record<string, number> = {};
    problem.members.forEach((m, i) => (probabilities[m.id] = typed!.perPerson[classOf[i]]));
    const minimum = reachable.length ? Math.min(...reachable.map((i) => probabilities[problem.members[i].id])) : 0;
    return {
      algorithmVersion: algorithmVersion(),
      panels: lottery,
      probabilities,
      minimumProbability: minimum,
      minimumProbabilityUpperBound: Math.max(upperBound, minimum),
      certifiedGap: upperBound > minimum ? 1 - minimum / upperBound : 0,
      unreachable,
      // Classes of two or more interchangeable people (ids ascending): the draw chooses within them.
      classes: classes.filter((c) => c.length > 1).map((c) => c.map((i) => problem.members[i].id).sort()),
      stats: { panelsGenerated: panels.size, pricingRounds: rounds, mipRounds, milliseconds: Date.now() - started },
    };
  } finally {
    pricing.dispose();
  }
}

function heaviest(panels: number[][], weights: Float64Array, count: number): number[][] {
  return panels
    .map((members) => ({ members, weight: members.reduce((s, i) => s + weights[i], 0) }))
    .sort((a, b) => b.weight - a.weight)
    .slice(0, count)
    .map((p) => p.members);
}

/**
 * An upper bound on the minimum probability without any solver: the people having a value share
 * at most `max` seats, so one of them has probability ≤ max / (their number); likewise k / pool.
 * When the LP reaches it, it is optimal and pricing can stop.
 */
function averageBound(problem: SelectionProblem, index: ProblemIndex, reachableCount: number, covered: Uint8Array): number {
  let bound = Math.min(1, problem.panelSize / Math.max(1, reachableCount));
  problem.quotas.forEach((q, qi) => {
    const count = index.quotaMembers[qi].filter((i) => covered[i]).length;
    if (count > 0) bound = Math.min(bound, q.max / count);
  });
  for (const household of index.households) {
    const count = household.filter((i) => covered[i]).length;
    if (count > 0) bound = Math.min(bound, 1 / count);
  }
  return bound;
}

/**
 * The dual LP of the maximin program over a working set of panels; weights live on reachable
 * people only. Rows not binding for a while are dropped (see STALE_SOLVES).
 */
class DualMaster {
  private readonly model;
  private readonly column = new Map<number, number>();
  /** Row r + 1 of the model is rows[r] (row 0 is Σ y = 1). */
  private rows: Array<{ key: string; members: number[]; stale: number }> = [];
  private readonly keys = new Set<string>();

  constructor(
    private readonly highs: Highs,
    private readonly n: number,
    private readonly reachable: number[],
  ) {
    this.model = highs.createModel();
    // Warm simplex restarts from the previous basis: presolve would rebuild the problem each round.
    this.model.options.set({ output_flag: false, random_seed: 0, presolve: 'off', solver: 'simplex' });
    reachable.forEach((person, col) => {
      this.model.addVar(0, highs.infinity);
      this.column.set(person, col);
    });
    const top = reachable.length; // ŷ, free
    this.model.addVar(-highs.infinity, highs.infinity);
    this.model.changeColCost(top, 1);
    this.model.changeObjectiveSense(highs.constants.objectiveSense.minimize);
    this.model.addRow(1, 1, { indices: reachable.map((_, c) => c), values: reachable.map(() => 1) });
  }

  get size(): number {
    return this.rows.length;
  }

  panels(): number[][] {
    return this.rows.map((r) => r.members);
  }

  /** Adds the panel's row unless it is in the master already; true when added. */
  addPanel(members: number[]): boolean {
    const key = members.join(',');
    if (this.keys.has(key)) return false;
    this.keys.add(key);
    this.rows.push({ key, members, stale: 0 });
    const indices = members.map((i) => this.column.get(i)!);
    this.model.addRow(-this.highs.infinity, 0, { indices: [...indices, this.reachable.length], values: [...indices.map(() => 1), -1] });
    return true;
  }

  /** Weights per member index (0 for unreachable people) and ŷ. */
  solve(): { weights: Float64Array; value: number } {
    this.model.run();
    if (this.model.getModelStatus() !== this.highs.constants.modelStatus.optimal) {
      throw new Error(`maximin dual LP ended with status ${this.model.getModelStatus()}`);
    }
    const solution = this.model.getSolution();
    const values = solution.colValue;
    // Row activity Σ y − ŷ ≤ 0; binding when (near) 0.
    this.rows.forEach((row, r) => (row.stale = solution.rowValue[r + 1] < -1e-9 ? row.stale + 1 : 0));
    const weights = new Float64Array(this.n);
    this.reachable.forEach((person, col) => (weights[person] = Math.max(0, values[col])));
    return { weights, value: values[this.reachable.length] };
  }

  /** Drops the rows not binding for `solves` solves; the current optimum stays optimal. */
  dropStale(solves: number): void {
    const mask = [false, ...this.rows.map((row) => row.stale >= solves)];
    if (!mask.some((m) => m)) return;
    this.model.deleteRows({ kind: 'mask', mask });
    this.rows = this.rows.filter((row) => {
      if (row.stale < solves) return true;
      this.keys.delete(row.key);
      return false;
    });
  }

  dispose(): void {
    this.model.dispose();
  }
}

interface TypedLottery {
  panels: { panel: number[]; probability: number }[];
  /** Each class's probability per person (its expected seats / its size). */
  perPerson: Float64Array;
  minimum: number;
}

/** The class-level lottery over the given panels and each class's per-person probability. */
function classLottery(highs: Highs, classes: number[][], classOf: Int32Array, reachableClasses: number[], panels: number[][]): TypedLottery {
  const weighted = typeLottery(highs, classes, classOf, reachableClasses, panels);
  const perPerson = new Float64Array(classes.length);
  for (const { panel, probability } of weighted) {
    const counts = panelCounts(panel, classOf);
    counts.classes.forEach((c, j) => (perPerson[c] += (probability * counts.counts[j]) / classes[c].length));
  }
  const minimum = reachableClasses.length ? Math.min(...reachableClasses.map((c) => perPerson[c])) : 0;
  return { panels: weighted, perPerson, minimum };
}

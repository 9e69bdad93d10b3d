import type { Highs, Model } from 'highs';
import { InvalidSelectionInputError } from '../panels.errors';
import type { SelectionProblem } from './selection.types';

/** Members of each quota's value and of each shared household, by member index. */
export interface ProblemIndex {
  quotaMembers: number[][];
  /** Households with two or more members (a single-member household never binds). */
  households: number[][];
}

/** Checks the input once and indexes it; the solver models then trust it. */
export function indexProblem(problem: SelectionProblem): ProblemIndex {
  const { members, quotas, panelSize } = problem;
  if (!Number.isInteger(panelSize) || panelSize < 1) throw new InvalidSelectionInputError('size', 'panel size must be a positive integer');
  const features = new Map<string, Map<string, number>>();
  quotas.forEach((q, i) => {
    if (!Number.isInteger(q.min) || !Number.isInteger(q.max) || q.min < 0 || q.max < q.min) {
      throw new InvalidSelectionInputError(`quotas.${q.feature}.${q.value}`, 'quota needs integers 0 <= min <= max');
    }
    const values = features.get(q.feature) ?? new Map<string, number>();
    if (values.has(q.value)) throw new InvalidSelectionInputError(`quotas.${q.feature}.${q.value}`, 'duplicate quota');
    values.set(q.value, i);
    features.set(q.feature, values);
  });
  const quotaMembers: number[][] = quotas.map(() => []);
  const ids = new Set<string>();
  const byHousehold = new Map<string, number[]>();
  members.forEach((m, i) => {
    if (ids.has(m.id)) throw new InvalidSelectionInputError('pool', `duplicate member id ${m.id}`);
    ids.add(m.id);
    for (const [feature, values] of features) {
      const value = m.features[feature];
      const q = value === undefined ? undefined : values.get(value);
      if (q === undefined) {
        throw new InvalidSelectionInputError('pool', `member ${m.id} has no valid value for feature ${feature}`);
      }
      quotaMembers[q].push(i);
    }
    if (problem.householdRule && m.household) {
      const list = byHousehold.get(m.household) ?? [];
      list.push(i);
      byHousehold.set(m.household, list);
    }
  });
  return { quotaMembers, households: [...byHousehold.values()].filter((h) => h.length > 1) };
}

export interface PanelSolution {
  /** Member indices on the panel, ascending. */
  members: number[];
  objective: number;
  /** Proven bound on the best objective (equal to `objective` up to the MIP gap). */
  bound: number;
  /**
   * Other feasible panels the branch and bound met on its way whose objective exceeds the
   * `collectAbove` asked for (member indices ascending; without the best one).
   */
  others: number[][];
}

/**
 * The pricing problem: one binary per member, exactly `panelSize` ones, every quota and the
 * household rule as rows. Kept in memory and re-solved with new objective weights, so HiGHS
 * parses and presolves the structure once.
 */
export class PanelModel {
  private readonly model: Model;

  constructor(
    private readonly highs: Highs,
    private readonly problem: SelectionProblem,
    index: ProblemIndex,
  ) {
    const n = problem.members.length;
    this.model = highs.createModel();
    this.model.options.set({ output_flag: false, random_seed: 0 });
    for (let i = 0; i < n; i++) {
      this.model.addVar(0, 1);
      this.model.changeColIntegrality(i, highs.constants.variableType.integer);
    }
    this.model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
    const all = Array.from({ length: n }, (_, i) => i);
    this.model.addRow(problem.panelSize, problem.panelSize, { indices: all, values: all.map(() => 1) });
    problem.quotas.forEach((q, i) => {
      const indices = index.quotaMembers[i];
      this.model.addRow(q.min, q.max, { indices, values: indices.map(() => 1) });
    });
    for (const household of index.households) {
      this.model.addRow(0, 1, { indices: household, values: household.map(() => 1) });
    }
  }

  /**
   * The panel maximising the sum of `weights` of its members, or null when no panel is valid.
   * With `collectAbove`, the feasible panels HiGHS finds before its optimum (its heuristics and
   * incumbents) are kept too when heavier than that: one solve then yields several columns for
   * the column generation. HiGHS reports them in a deterministic order (single thread, fixed
   * seed), so the lottery stays reproducible.
   */
  best(weights: ArrayLike<number>, collectAbove = Infinity, stopAfter = Infinity): PanelSolution | null {
    const n = this.problem.members.length;
    for (let i = 0; i < n; i++) this.model.changeColCost(i, weights[i]);
    const found: number[][] = [];
    const collect = (solution: Float64Array | undefined): undefined => {
      if (!solution) return undefined;
      const members: number[] = [];
      let weight = 0;
      for (let i = 0; i < n; i++) {
        if (solution[i] > 0.5) {
          members.push(i);
          weight += weights[i];
        }
      }
      if (weight > collectAbove) found.push(members);
      return undefined;
    };
    const { callbackType, modelStatus } = this.highs.constants;
    this.model.run(
      Number.isFinite(collectAbove)
        ? {
            [callbackType.mipSolution]: (event) => collect(event.data.mip_solution),
            [callbackType.mipInterrupt]: (event) => {
              if (found.length >= stopAfter) event.interrupt();
              return undefined;
            },
          }
        : undefined,
    );
    const status = this.model.getModelStatus();
    if (status === modelStatus.infeasible) return null;
    const interrupted = status === modelStatus.interrupted && found.length >= stopAfter;
    if (status !== modelStatus.optimal && !interrupted) throw new Error(`pricing MIP ended with status ${status}`);
    const values = this.model.getSolution().colValue;
    const members: number[] = [];
    values.forEach((v, i) => {
      if (v > 0.5) members.push(i);
    });
    const objective = members.reduce((s, i) => s + weights[i], 0);
    const dualBound = this.model.info.get('mip_dual_bound');
    const bound = typeof dualBound === 'number' && Number.isFinite(dualBound) ? Math.max(dualBound, objective) : objective;
    const key = members.join(',');
    const seen = new Set([key]);
    const others = found.filter((panel) => {
      const k = panel.join(',');
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
    return { members, objective, bound, others };
  }

  dispose(): void {
    this.model.dispose();
  }
}

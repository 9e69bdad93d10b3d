import type { Highs } from 'highs';
import type { ProblemIndex } from './panel-model';
import type { SelectionProblem } from './selection.types';

/**
 * A proven upper bound on the maximin value by one LP, without any panel: every lottery's
 * selection probabilities x satisfy Σ x = size, every quota's [min, max] on the sum of its
 * people's x, Σ x ≤ 1 over each shared household and 0 ≤ x ≤ 1 (they are a mixture of panels
 * that do), so the largest z with x_i ≥ z for every reachable person over that polytope bounds
 * what any lottery can give the worst-off. On every published pool it equals the optimum; it is
 * what lets the column generation stop with a certificate instead of waiting for a pricing MIP
 * that proves no better panel exists. It never exceeds the counting bound (max / #people of a
 * value), which is the same LP with one quota row at a time.
 */
export function relaxationBound(highs: Highs, problem: SelectionProblem, index: ProblemIndex, reachable: readonly number[]): number {
  if (reachable.length === 0) return 0;
  const n = problem.members.length;
  const model = highs.createModel();
  try {
    model.options.set({ output_flag: false, random_seed: 0 });
    const isReachable = new Uint8Array(n);
    for (const i of reachable) isReachable[i] = 1;
    for (let i = 0; i < n; i++) model.addVar(0, isReachable[i] ? 1 : 0);
    const z = n;
    model.addVar(-highs.infinity, highs.infinity);
    model.changeColCost(z, 1);
    model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
    const all = Array.from({ length: n }, (_, i) => i);
    model.addRow(problem.panelSize, problem.panelSize, { indices: all, values: all.map(() => 1) });
    problem.quotas.forEach((q, qi) => {
      const people = index.quotaMembers[qi];
      model.addRow(q.min, q.max, { indices: people, values: people.map(() => 1) });
    });
    for (const household of index.households) model.addRow(0, 1, { indices: household, values: household.map(() => 1) });
    for (const i of reachable) model.addRow(0, highs.infinity, { indices: [i, z], values: [1, -1] });
    model.run();
    // Reachable people exist, so a valid panel does and the LP is feasible and bounded (z ≤ 1);
    // should HiGHS still not finish, 1 is a true (if useless) bound and the pricing MIP proves.
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal) return 1;
    return Math.max(0, Math.min(1, model.getSolution().colValue[z]));
  } finally {
    model.dispose();
  }
}

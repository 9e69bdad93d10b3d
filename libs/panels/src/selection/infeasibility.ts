import type { Highs } from 'highs';
import { QuotaFailure, QuotasInfeasibleError } from '../panels.errors';
import type { ProblemIndex } from './panel-model';
import type { SelectionProblem } from './selection.types';

/**
 * Why no panel exists: the same MIP with every quota made elastic (a slack below `min` and one
 * above `max`, each seat of slack costing 1). The optimal slacks name the quotas that must give
 * way and by how many seats — the smallest total relaxation that makes a panel possible.
 */
export async function explainInfeasibility(highs: Highs, problem: SelectionProblem, index: ProblemIndex): Promise<QuotasInfeasibleError> {
  const n = problem.members.length;
  const seatsAvailable = countSeatsAvailable(problem, index);
  if (seatsAvailable < problem.panelSize) {
    return new QuotasInfeasibleError(
      [{ feature: '*', value: 'size', min: problem.panelSize, max: problem.panelSize, shortBy: problem.panelSize - seatsAvailable, overBy: 0 }],
      `The pool can fill at most ${seatsAvailable} of the ${problem.panelSize} seats (one per household)`,
    );
  }
  const model = highs.createModel();
  try {
    model.options.set({ output_flag: false, random_seed: 0 });
    const integer = highs.constants.variableType.integer;
    for (let i = 0; i < n; i++) {
      model.addVar(0, 1);
      model.changeColIntegrality(i, integer);
    }
    const all = Array.from({ length: n }, (_, i) => i);
    model.addRow(problem.panelSize, problem.panelSize, { indices: all, values: all.map(() => 1) });
    problem.quotas.forEach((q, qi) => {
      const below = n + 2 * qi;
      model.addVar(0, highs.infinity);
      model.addVar(0, highs.infinity);
      for (const col of [below, below + 1]) {
        model.changeColIntegrality(col, integer);
        model.changeColCost(col, 1);
      }
      const members = index.quotaMembers[qi];
      model.addRow(q.min, highs.infinity, { indices: [...members, below], values: [...members.map(() => 1), 1] });
      model.addRow(-highs.infinity, q.max, { indices: [...members, below + 1], values: [...members.map(() => 1), -1] });
    });
    for (const household of index.households) model.addRow(0, 1, { indices: household, values: household.map(() => 1) });
    model.changeObjectiveSense(highs.constants.objectiveSense.minimize);
    model.run();
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal) {
      throw new Error(`infeasibility analysis ended with status ${model.getModelStatus()}`);
    }
    const values = model.getSolution().colValue;
    const failures: QuotaFailure[] = [];
    problem.quotas.forEach((q, qi) => {
      const shortBy = Math.round(values[n + 2 * qi]);
      const overBy = Math.round(values[n + 2 * qi + 1]);
      if (shortBy > 0 || overBy > 0) failures.push({ feature: q.feature, value: q.value, min: q.min, max: q.max, shortBy, overBy });
    });
    return new QuotasInfeasibleError(failures);
  } finally {
    model.dispose();
  }
}

/** People with no household count alone; each shared household yields at most one seat. */
function countSeatsAvailable(problem: SelectionProblem, index: ProblemIndex): number {
  const shared = index.households.reduce((s, h) => s + h.length, 0);
  return problem.members.length - shared + index.households.length;
}

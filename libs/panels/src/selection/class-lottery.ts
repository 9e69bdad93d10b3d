import type { Highs } from 'highs';
import { panelCounts } from './people-types';

/**
 * The lottery over the master's panels, per class of interchangeable people: max z s.t. every
 * reachable class c gets `Σ_P p_P count_c(P) ≥ n_c z` (the class's expected seats, shared equally
 * by the draw's choice within the class), probabilities sum to 1. Returns the panels with positive
 * probability. It has one row per class instead of one per person, so any person-level lottery
 * over the same panels is feasible for it: its z is never below the person-level one.
 */
export function typeLottery(
  highs: Highs,
  classes: readonly number[][],
  classOf: Int32Array,
  reachableClasses: readonly number[],
  panels: number[][],
): { panel: number[]; probability: number }[] {
  const model = highs.createModel();
  try {
    model.options.set({ output_flag: false, random_seed: 0 });
    const rowOf = new Int32Array(classes.length).fill(-1);
    reachableClasses.forEach((c, row) => (rowOf[c] = row));
    // Rows first (empty), then one column per panel carrying its counts.
    for (let r = 0; r < reachableClasses.length; r++) model.addRow(0, highs.infinity, { indices: [], values: [] });
    model.addRow(1, 1, { indices: [], values: [] });
    const sumRow = reachableClasses.length;
    model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
    model.addCol(1, -highs.infinity, highs.infinity, { indices: reachableClasses.map((_, r) => r), values: reachableClasses.map((c) => -classes[c].length) });
    for (const panel of panels) {
      const { classes: used, counts } = panelCounts(panel, classOf);
      model.addCol(0, 0, highs.infinity, { indices: [...used.map((c) => rowOf[c]), sumRow], values: [...counts, 1] });
    }
    model.run();
    if (model.getModelStatus() !== highs.constants.modelStatus.optimal) {
      throw new Error(`maximin primal LP ended with status ${model.getModelStatus()}`);
    }
    const values = model.getSolution().colValue;
    const kept = panels.map((panel, j) => ({ panel, probability: Math.max(0, values[j + 1]) })).filter((p) => p.probability > 1e-9);
    const total = kept.reduce((s, p) => s + p.probability, 0);
    return kept.map((p) => ({ panel: p.panel, probability: p.probability / total }));
  } finally {
    model.dispose();
  }
}

import { highsSolver } from './highs-solver';
import { CERTIFIED_GAP, computeMaximinDistribution } from './maximin';
import { indexProblem } from './panel-model';
import { relaxationBound } from './relaxation-bound';
import type { SelectionProblem } from './selection.types';

/** Every valid panel of a tiny problem, by brute force (no solver rows involved). */
function validPanels(problem: SelectionProblem): number[][] {
  const { members, quotas, panelSize } = problem;
  const panels: number[][] = [];
  const pick = (start: number, chosen: number[]): void => {
    if (chosen.length === panelSize) {
      const fits = quotas.every((q) => {
        const count = chosen.filter((i) => members[i].features[q.feature] === q.value).length;
        return count >= q.min && count <= q.max;
      });
      const households = chosen.map((i) => members[i].household).filter((h) => h);
      if (fits && new Set(households).size === households.length) panels.push([...chosen]);
      return;
    }
    for (let i = start; i < members.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
  return panels;
}

/** The exact maximin value: the LP over *all* valid panels (HiGHS, but no column generation). */
async function exactMaximin(panels: number[][]): Promise<{ value: number; reachable: number[] }> {
  const highs = await highsSolver();
  const reachable = [...new Set(panels.flat())].sort((a, b) => a - b);
  const model = highs.createModel();
  try {
    model.options.set({ output_flag: false });
    for (let r = 0; r <= reachable.length; r++) model.addRow(r < reachable.length ? 0 : 1, r < reachable.length ? highs.infinity : 1, { indices: [], values: [] });
    model.changeObjectiveSense(highs.constants.objectiveSense.maximize);
    model.addCol(1, -highs.infinity, highs.infinity, { indices: reachable.map((_, r) => r), values: reachable.map(() => -1) });
    for (const panel of panels) {
      const rows = panel.map((i) => reachable.indexOf(i));
      model.addCol(0, 0, highs.infinity, { indices: [...rows, reachable.length], values: [...rows.map(() => 1), 1] });
    }
    model.run();
    return { value: model.getSolution().colValue[0], reachable };
  } finally {
    model.dispose();
  }
}

/** Small random problems: 7–10 people, 2–4 seats, three features, some shared households. */
function tinyProblem(seed: number): SelectionProblem {
  let state = seed;
  const random = (): number => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
  const features: Array<[string, number]> = [['a', 2], ['b', 3], ['c', 2]];
  const size = 7 + Math.floor(random() * 4);
  const panelSize = 2 + Math.floor(random() * 3);
  const members = Array.from({ length: size }, (_, i) => ({
    id: `p${i}`,
    features: Object.fromEntries(features.map(([f, count]) => [f, `${f}${Math.floor(random() * count)}`])),
    household: random() < 0.3 ? `h${Math.floor(random() * 2)}` : null,
  }));
  const quotas = features.flatMap(([f, count]) =>
    Array.from({ length: count }, (_, v) => {
      const min = Math.floor(random() * 2);
      return { feature: f, value: `${f}${v}`, min, max: min + Math.floor(random() * 2) + (count === 2 ? 1 : 0) };
    }),
  );
  return { members, quotas, panelSize, householdRule: true };
}

describe('relaxation bound and certified gap, against brute force', () => {
  it('on 150 random small problems: the bound is never below the exact maximin, the lottery is within the certified gap of it', async () => {
    const highs = await highsSolver();
    let solved = 0;
    let boundAboveOptimum = 0;
    for (let seed = 1; seed <= 150; seed++) {
      const problem = tinyProblem(seed);
      const panels = validPanels(problem);
      if (panels.length === 0) continue; // infeasible quotas: the 422 path, tested in maximin.spec.ts
      solved++;
      const exact = await exactMaximin(panels);
      const bound = relaxationBound(highs, problem, indexProblem(problem), exact.reachable);
      expect(bound).toBeGreaterThanOrEqual(exact.value - 1e-9);
      if (bound > exact.value + 1e-6) boundAboveOptimum++;

      const distribution = await computeMaximinDistribution(problem);
      expect(distribution.unreachable.sort()).toEqual(problem.members.map((m, i) => (exact.reachable.includes(i) ? null : m.id)).filter((id) => id !== null).sort());
      expect(distribution.minimumProbability).toBeLessThanOrEqual(exact.value + 1e-9);
      expect(distribution.minimumProbability).toBeGreaterThanOrEqual(exact.value * (1 - CERTIFIED_GAP) - 1e-9);
      expect(distribution.minimumProbabilityUpperBound).toBeGreaterThanOrEqual(exact.value - 1e-9);
      expect(distribution.certifiedGap).toBeLessThanOrEqual(CERTIFIED_GAP + 1e-9);
    }
    expect(solved).toBeGreaterThan(50);
    // Some of them have an integrality gap: there the certificate had to come from the pricing MIP.
    expect(boundAboveOptimum).toBeGreaterThan(0);
  }, 120_000);
});

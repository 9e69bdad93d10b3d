import { SHARED_POOL_NAMES, loadSharedPool, poolMembers } from '../../../../test/utils/sortition-pools';
import { QuotasInfeasibleError } from '../panels.errors';
import { CERTIFIED_GAP, computeMaximinDistribution } from './maximin';
import { drawMembers, poolSnapshotHash, rulesHash } from './panel-draw';
import type { PoolMember, Quota, SelectionProblem } from './selection.types';

const DRAWS = 1000;

function problemOf(name: string, householdColumns?: string[]): SelectionProblem {
  const pool = loadSharedPool(name, householdColumns);
  return { members: poolMembers(pool), quotas: pool.quotas, panelSize: pool.panelSize, householdRule: true };
}

/** Independent check of a panel against the rules (not the solver's own rows). */
function violations(problem: SelectionProblem, panel: string[]): string[] {
  const byId = new Map<string, PoolMember>(problem.members.map((m) => [m.id, m]));
  const found: string[] = [];
  if (panel.length !== problem.panelSize || new Set(panel).size !== panel.length) found.push(`size ${panel.length}`);
  for (const q of problem.quotas) {
    const count = panel.filter((id) => byId.get(id)!.features[q.feature] === q.value).length;
    if (count < q.min || count > q.max) found.push(`${q.feature}=${q.value}: ${count} not in [${q.min}, ${q.max}]`);
  }
  const households = panel.map((id) => byId.get(id)!.household).filter((h): h is string => !!h);
  if (new Set(households).size !== households.length) found.push('two members of one household');
  return found;
}

describe('maximin selection on the published pools', () => {
  it.each(SHARED_POOL_NAMES)(
    '%s: 1,000 seeded draws all meet the quotas and their frequencies match the reported probabilities',
    async (name) => {
      const problem = problemOf(name);
      const distribution = await computeMaximinDistribution(problem);
      const probabilities = Object.values(distribution.probabilities);
      expect(probabilities.reduce((s, p) => s + p, 0)).toBeCloseTo(problem.panelSize, 6);
      expect(distribution.minimumProbability).toBeGreaterThan(0);
      // Optimal up to the certified gap: the proven bound is (almost) reached.
      expect(distribution.certifiedGap).toBeLessThanOrEqual(CERTIFIED_GAP);
      expect(distribution.minimumProbability).toBeGreaterThanOrEqual(distribution.minimumProbabilityUpperBound * (1 - CERTIFIED_GAP));
      for (const panel of distribution.panels) expect(violations(problem, panel.members)).toEqual([]);

      const poolHash = poolSnapshotHash(problem.members);
      const rules = rulesHash(problem.panelSize, problem.householdRule, problem.quotas);
      const counts = new Map<string, number>();
      for (let d = 0; d < DRAWS; d++) {
        const panel = drawMembers(distribution, { poolHash, rulesHash: rules, algorithmVersion: distribution.algorithmVersion, seed: `dice-${d}` });
        expect(violations(problem, panel)).toEqual([]);
        for (const id of panel) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      // Each person's frequency is a binomial(1000, p) / 1000: within 4.5 standard deviations
      // (plus a little slack for p near 0), for every one of up to 360 people.
      for (const member of problem.members) {
        const p = distribution.probabilities[member.id];
        const frequency = (counts.get(member.id) ?? 0) / DRAWS;
        expect(Math.abs(frequency - p)).toBeLessThanOrEqual(4.5 * Math.sqrt((p * (1 - p)) / DRAWS) + 0.003);
      }
    },
    600_000,
  );

  it('the same inputs and seed give the same panel; another seed another one', async () => {
    const problem = problemOf('example_small_20');
    const [a, b] = [await computeMaximinDistribution(problem), await computeMaximinDistribution(problem)];
    expect(b.panels).toEqual(a.panels);
    const input = { poolHash: poolSnapshotHash(problem.members), rulesHash: rulesHash(20, true, problem.quotas), algorithmVersion: a.algorithmVersion };
    const draw = (seed: string, d = a) => drawMembers(d, { ...input, seed });
    expect(draw('4-2-6-1', b)).toEqual(draw('4-2-6-1'));
    const others = ['1', '2', '3', '4', '5'].map((seed) => draw(seed).join(','));
    expect(new Set(others).size).toBeGreaterThan(1);
  });

  it('the pool hash ignores row order but not a changed value', () => {
    const problem = problemOf('example_small_20');
    const hash = poolSnapshotHash(problem.members);
    expect(poolSnapshotHash([...problem.members].reverse())).toBe(hash);
    const changed = problem.members.map((m, i) => (i === 7 ? { ...m, features: { ...m.features, gender: 'male' === m.features.gender ? 'female' : 'male' } } : m));
    expect(poolSnapshotHash(changed)).not.toBe(hash);
  });

  it('the household rule: never two members of one address (OpenDLP pool keyed on the street line: 7 shared addresses)', async () => {
    const problem = problemOf('opendlp_monitoring_30', ['address_line_1']);
    const shared = problem.members.filter((m) => problem.members.filter((o) => o.household === m.household).length > 1);
    expect(shared.length).toBeGreaterThan(0);
    const distribution = await computeMaximinDistribution(problem);
    for (const panel of distribution.panels) expect(violations(problem, panel.members)).toEqual([]);
    // Housemates share one seat at most, so each has at most 1/2 on average.
    const housemates = shared.map((m) => distribution.probabilities[m.id]);
    expect(Math.min(...housemates)).toBeLessThanOrEqual(0.5 + 1e-9);
  });

  it('infeasible quotas name the failing quota and by how many seats', async () => {
    const problem = problemOf('scotland_fixture_22');
    // Nobody in the pool is 0-15: asking for two such seats fails by exactly two.
    const quotas: Quota[] = problem.quotas.map((q) => (q.value === '0-15' ? { ...q, min: 2, max: 2 } : q));
    const error = await computeMaximinDistribution({ ...problem, quotas }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotasInfeasibleError);
    const failures = (error as QuotasInfeasibleError).failures;
    expect(failures).toContainEqual(expect.objectContaining({ feature: 'age_bracket', value: '0-15', shortBy: 2 }));
  });

  it('a pool too small for the panel reports the missing seats', async () => {
    const problem = problemOf('example_small_20');
    const error = await computeMaximinDistribution({ ...problem, members: problem.members.slice(0, 15) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotasInfeasibleError);
    expect((error as QuotasInfeasibleError).failures[0]).toMatchObject({ feature: '*', shortBy: 5 });
  });
});

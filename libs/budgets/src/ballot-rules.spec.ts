import { ballotViolation } from './ballot-rules';

const costs = new Map([
  ['a', 40_000],
  ['b', 50_000],
  ['c', 30_000],
]);

describe('ballot rules', () => {
  it('approval: at most k, at least the minimum, only projects on the ballot, each once', () => {
    const rule = { kind: 'approval' as const, maxProjects: 2, minProjects: 1 };
    expect(ballotViolation(rule, 100_000, costs, { projects: ['a', 'b'] })).toBeNull();
    expect(ballotViolation(rule, 100_000, costs, { projects: ['a', 'b', 'c'] })).toMatchObject({ code: 'BALLOT_TOO_MANY_PROJECTS', rule: 'approval', figures: { chosen: 3, max: 2 } });
    expect(ballotViolation(rule, 100_000, costs, { projects: [] })).toMatchObject({ code: 'BALLOT_TOO_FEW_PROJECTS', figures: { chosen: 0, min: 1 } });
    expect(ballotViolation(rule, 100_000, costs, { projects: ['z'] })).toMatchObject({ code: 'BALLOT_PROJECT_NOT_ON_BALLOT', figures: { project: 'z' } });
    expect(ballotViolation(rule, 100_000, costs, { projects: ['a', 'a'] })).toMatchObject({ code: 'BALLOT_DUPLICATE_PROJECT' });
  });

  it('knapsack: total cost within the amount, and over the minimum share when one is set', () => {
    const rule = { kind: 'knapsack' as const, minSharePercent: 70 };
    expect(ballotViolation(rule, 100_000, costs, { projects: ['a', 'b'] })).toBeNull();
    expect(ballotViolation(rule, 100_000, costs, { projects: ['a', 'b', 'c'] })).toMatchObject({ code: 'BALLOT_OVER_BUDGET', rule: 'knapsack', figures: { total: 120_000, limit: 100_000 } });
    expect(ballotViolation(rule, 100_000, costs, { projects: ['a'] })).toMatchObject({ code: 'BALLOT_UNDER_MIN_SHARE', figures: { total: 40_000, min: 70_000 } });
  });

  it('cumulative: N points in all, at most m per project, whole and positive', () => {
    const rule = { kind: 'cumulative' as const, points: 5, maxPerProject: 3 };
    expect(ballotViolation(rule, 0, costs, { projects: ['a', 'b'], points: [3, 2] })).toBeNull();
    expect(ballotViolation(rule, 0, costs, { projects: ['a'], points: [4] })).toMatchObject({ code: 'BALLOT_TOO_MANY_POINTS', figures: { given: 4, maxPerProject: 3 } });
    expect(ballotViolation(rule, 0, costs, { projects: ['a', 'b', 'c'], points: [2, 2, 2] })).toMatchObject({ code: 'BALLOT_TOO_MANY_POINTS', figures: { total: 6, max: 5 } });
    expect(ballotViolation(rule, 0, costs, { projects: ['a', 'b'], points: [1] })).toMatchObject({ code: 'BALLOT_POINTS_MISMATCH' });
    // Every chosen project gets at least one whole point.
    expect(ballotViolation(rule, 0, costs, { projects: ['a', 'b'], points: [3, 0] })).toMatchObject({ code: 'BALLOT_POINTS_MISMATCH' });
    expect(ballotViolation(rule, 0, costs, { projects: ['a', 'b'], points: [1.5, 1] })).toMatchObject({ code: 'BALLOT_POINTS_MISMATCH' });
  });

  it('ordinal: exactly k ranks', () => {
    const rule = { kind: 'ordinal' as const, ranks: 2 };
    expect(ballotViolation(rule, 0, costs, { projects: ['c', 'a'] })).toBeNull();
    expect(ballotViolation(rule, 0, costs, { projects: ['c'] })).toMatchObject({ code: 'BALLOT_WRONG_RANK_COUNT', figures: { ranked: 1, required: 2 } });
  });
});

import { Election } from './election';
import { prepareMes, runMes } from './equal-shares';
import { naturalCompare } from './natural-order';
import { computeOutcome } from './outcome';
import { Rational } from './rational';
import { syntheticApprovalElection } from './synthetic-election';
import { tallyOf } from './tally';

function approval(budget: number, projects: Record<string, number>, ballots: string[][]): Election {
  return {
    scale: 0,
    budget: BigInt(budget),
    voteType: 'approval',
    projects: Object.entries(projects).map(([id, cost]) => ({ id, cost: BigInt(cost) })),
    ballots: ballots.map((projects) => ({ projects })),
  };
}

describe('natural order', () => {
  it('orders digit runs as numbers and is total', () => {
    expect(['10', '9', 'W10', 'W9', 'a', '09', '1'].sort(naturalCompare)).toEqual(['1', '9', '09', '10', 'W9', 'W10', 'a']);
  });
});

describe('Rational', () => {
  it('is exact and normalised', () => {
    const third = Rational.of(1n, 3n);
    expect(third.add(third).add(third).key()).toBe('1');
    expect(Rational.of(1_000_000n, 6586n).key()).toBe('500000/3293');
    expect(Rational.of(2n, -4n).key()).toBe('-1/2');
  });
});

describe('greedy', () => {
  it('funds projects by votes, most first, skipping those that no longer fit and continuing', () => {
    const e = approval(100, { A: 60, B: 50, C: 30, D: 10 }, [['A', 'B'], ['A', 'B'], ['A', 'C'], ['B', 'C', 'D'], ['B']]);
    // Votes: B 4, A 3, C 2, D 1 → B (50), A no longer fits, C (30), D (10).
    expect(computeOutcome(e, { rule: 'greedy' }).selected).toEqual(['B', 'C', 'D']);
  });

  it('breaks ties by lower cost, then more ballots, then id in natural order', () => {
    const byCost = approval(100, { A: 60, B: 50 }, [['A', 'B']]);
    expect(computeOutcome(byCost, { rule: 'greedy' }).selected).toEqual(['B']);
    const byId = approval(100, { '10': 60, '9': 60 }, [['10', '9']]);
    expect(computeOutcome(byId, { rule: 'greedy' }).selected).toEqual(['9']);
    // Cumulative: equal points, equal cost; more ballots wins.
    const cumulative: Election = {
      scale: 0,
      budget: 10n,
      voteType: 'cumulative',
      projects: [
        { id: '1', cost: 10n },
        { id: '2', cost: 10n },
      ],
      ballots: [
        { projects: ['1'], points: [2] },
        { projects: ['2'], points: [1] },
        { projects: ['2'], points: [1] },
      ],
    };
    expect(computeOutcome(cumulative, { rule: 'greedy' }).selected).toEqual(['2']);
  });

  it('orders ordinal ballots by positional score (k, k-1, ..., 1)', () => {
    const e: Election = {
      scale: 0,
      budget: 10n,
      voteType: 'ordinal',
      projects: ['A', 'B', 'C'].map((id) => ({ id, cost: 10n })),
      ballots: [{ projects: ['A', 'B', 'C'] }, { projects: ['B', 'C', 'A'] }, { projects: ['B', 'A', 'C'] }],
    };
    const outcome = computeOutcome(e, { rule: 'greedy' });
    expect(outcome.projects.map((p) => p.score)).toEqual([3 + 1 + 2, 2 + 3 + 3, 1 + 2 + 1]);
    expect(outcome.selected).toEqual(['B']);
  });
});

describe('equal shares', () => {
  it('splits a cost equally among supporters, capped by what each has left, and completes by Add1', () => {
    // 4 voters, 25 each. A (60) is paid 20 by each of its 3 supporters; B (30) has one supporter
    // with 25: unaffordable. Not exhaustive (60 + 30 ≤ 100): Add1 raises shares 26, 27... until B
    // is affordable at 30 each, where {A, B} costs 90 and is exhaustive.
    const e = approval(100, { A: 60, B: 30 }, [['A'], ['A'], ['A'], ['B']]);
    const outcome = computeOutcome(e, { rule: 'equal-shares' });
    expect(outcome.selected).toEqual(['A', 'B']);
    expect(outcome.mesRuns).toBe(6);
    expect(outcome.shares?.perVoter.key()).toBe('30');
    expect(outcome.shares?.maxPayments.map((m) => [m.id, m.payment.key()])).toEqual([
      ['A', '20'],
      ['B', '30'],
    ]);
    expect(outcome.projects.map((p) => p.selectedBy)).toEqual(['equal-shares', 'equal-shares']);
  });

  it('chooses the lowest maximal payment per unit of cost, with poorer supporters paying all they have', () => {
    // 3 voters with 10 each. X (12) backed by 1,2: pays 6 each → 0.5 per unit.
    // Y (9) backed by 2,3: 4.5 each → 0.5 per unit: tie → lower cost Y first; then X: voter 2 has
    // 5.5 left, so 1 pays 6.5 and 2 pays 5.5 (6.5/12 per unit).
    const e = approval(30, { X: 12, Y: 9 }, [['X'], ['X', 'Y'], ['Y']]);
    const run = runMes(prepareMes(e, tallyOf(e)), Rational.of(10n));
    expect(run.selected).toEqual([1, 0]);
    expect(run.payments.map((p) => p.key())).toEqual(['9/2', '13/2']);
    expect(run.leftover.money.key()).toBe('9');
  });

  it('keeps the last outcome within the amount when a larger share would overspend, then completes greedily', () => {
    // 10 voters, 10 each. A (60) is backed by 6, B (50) by 4, C (30) by one of them. MES picks A;
    // {A} is not exhaustive (C fits). Shares 11 and 12 change nothing; at 13 B is affordable and
    // {A, B} costs 110 > 100, so Add1 keeps {A} (runs: 10, 11, 12, 13). Greedy completion then
    // adds C (B does not fit in the 40 left).
    const e = approval(100, { A: 60, B: 50, C: 30 }, [...Array.from({ length: 6 }, () => ['A']), ['B'], ['B'], ['B'], ['B', 'C']]);
    const outcome = computeOutcome(e, { rule: 'equal-shares' });
    expect(outcome.selected).toEqual(['A', 'C']);
    expect(outcome.mesRuns).toBe(4);
    expect(outcome.shares?.perVoter.key()).toBe('12');
    expect(outcome.projects.map((p) => p.selectedBy)).toEqual(['equal-shares', null, 'greedy-completion']);
  });

  it('completes with greedy on the money left after Add1', () => {
    // C (40) is backed by one voter out of 5 (share 20): never affordable before shares reach 40,
    // where A and B (backed by everybody) overspend. Greedy then adds C if it fits.
    const e = approval(100, { A: 30, B: 30, C: 40 }, [['A', 'B'], ['A', 'B'], ['A', 'B'], ['A', 'B'], ['A', 'B', 'C']]);
    const outcome = computeOutcome(e, { rule: 'equal-shares' });
    expect(outcome.selected).toEqual(['A', 'B', 'C']);
    expect(outcome.projects.find((p) => p.id === 'C')?.selectedBy).toEqual(expect.stringMatching(/equal-shares|greedy-completion/));
    expect(outcome.cost).toBe(100n);
  });

  it('within-budget goes on past an exhaustive outcome', () => {
    const e = approval(100, { A: 60, B: 30, C: 10 }, [['A'], ['A'], ['A'], ['B'], ['C']]);
    const exhaustive = computeOutcome(e, { rule: 'equal-shares', add1: 'until-exhaustive' });
    const within = computeOutcome(e, { rule: 'equal-shares', add1: 'within-budget' });
    expect(exhaustive.cost).toBeLessThanOrEqual(100n);
    expect(within.cost).toBeLessThanOrEqual(100n);
    expect(within.mesRuns).toBeGreaterThanOrEqual(exhaustive.mesRuns);
  });

  it('gives the same runs with and without the double-precision screening, on random elections', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const e = syntheticApprovalElection(300 + seed * 37, 12 + seed, seed, 4);
      const prepared = prepareMes(e, tallyOf(e));
      for (const share of [Rational.of(e.budget, BigInt(e.ballots.length)), Rational.of(e.budget * 3n, BigInt(e.ballots.length * 2))]) {
        const screened = runMes(prepared, share);
        const exact = runMes(prepared, share, { screening: false });
        expect(screened.selected).toEqual(exact.selected);
        expect(screened.payments.map(String)).toEqual(exact.payments.map(String));
        expect(screened.leftover.money.key()).toBe(exact.leftover.money.key());
      }
    }
  });

  it('refuses ordinal or cumulative ballots', () => {
    const e: Election = { scale: 0, budget: 1n, voteType: 'ordinal', projects: [], ballots: [] };
    expect(() => computeOutcome(e, { rule: 'equal-shares' })).toThrow(/approval/);
  });
});

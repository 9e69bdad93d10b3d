import { computeOutcome } from './outcome';
import { syntheticApprovalElection } from './synthetic-election';

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let a = seed;
  for (let i = out.length - 1; i > 0; i--) {
    a = (a * 1103515245 + 12345) % 2147483648;
    const j = a % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

describe('outcomes do not depend on the order of ballots', () => {
  it.each([1, 2, 3, 4, 5, 6])('random election %i', (seed) => {
    // A small amount per voter keeps Add1's one-unit steps few.
    const e = { ...syntheticApprovalElection(25 + seed * 3, 3 + (seed % 3), seed, 2), scale: 3 };
    const base = computeOutcome(e, { rule: 'equal-shares' });
    for (let k = 1; k <= 10; k++) {
      const again = computeOutcome({ ...e, ballots: shuffled(e.ballots, k * 7919 + seed) }, { rule: 'equal-shares' });
      expect([again.selected, again.mesRuns]).toEqual([base.selected, base.mesRuns]);
    }
  });
});

import { createHash } from 'node:crypto';
import { loadSharedPool, poolMembers } from '../../../../test/utils/sortition-pools';
import { computeMaximinDistribution } from '../selection/maximin';
import { drawMembers, pickPanel, poolSnapshotHash, rulesHash } from '../selection/panel-draw';
import type { PoolMember, Quota } from '../selection/selection.types';
import { replacementProblem, rotationOrder } from './replacement-problem';

/** Independent check of seats against the rules (not the solver's rows). */
function violations(quotas: readonly Quota[], size: number, seats: PoolMember[]): string[] {
  const found: string[] = [];
  if (seats.length !== size || new Set(seats.map((m) => m.id)).size !== seats.length) found.push(`size ${seats.length}`);
  for (const q of quotas) {
    const count = seats.filter((m) => m.features[q.feature] === q.value).length;
    if (count < q.min || count > q.max) found.push(`${q.feature}=${q.value}: ${count} not in [${q.min}, ${q.max}]`);
  }
  const households = seats.map((m) => m.household).filter((h): h is string => !!h);
  if (new Set(households).size !== households.length) found.push('two members of one household');
  return found;
}

const pick = (seed: string, n: number): number => createHash('sha256').update(seed).digest().readUInt32BE(0) % n;

describe('replacement draws', () => {
  it.each(['example_small_20'])(
    '%s: after 10 rounds of declines (3 at a time) each replaced by a maximin draw, every quota and the household rule still hold',
    async (name) => {
      const pool = loadSharedPool(name);
      const members = poolMembers(pool);
      const byId = new Map(members.map((m) => [m.id, m]));
      const first = await computeMaximinDistribution({ members, quotas: pool.quotas, panelSize: pool.panelSize, householdRule: true });
      let seats = pickPanel(first, 0.37).map((id) => byId.get(id)!);
      const everDrawn = new Set(seats.map((m) => m.id));
      const stillInPool = new Set(members.map((m) => m.id));
      let replaced = 0;
      for (let round = 1; round <= 10; round++) {
        const leaving = new Set<string>();
        for (let attempt = 0; leaving.size < 3; attempt++) leaving.add(seats[pick(`${name}-${round}-${attempt}`, seats.length)].id);
        const seated = seats.filter((m) => !leaving.has(m.id));
        const { problem } = replacementProblem({
          pool: members,
          quotas: pool.quotas,
          size: pool.panelSize,
          householdRule: true,
          seated: seated.map((m) => ({ selectionId: m.id, features: { ...m.features }, household: m.household ?? null })),
          everDrawn,
          stillInPool,
        });
        // Nobody drawn before comes back, nobody of a seated household is offered.
        expect(problem.members.some((m) => everDrawn.has(m.id))).toBe(false);
        const distribution = await computeMaximinDistribution(problem);
        const input = { poolHash: poolSnapshotHash(problem.members), rulesHash: rulesHash(problem.panelSize, true, problem.quotas), algorithmVersion: distribution.algorithmVersion, seed: `r${round}` };
        const drawn = drawMembers(distribution, input).map((id) => byId.get(id)!);
        for (const m of drawn) everDrawn.add(m.id);
        seats = [...seated, ...drawn];
        replaced += drawn.length;
        expect(violations(pool.quotas, pool.panelSize, seats)).toEqual([]);
      }
      expect(replaced).toBe(30);
    },
    300_000,
  );

  it('shifts the quotas by the seated members and leaves out withdrawn profiles', () => {
    const quotas: Quota[] = [
      { feature: 'g', value: 'f', min: 2, max: 2 },
      { feature: 'g', value: 'm', min: 1, max: 3 },
    ];
    const pool: PoolMember[] = ['a', 'b', 'c', 'd', 'e'].map((id, i) => ({ id, features: { g: i % 2 ? 'm' : 'f' }, household: id === 'e' ? 'H' : null }));
    const { problem, vacancies } = replacementProblem({
      pool,
      quotas,
      size: 4,
      householdRule: true,
      seated: [{ selectionId: 'a', features: { g: 'f' }, household: 'H' }, { selectionId: 'b', features: { g: 'm' }, household: null }],
      everDrawn: new Set(['a', 'b']),
      stillInPool: new Set(['a', 'b', 'c', 'e']),
    });
    expect(vacancies).toBe(2);
    expect(problem.quotas).toEqual([
      { feature: 'g', value: 'f', min: 1, max: 1 },
      { feature: 'g', value: 'm', min: 0, max: 2 },
    ]);
    // d withdrew its profile, e shares a's household.
    expect(problem.members.map((m) => m.id)).toEqual(['c']);
  });

  it('rotates the longest-serving out first, equals in a seeded order', () => {
    const day = 86_400_000;
    const members = [
      { selectionId: 'x', activatedAt: new Date(10 * day + 5) },
      { selectionId: 'y', activatedAt: new Date(2 * day) },
      { selectionId: 'z', activatedAt: new Date(10 * day + 1) },
    ];
    expect(rotationOrder(members, (id) => id).map((m) => m.selectionId)).toEqual(['y', 'x', 'z']);
    expect(rotationOrder(members, (id) => (id === 'z' ? 'a' : 'b')).map((m) => m.selectionId)).toEqual(['y', 'z', 'x']);
  });
});

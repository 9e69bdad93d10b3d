import { loadSharedPool, poolMembers } from '../../../../test/utils/sortition-pools';
import { computeMaximinDistribution } from '../selection/maximin';
import { distributionHash, drawMembers, poolSnapshotHash, rulesHash } from '../selection/panel-draw';
import { executeDraw, PanelRun, replayRun } from './panel-run';

/**
 * The published commitment is the pool hash and the rules hash, and neither depends on the order
 * of the pool's rows or of the quotas: nor may the lottery or the draw. The API's lottery cache is
 * keyed by those hashes (a lottery computed from the pool in the database's row order serves the
 * draw from the snapshot), and the run file re-checks from the snapshot's order.
 */
describe('a draw depends on the pool and rules, not on their order', () => {
  it.each(['scotland_fixture_22', 'opendlp_monitoring_30'])('%s: same lottery and members, and the run replays', async (name) => {
    const shared = loadSharedPool(name);
    const pool = poolMembers(shared);
    const shuffled = [...pool.slice(pool.length >> 1), ...pool.slice(0, pool.length >> 1)].reverse();
    const problem = { members: pool, quotas: shared.quotas, panelSize: shared.panelSize, householdRule: true };
    const reordered = { ...problem, members: shuffled, quotas: [...shared.quotas].reverse() };
    const poolHash = poolSnapshotHash(pool);
    const rules = rulesHash(shared.panelSize, true, shared.quotas);
    expect(poolSnapshotHash(shuffled)).toBe(poolHash);
    expect(rulesHash(shared.panelSize, true, reordered.quotas)).toBe(rules);

    const [a, b] = [await computeMaximinDistribution(problem), await computeMaximinDistribution(reordered)];
    expect(distributionHash(b.panels)).toBe(distributionHash(a.panels));
    expect(b.classes).toEqual(a.classes);
    for (const seed of ['1', '2', '3', '4', '5']) {
      const input = { poolHash, rulesHash: rules, algorithmVersion: a.algorithmVersion, seed };
      expect(drawMembers(b, input)).toEqual(drawMembers(a, input));
    }

    // The draw served from a lottery computed on another row order; the run file holds the snapshot.
    const drawn = await executeDraw({ pool, quotas: shared.quotas, panelSize: shared.panelSize, householdRule: true, seed: '4-2-6-1', poolHash, rulesHash: rules, distribution: b });
    const run: PanelRun = {
      format: 'civic-panel-run/1',
      panelId: 'p',
      panelSize: shared.panelSize,
      householdRule: true,
      quotas: shared.quotas,
      pool,
      poolHash,
      rulesHash: rules,
      algorithmVersion: drawn.distribution.algorithmVersion,
      seed: '4-2-6-1',
      distributionHash: drawn.distributionHash,
      minimumProbability: drawn.distribution.minimumProbability,
      members: drawn.members,
    };
    await expect(replayRun(run)).resolves.toEqual({ members: drawn.members, problems: [] });
  });
});

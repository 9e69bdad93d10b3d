import { computeMaximinDistribution } from '../selection/maximin';
import { distributionHash, drawMembers, poolSnapshotHash, rulesHash } from '../selection/panel-draw';
import type { PoolMember, Quota, SelectionDistribution } from '../selection/selection.types';

/** Everything a draw depends on and what it gave: the file `npm run panel:draw` re-runs. */
export interface PanelRun {
  format: 'civic-panel-run/1';
  panelId: string;
  panelSize: number;
  householdRule: boolean;
  quotas: Quota[];
  /** Pseudonymous pool snapshot: selection ids, feature values, hashed household keys. */
  pool: PoolMember[];
  poolHash: string;
  rulesHash: string;
  algorithmVersion: string;
  seed: string;
  distributionHash: string;
  minimumProbability: number;
  /** The drawn members' selection ids, sorted. */
  members: string[];
  /**
   * Replacement and rotation draws only: what the draw completes. Its `pool` is the committed
   * pool (`committedPoolHash`) less everyone ever drawn, withdrawn profiles and the seated
   * members' households; its quotas are `quotasLeft` (the panel's, less the seated members' seats).
   */
  completes?: { kind: 'replacement' | 'rotation'; round: number; committedPoolHash: string; seated: string[]; quotasLeft: Quota[] };
}

export interface RunResult {
  distribution: SelectionDistribution;
  distributionHash: string;
  members: string[];
}

/** Computes the lottery and draws from it: the one code path of the API and of the re-run CLI. */
export async function executeDraw(input: {
  pool: PoolMember[];
  quotas: Quota[];
  panelSize: number;
  householdRule: boolean;
  seed: string;
  poolHash: string;
  rulesHash: string;
  /** The lottery already computed for exactly this pool and these rules (it is deterministic). */
  distribution?: SelectionDistribution;
}): Promise<RunResult> {
  const distribution = input.distribution ?? await computeMaximinDistribution({
    members: input.pool,
    quotas: input.quotas,
    panelSize: input.panelSize,
    householdRule: input.householdRule,
  });
  const members = drawMembers(distribution, { poolHash: input.poolHash, rulesHash: input.rulesHash, algorithmVersion: distribution.algorithmVersion, seed: input.seed });
  return { distribution, distributionHash: distributionHash(distribution.panels), members };
}

/** A problem found when re-running a stored run; an empty list means it checks out. */
export async function replayRun(run: PanelRun): Promise<{ members: string[]; problems: string[] }> {
  const problems: string[] = [];
  const poolHash = poolSnapshotHash(run.pool);
  if (poolHash !== run.poolHash) problems.push(`pool hash ${poolHash} differs from the published ${run.poolHash}`);
  const rules = rulesHash(run.panelSize, run.householdRule, run.quotas);
  if (rules !== run.rulesHash) problems.push(`rules hash ${rules} differs from the stored ${run.rulesHash}`);
  const result = await executeDraw({ pool: run.pool, quotas: run.quotas, panelSize: run.panelSize, householdRule: run.householdRule, seed: run.seed, poolHash: run.poolHash, rulesHash: run.rulesHash });
  if (result.distribution.algorithmVersion !== run.algorithmVersion) {
    problems.push(`algorithm ${result.distribution.algorithmVersion} differs from the run's ${run.algorithmVersion}`);
  }
  if (result.distributionHash !== run.distributionHash) problems.push('the recomputed lottery differs from the stored one');
  const stored = [...run.members].sort().join(',');
  if (result.members.join(',') !== stored) problems.push('the drawn members differ from the stored ones');
  return { members: result.members, problems };
}

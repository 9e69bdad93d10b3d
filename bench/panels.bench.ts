/**
 * `npm run bench -- panels`: the maximin selection (libs/panels) on a synthetic pool of
 * BENCH_PANEL_PEOPLE volunteers (default 2,000, 0 to skip; 5 features, 30 quota values, a panel of 100; the
 * issue's target is < 60 s), then on each published pool of ../shared/data/sortition. Prints wall
 * and CPU seconds (on a shared machine the wall time mostly measures the neighbours), the
 * minimum probability reached, its proven upper bound, and, as the bare baseline, k/n: the
 * probability everyone would have if quotas did not bind.
 */
import { computeMaximinDistribution } from '../libs/panels/src/selection/maximin';
import type { SelectionProblem } from '../libs/panels/src/selection/selection.types';
import { loadSharedPool, poolMembers, SHARED_POOL_NAMES } from '../test/utils/sortition-pools';
import { syntheticPool } from '../test/utils/synthetic-pool';

const PEOPLE = Number(process.env.BENCH_PANEL_PEOPLE ?? 2000);
const PANEL = Number(process.env.BENCH_PANEL_SIZE ?? 100);

async function measure(name: string, problem: SelectionProblem): Promise<void> {
  const cpu = process.cpuUsage();
  const started = Date.now();
  let lastPrint = started;
  const d = await computeMaximinDistribution(problem, {
    onProgress: (p) => {
      if (Date.now() - lastPrint < Number(process.env.BENCH_PRINT_MS ?? 10_000)) return;
      lastPrint = Date.now();
      const gap = (100 * (1 - p.minimum / p.upperBound)).toFixed(1);
      console.log(`  ${name}: round ${p.round}, minimum ${p.minimum.toFixed(4)} ≤ ${p.upperBound.toFixed(4)} (certified gap ${gap} %)${p.classLotteryMinimum === undefined ? '' : `, class lottery ${p.classLotteryMinimum.toFixed(4)} (gap ${(100 * (1 - p.classLotteryMinimum / p.upperBound)).toFixed(1)} %)`}, ${p.panels} panels, cpu ${(process.cpuUsage(cpu).user / 1e6).toFixed(1)} s`);
    },
  });
  const used = process.cpuUsage(cpu);
  console.log(
    [
      name.padEnd(24),
      `n=${String(problem.members.length).padStart(5)} k=${String(problem.panelSize).padStart(3)}`,
      `wall ${((Date.now() - started) / 1000).toFixed(1)} s`,
      `cpu ${((used.user + used.system) / 1e6).toFixed(1)} s`,
      `min ${d.minimumProbability.toFixed(4)} (bound ${d.minimumProbabilityUpperBound.toFixed(4)}, certified gap ${(100 * d.certifiedGap).toFixed(2)} %, k/n ${(problem.panelSize / problem.members.length).toFixed(4)})`,
      `${d.panels.length} panels in support, ${d.stats.pricingRounds} rounds, ${d.stats.mipRounds} MIPs`,
    ].join(' | '),
  );
}

export async function run(): Promise<void> {
  if (PEOPLE > 0) {
    const { members, quotas } = syntheticPool({ people: PEOPLE, valuesPerFeature: [6, 6, 6, 6, 6], panelSize: PANEL, seed: 'bench' });
    await measure('synthetic', { members, quotas, panelSize: PANEL, householdRule: true });
  }
  for (const name of SHARED_POOL_NAMES) {
    const pool = loadSharedPool(name);
    await measure(name, { members: poolMembers(pool), quotas: pool.quotas, panelSize: pool.panelSize, householdRule: true });
  }
}

/**
 * `npm run bench -- budgets`: the tally of a large budget — 100,000 approval ballots over 100
 * projects (synthetic, reproducible: Zipf-like popularity, 1 to 10 approvals each) — by the Method
 * of Equal Shares with Add1 (both variants) and greedy completion, in exact arithmetic. Prints the
 * time and the number of MES runs. Target: < 10 s for until-exhaustive on this machine.
 *
 * Then 1,000 concurrent ballot submissions beside a bare Fastify + pg endpoint doing the same
 * transaction (bench/lib/budget-submissions.ts). Target: ≥ 30 % of the baseline's throughput.
 *
 * Knobs: BENCH_BUDGET_VOTERS (100000), BENCH_BUDGET_PROJECTS (100), BENCH_BUDGET_SEED (7);
 * BENCH_BALLOT_VOTERS (1000), BENCH_RUNS (3); BENCH_BUDGET_PART=tally|submissions for one half.
 */
import { computeOutcome, syntheticApprovalElection } from '@app/budgets';
import { runSubmissions } from './lib/budget-submissions';

function knob(name: string, fallback: number): number {
  const raw = process.env[name];
  return raw ? Number(raw) : fallback;
}

export async function run(): Promise<void> {
  const part = process.env.BENCH_BUDGET_PART;
  if (part !== 'submissions') runTally();
  if (part !== 'tally') await runSubmissions();
}

function runTally(): void {
  const voters = knob('BENCH_BUDGET_VOTERS', 100_000);
  const projects = knob('BENCH_BUDGET_PROJECTS', 100);
  const election = syntheticApprovalElection(voters, projects, knob('BENCH_BUDGET_SEED', 7));
  console.log(`budgets: ${voters} ballots × ${projects} projects, amount ${election.budget}`);
  for (const rule of ['greedy', 'equal-shares'] as const) {
    for (const add1 of rule === 'greedy' ? [undefined] : (['until-exhaustive', 'within-budget'] as const)) {
      const started = performance.now();
      const outcome = computeOutcome(election, { rule, add1 });
      const seconds = (performance.now() - started) / 1000;
      const label = add1 ? `${rule} + Add1 ${add1}` : rule;
      console.log(
        `  ${label.padEnd(36)} ${seconds.toFixed(2).padStart(7)} s  MES runs ${String(outcome.mesRuns).padStart(4)}  selected ${outcome.selected.length}  cost ${outcome.cost}`,
      );
    }
  }
}

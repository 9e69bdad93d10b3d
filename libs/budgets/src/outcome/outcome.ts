import { Election } from './election';
import { MesRun, prepareMes, runMes } from './equal-shares';
import { naturalCompare } from './natural-order';
import { Rational } from './rational';
import { greedyFill, tallyOf } from './tally';

export type OutcomeRule = 'greedy' | 'equal-shares';
export const OUTCOME_RULES: readonly OutcomeRule[] = ['greedy', 'equal-shares'];
/**
 * Add1 completion of MES. `until-exhaustive` (equalshares.net, Wieliczka): raise every voter's
 * share by one currency unit and re-run, stopping at the first exhaustive outcome, or keeping the
 * last outcome within the amount. `within-budget`: keep raising while the outcome stays within
 * the amount, even past an exhaustive one.
 */
export type Add1Variant = 'until-exhaustive' | 'within-budget';
export const ADD1_VARIANTS: readonly Add1Variant[] = ['until-exhaustive', 'within-budget'];
export const TIE_BREAKING = ['lower cost', 'more votes', 'project id in natural order'] as const;

export interface OutcomeOptions {
  rule: OutcomeRule;
  add1?: Add1Variant;
}

export interface OutcomeProject {
  id: string;
  cost: bigint;
  score: number;
  ballots: number;
  selected: boolean;
  /** How it was selected: by MES, by the greedy completion, or by greedy. */
  selectedBy: 'equal-shares' | 'greedy-completion' | 'greedy' | null;
}

export interface Outcome {
  rule: OutcomeRule;
  add1: Add1Variant | null;
  /** Selected project ids in order of selection. */
  selected: string[];
  projects: OutcomeProject[];
  cost: bigint;
  /** equal-shares only: the runs of MES (the first, then one per Add1 step). */
  mesRuns: number;
  /** equal-shares only: each voter's starting share in the kept run, each selected project's maximal payment, what voters had left. */
  shares: { perVoter: Rational; maxPayments: Array<{ id: string; payment: Rational }>; leftover: MesRun['leftover'] } | null;
}

function isExhaustive(costs: Map<string, bigint>, chosen: Set<string>, spent: bigint, budget: bigint): boolean {
  for (const [id, cost] of costs) if (!chosen.has(id) && spent + cost <= budget) return false;
  return true;
}

export function computeOutcome(election: Election, options: OutcomeOptions): Outcome {
  if (options.rule === 'equal-shares' && election.voteType !== 'approval') {
    throw new RangeError('equal-shares needs approval (or knapsack) ballots');
  }
  const tallies = tallyOf(election);
  const selectedBy = new Map<string, OutcomeProject['selectedBy']>();
  let mesRuns = 0;
  let shares: Outcome['shares'] = null;
  const add1 = options.rule === 'equal-shares' ? (options.add1 ?? 'until-exhaustive') : null;

  if (options.rule === 'greedy') {
    for (const id of greedyFill(tallies, election.budget)) selectedBy.set(id, 'greedy');
  } else {
    const prepared = prepareMes(election, tallies);
    const voters = BigInt(Math.max(1, election.ballots.length));
    const costs = new Map(election.projects.map((p) => [p.id, p.cost]));
    const supported = prepared.costs.filter((c, p) => c > 0n && prepared.supporterWeight[p] > 0).length;
    const chosenOf = (run: MesRun) => new Set(run.selected.map((p) => prepared.projectIds[p]));
    let share = Rational.of(election.budget, voters);
    let kept = runMes(prepared, share);
    mesRuns = 1;
    const unit = 10n ** BigInt(election.scale);
    // Add1 steps are whole currency units per voter, from the share rounded down (equalshares.net).
    let perVoter = (election.budget / voters / unit) * unit;
    for (;;) {
      if (add1 === 'until-exhaustive' && isExhaustive(costs, chosenOf(kept), kept.cost, election.budget)) break;
      // Every supported project is in: a larger share cannot change the outcome.
      if (kept.selected.length === supported) break;
      perVoter += unit;
      if (perVoter > election.budget) break;
      const next = runMes(prepared, Rational.of(perVoter));
      mesRuns++;
      if (next.cost > election.budget) break;
      kept = next;
      share = Rational.of(perVoter);
    }
    for (const p of kept.selected) selectedBy.set(prepared.projectIds[p], 'equal-shares');
    for (const id of greedyFill(tallies, election.budget, [...selectedBy.keys()])) selectedBy.set(id, 'greedy-completion');
    shares = {
      perVoter: share,
      maxPayments: kept.selected.map((p, i) => ({ id: prepared.projectIds[p], payment: kept.payments[i] })),
      leftover: kept.leftover,
    };
  }
  const selected = [...selectedBy.keys()];
  const projects = election.projects.map((p) => {
    const t = tallies.get(p.id)!;
    return { id: p.id, cost: p.cost, score: t.score, ballots: t.ballots, selected: selectedBy.has(p.id), selectedBy: selectedBy.get(p.id) ?? null };
  });
  const cost = selected.reduce((s, id) => s + tallies.get(id)!.cost, 0n);
  return { rule: options.rule, add1, selected, projects, cost, mesRuns, shares };
}

/** Selected ids in natural order, as `pb:outcome` prints them. */
export function selectedInNaturalOrder(outcome: Outcome): string[] {
  return [...outcome.selected].sort(naturalCompare);
}

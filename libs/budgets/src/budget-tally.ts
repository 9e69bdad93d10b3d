import { createHash, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, cryptoShuffle, SecretSeal } from '@app/common';
import { EntityManager, In } from 'typeorm';
import { BallotChoice, BallotRule } from './ballot-rules';
import { BudgetBallotDraftEntity, BudgetBallotEntity, BudgetEntity, BudgetProjectEntity, BudgetSealedBallotEntity } from './budget.entity';
import { BudgetHeadingNotFoundError } from './budgets.errors';
import { computeOutcome, Election, pabulibOf, TIE_BREAKING, writePabulib } from './outcome';

/** What a sealed ballot holds: the choice and the hash of the voter's receipt. */
export interface SealedBallot {
  choice: BallotChoice;
  receiptHash: string;
}

/** The election a budget's ballots make (approval and knapsack ballots are approval sets). */
export function electionOfBudget(budget: BudgetEntity, projects: BudgetProjectEntity[], ballots: BallotChoice[]): Election {
  const rule = budget.ballotRule;
  const voteType = rule.kind === 'cumulative' ? 'cumulative' : rule.kind === 'ordinal' ? 'ordinal' : 'approval';
  return {
    scale: 0,
    budget: BigInt(budget.amount),
    voteType,
    projects: projects.map((p) => ({ id: p.id, cost: BigInt(p.cost) })),
    ballots: ballots.map((b) => (voteType === 'cumulative' ? { projects: b.projects, points: b.points } : { projects: b.projects })),
    ...(rule.kind === 'ordinal' ? { positionalScores: rule.scores ?? Array.from({ length: rule.ranks }, (_, i) => rule.ranks - i) } : {}),
  };
}

/** The town-wide heading (districtId null) or a district's, with its amount. */
export function headingOf(budget: BudgetEntity, districtId: string | null): { districtId: string | null; amount: number; ballotRule?: BallotRule } {
  if (districtId === null) return { districtId: null, amount: Number(budget.amount) };
  const found = budget.districtAmounts.find((h) => h.districtId === districtId);
  if (!found) throw new BudgetHeadingNotFoundError();
  return found;
}

export function headingsOf(budget: BudgetEntity): Array<{ districtId: string | null; amount: number; ballotRule?: BallotRule }> {
  return [{ districtId: null, amount: Number(budget.amount) }, ...budget.districtAmounts];
}

/** The budget as one heading sees it: that heading's amount and ballot rule (its own, else the budget's). */
export function scopedToHeading(budget: BudgetEntity, heading: { amount: number; ballotRule?: BallotRule }): BudgetEntity {
  return { ...budget, amount: String(heading.amount), ballotRule: heading.ballotRule ?? budget.ballotRule } as BudgetEntity;
}

/**
 * A heading's Pabulib file. Without `selected` (includeSelected false) and with ballots sorted, it
 * is the canonical text whose SHA-256 is the result's inputsHash.
 */
export function pabulibTextOf(budget: BudgetEntity, projects: BudgetProjectEntity[], ballots: BallotChoice[], districtId: string | null = null, includeSelected = true): string {
  const election = electionOfBudget(budget, projects, ballots);
  const meta: Array<[string, string]> = [
    ['description', budget.title.en],
    ['instance', budget.id],
    ...(districtId ? ([['district', districtId]] as Array<[string, string]>) : []),
    ['currency', budget.currency],
    ['rule', budget.outcomeRule === 'equal-shares' ? `equalshares/add1-${budget.add1}` : 'greedy'],
  ];
  const columns: Record<string, Record<string, string>> = Object.fromEntries(
    projects.map((p): [string, Record<string, string>] => [p.id, includeSelected ? { name: p.title, selected: p.selected ? '1' : '0' } : { name: p.title }]),
  );
  return writePabulib(pabulibOf(election, meta, columns));
}

/**
 * The seal of ballots and drafts: libs/common's SecretSeal (shared with anonymous surveys), bound
 * to the budget; `lookup` finds a ballot by its receipt. The labels are those of the first
 * version, so ballots sealed before the move still open.
 */
export const ballotSeal = (secret: string): SecretSeal => new SecretSeal(secret, { seal: 'budgets-ballot-seal-v1', lookup: 'budgets-receipt-lookup-v1' });

/** Closing a vote: unseal, shuffle and count the ballots, and store the immutable result. */
@Injectable()
export class BudgetTally {
  readonly seal: SecretSeal;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.seal = ballotSeal(config.jwtSecret);
  }

  /**
   * In the transaction that ends voting: every sealed ballot is opened, the lot shuffled and
   * written to budget_ballots at once (one xmin for all, physical order random, fresh random ids),
   * the sealed rows deleted; then the outcome is computed and stored.
   */
  async close(manager: EntityManager, budget: BudgetEntity): Promise<void> {
    const sealed = await manager.find(BudgetSealedBallotEntity, { where: { budgetId: budget.id } });
    const opened = cryptoShuffle(sealed.map((s) => this.seal.open<SealedBallot>(s.sealed, budget.id)));
    if (opened.length) {
      await manager.insert(
        BudgetBallotEntity,
        opened.map((b) => ({ id: randomUUID(), budgetId: budget.id, choice: b.choice, receiptHash: b.receiptHash })),
      );
    }
    await manager.delete(BudgetSealedBallotEntity, { budgetId: budget.id });
    // Drafts never cast say what someone meant to vote: gone with the vote.
    await manager.delete(BudgetBallotDraftEntity, { budgetId: budget.id });
    const allProjects = await manager.find(BudgetProjectEntity, { where: { budgetId: budget.id, status: 'on_ballot' }, order: { id: 'ASC' } });
    const allBallots = opened.map((b) => b.choice);
    const districtOf = new Map(allProjects.map((p) => [p.id, p.districtId]));
    // Each heading (town-wide, then each district with an amount) is tallied on its own: its
    // projects, the ballots that chose them (a ballot holds one heading), its amount.
    const headings = headingsOf(budget).map((heading) => {
      const projects = allProjects.filter((p) => p.districtId === heading.districtId);
      const ballots = allBallots.filter((c) => (c.projects.length ? districtOf.get(c.projects[0]) === heading.districtId : heading.districtId === null));
      const scoped = scopedToHeading(budget, heading);
      const outcome = computeOutcome(electionOfBudget(scoped, projects, ballots), { rule: budget.outcomeRule, add1: budget.add1 ?? undefined });
      // The hash of the inputs does not depend on the ballots' random order.
      const canonical = pabulibTextOf(scoped, projects, [...ballots].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)), heading.districtId, false);
      return {
        districtId: heading.districtId,
        amount: heading.amount,
        ballots: ballots.length,
        inputsHash: createHash('sha256').update(canonical).digest('hex'),
        cost: outcome.cost.toString(),
        selected: outcome.selected,
        projects: outcome.projects.map((p) => ({ id: p.id, cost: p.cost.toString(), votes: p.score, ballots: p.ballots, selected: p.selected, selectedBy: p.selectedBy })),
        mesRuns: outcome.mesRuns,
        shares: outcome.shares && {
          perVoter: outcome.shares.perVoter.key(),
          maxPayments: outcome.shares.maxPayments.map((m) => ({ id: m.id, payment: m.payment.key() })),
          leftover: { money: outcome.shares.leftover.money.key(), votersWithNothing: outcome.shares.leftover.votersWithNothing },
        },
      };
    });
    const selected = headings.flatMap((h) => h.selected);
    if (selected.length) await manager.update(BudgetProjectEntity, { id: In(selected) }, { selected: true });
    const inputsHash = createHash('sha256').update(headings.map((h) => h.inputsHash).join('\n')).digest('hex');
    const result: Record<string, unknown> = {
      rule: budget.outcomeRule,
      add1: budget.add1,
      tieBreaking: [...TIE_BREAKING],
      ballots: allBallots.length,
      selected,
      headings,
    };
    await manager.query(`INSERT INTO budget_results (budget_id, inputs_hash, result) VALUES ($1, $2, $3)`, [budget.id, inputsHash, JSON.stringify(result)]);
  }
}

import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { OutboxService, TransactionService } from '@app/common';
import { AccessService, Actor } from '@app/identity';
import { Repository } from 'typeorm';
import { BallotChoice, ballotViolation } from './ballot-rules';
import { BudgetBallotDraftEntity, BudgetBallotEntity, BudgetEntity, BudgetParticipationEntity, BudgetProjectEntity, BudgetResultEntity, BudgetSealedBallotEntity } from './budget.entity';
import { AlreadyVotedError, BallotRuleBrokenError, BudgetResultsNotReadyError, NoDraftBallotError, NotEligibleError, ReceiptNotFoundError, WrongBudgetPhaseError } from './budgets.errors';
import { BudgetsService } from './budgets.service';
import { BudgetTally, headingOf, pabulibTextOf, scopedToHeading, SealedBallot } from './budget-tally';
import { ineligibility, ResidencyFacts } from './eligibility';
import { BallotProject, VotingSnapshots } from './voting-snapshots';
import { BudgetTurnout, turnoutOf } from './realtime/budget-turnout';

export interface Receipt {
  /** Shown once to the voter; its SHA-256 is published with the counted ballot. */
  receipt: string;
  receiptHash: string;
}

export function receiptHashOf(receipt: string): string {
  return createHash('sha256').update(receipt).digest('hex');
}

/** Drafts, secret ballots, receipts, results and the Pabulib export of a budget. */
@Injectable()
export class BallotsService {
  constructor(
    @InjectRepository(BudgetProjectEntity) private readonly projects: Repository<BudgetProjectEntity>,
    @InjectRepository(BudgetBallotEntity) private readonly ballots: Repository<BudgetBallotEntity>,
    @InjectRepository(BudgetResultEntity) private readonly results: Repository<BudgetResultEntity>,
    @InjectRepository(BudgetBallotDraftEntity) private readonly drafts: Repository<BudgetBallotDraftEntity>,
    private readonly budgets: BudgetsService,
    private readonly access: AccessService,
    private readonly tx: TransactionService,
    private readonly tally: BudgetTally,
    private readonly outbox: OutboxService,
    private readonly snapshots: VotingSnapshots,
  ) {}

  /**
   * The budget (voting) and the caller's eligibility. Casting reads the kept snapshot: it checks
   * the phase again under lock. Drafts read the budget itself, so none is kept after the close.
   */
  private async votingBudgetFor(actor: Actor, budgetId: string, fresh = false): Promise<{ budget: BudgetEntity; onBallot: BallotProject[]; voter: ResidencyFacts }> {
    const { budget, onBallot } = fresh ? { budget: await this.budgets.get(budgetId), onBallot: [] } : await this.snapshots.get(budgetId);
    if (budget.phase !== 'voting') throw new WrongBudgetPhaseError('voting', budget.phase);
    return { budget, onBallot, voter: await this.eligibleVoter(budget, actor.id) };
  }

  /** The voter's residency facts, if they may vote in this budget at all (the district is checked with the ballot). */
  private async eligibleVoter(budget: BudgetEntity, userId: string): Promise<ResidencyFacts> {
    const residency = await this.access.residencyOf(userId, budget.municipalityId);
    const reason = ineligibility(budget.eligibility, residency, new Date().getUTCFullYear());
    if (reason) throw new NotEligibleError(reason, budget.eligibility.minimumAge ? { minimumAge: budget.eligibility.minimumAge } : {});
    return residency!;
  }

  /**
   * The rule, within one heading: a ballot's projects are all town-wide or all of one district,
   * checked by that heading's ballot rule (its own, else the budget's) against its amount.
   */
  private check(budget: BudgetEntity, onBallot: BallotProject[], choice: BallotChoice, voter: ResidencyFacts): void {
    const byId = new Map(onBallot.map((p) => [p.id, p]));
    const headings = new Set(choice.projects.filter((id) => byId.has(id)).map((id) => byId.get(id)!.districtId));
    if (headings.size > 1) {
      throw new BallotRuleBrokenError({
        code: 'BALLOT_WRONG_DISTRICT',
        rule: budget.ballotRule.kind,
        message: 'A ballot chooses projects of one district, or town-wide ones only',
        figures: { districts: headings.size },
      });
    }
    const heading = headings.size ? [...headings][0] : null;
    if (ineligibility(budget.eligibility, voter, new Date().getUTCFullYear(), heading)) throw new NotEligibleError('other_district', { districtId: heading });
    const scoped = scopedToHeading(budget, headingOf(budget, heading));
    const costs = new Map(onBallot.filter((p) => p.districtId === heading || !headings.size).map((p) => [p.id, Number(p.cost)]));
    const violation = ballotViolation(scoped.ballotRule, Number(scoped.amount), costs, choice);
    if (violation) throw new BallotRuleBrokenError(violation);
  }

  /** Keeps the caller's draft (sealed); it is checked against the rule only on submit. */
  async putDraft(actor: Actor, budgetId: string, choice: BallotChoice): Promise<void> {
    const { budget } = await this.votingBudgetFor(actor, budgetId, true);
    const sealed = this.tally.seal.seal(choice, budget.id);
    await this.drafts.upsert({ budgetId, userId: actor.id, sealed }, ['budgetId', 'userId']);
  }

  async getDraft(actor: Actor, budgetId: string): Promise<BallotChoice | null> {
    const { budget } = await this.votingBudgetFor(actor, budgetId, true);
    const draft = await this.drafts.findOneBy({ budgetId, userId: actor.id });
    return draft ? this.tally.seal.open<BallotChoice>(draft.sealed, budget.id) : null;
  }

  /**
   * Casts the draft: exactly one per resident — the participation's primary key decides under
   * any concurrency (a second submit, from another device at the same instant, finds the row and
   * is refused). The ballot is sealed in the same transaction and joins the others at close.
   */
  async submit(actor: Actor, budgetId: string): Promise<Receipt> {
    const { budget, onBallot, voter } = await this.votingBudgetFor(actor, budgetId);
    const draft = await this.drafts.findOneBy({ budgetId, userId: actor.id });
    if (!draft) {
      const voted = await this.tx.run((m) => m.existsBy(BudgetParticipationEntity, { budgetId, userId: actor.id }));
      throw voted ? new AlreadyVotedError() : new NoDraftBallotError();
    }
    const choice = this.tally.seal.open<BallotChoice>(draft.sealed, budget.id);
    this.check(budget, onBallot, choice, voter);
    const receipt = await this.cast(budgetId, actor.id, 'online', choice, budget.phase);
    return receipt;
  }

  /**
   * A paper ballot (town hall, third places), entered by staff for a verified resident who has
   * not voted online; that resident then cannot vote online. Counted and exported like the others.
   */
  async enterPaperBallot(actor: Actor, budgetId: string, residentId: string, choice: BallotChoice): Promise<Receipt> {
    const budget = await this.budgets.get(budgetId);
    await this.access.assertRole(actor, budget.municipalityId, ['staff']);
    if (budget.phase !== 'voting') throw new WrongBudgetPhaseError('voting', budget.phase);
    const voter = await this.eligibleVoter(budget, residentId);
    this.check(budget, (await this.snapshots.get(budgetId)).onBallot, choice, voter);
    return this.cast(budgetId, residentId, 'paper', choice, budget.phase);
  }

  /** One participation (the primary key refuses a second) and its sealed ballot, in one transaction. */
  private async cast(budgetId: string, userId: string, channel: 'online' | 'paper', choice: BallotChoice, seenPhase: BudgetEntity['phase']): Promise<Receipt> {
    const receipt = randomBytes(16).toString('base64url');
    const receiptHash = receiptHashOf(receipt);
    await this.tx.run(async (manager) => {
      // The budget row is read under a share lock, so voting cannot close between the phase
      // check and this ballot's commit (closing takes the row's write lock).
      const locked = await manager.findOne(BudgetEntity, { where: { id: budgetId }, lock: { mode: 'pessimistic_read' } });
      if (!locked || locked.phase !== 'voting') throw new WrongBudgetPhaseError('voting', locked?.phase ?? seenPhase);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(BudgetParticipationEntity)
        .values({ budgetId, userId, channel })
        .orIgnore()
        .returning('user_id')
        .execute();
      if ((inserted.raw as unknown[]).length === 0) throw new AlreadyVotedError();
      const sealed: SealedBallot = { choice, receiptHash };
      await manager.insert(BudgetSealedBallotEntity, {
        budgetId,
        sealed: this.tally.seal.seal(sealed, budgetId),
        receiptLookup: this.tally.seal.lookup(receipt, budgetId),
      });
      await manager.delete(BudgetBallotDraftEntity, { budgetId, userId });
      await this.outbox.record(
        manager,
        'budgets.ballot_cast',
        { budgetId, municipalityId: locked.municipalityId },
        { aggregateType: 'budget', aggregateId: budgetId, municipalityId: locked.municipalityId, actorId: null },
      );
    });
    return { receipt, receiptHash };
  }

  /**
   * Until voting closes, a resident who voted replaces their ballot by showing its receipt: the
   * sealed ballot is rewritten in place with the new choice and a new receipt; the old receipt
   * stops working and its hash will not be published. The receipt is the only link: nothing
   * records whose ballot it was.
   */
  async replace(actor: Actor, budgetId: string, oldReceipt: string, choice: BallotChoice): Promise<Receipt> {
    const { budget, onBallot, voter } = await this.votingBudgetFor(actor, budgetId);
    this.check(budget, onBallot, choice, voter);
    const receipt = randomBytes(16).toString('base64url');
    const receiptHash = receiptHashOf(receipt);
    await this.tx.run(async (manager) => {
      const locked = await manager.findOne(BudgetEntity, { where: { id: budgetId }, lock: { mode: 'pessimistic_read' } });
      if (!locked || locked.phase !== 'voting') throw new WrongBudgetPhaseError('voting', locked?.phase ?? budget.phase);
      if (!(await manager.existsBy(BudgetParticipationEntity, { budgetId, userId: actor.id }))) throw new ReceiptNotFoundError();
      const sealed: SealedBallot = { choice, receiptHash };
      const updated = await manager.update(
        BudgetSealedBallotEntity,
        { budgetId, receiptLookup: this.tally.seal.lookup(oldReceipt, budgetId) },
        { sealed: this.tally.seal.seal(sealed, budgetId), receiptLookup: this.tally.seal.lookup(receipt, budgetId) },
      );
      if (!updated.affected) throw new ReceiptNotFoundError();
    });
    return { receipt, receiptHash };
  }

  /** Public once voting has closed: the hashes of every counted ballot's receipt, sorted. */
  async receipts(budgetId: string): Promise<string[]> {
    const budget = await this.budgets.get(budgetId);
    if (budget.phase !== 'finished') throw new BudgetResultsNotReadyError(budget.phase);
    const rows = await this.ballots.find({ select: { receiptHash: true }, where: { budgetId }, order: { receiptHash: 'ASC' } });
    return rows.map((r) => r.receiptHash);
  }

  async turnout(budgetId: string): Promise<BudgetTurnout> {
    const budget = await this.budgets.get(budgetId);
    return this.tx.run((m) => turnoutOf(m, budget.id, budget.municipalityId));
  }

  async result(budgetId: string): Promise<{ inputsHash: string; result: Record<string, unknown>; createdAt: Date }> {
    const budget = await this.budgets.get(budgetId);
    const found = await this.results.findOneBy({ budgetId });
    if (!found) throw new BudgetResultsNotReadyError(budget.phase);
    return { inputsHash: found.inputsHash, result: found.result, createdAt: found.createdAt };
  }

  /** The Pabulib file of a closed budget: ballots anonymous, in a random order each time. */
  async exportPabulib(budgetId: string, districtId: string | null = null): Promise<string> {
    const budget = await this.budgets.get(budgetId);
    if (budget.phase !== 'finished') throw new BudgetResultsNotReadyError(budget.phase);
    const heading = headingOf(budget, districtId);
    const projects = (await this.projects.find({ where: { budgetId, status: 'on_ballot' }, order: { id: 'ASC' } })).filter((p) => p.districtId === heading.districtId);
    const rows = await this.ballots.createQueryBuilder('b').select(['b.choice']).where('b.budgetId = :budgetId', { budgetId }).orderBy('random()').getMany();
    const ids = new Set(projects.map((p) => p.id));
    const ballots = rows.map((r) => r.choice).filter((c) => (c.projects.length ? ids.has(c.projects[0]) : heading.districtId === null));
    return pabulibTextOf(scopedToHeading(budget, heading), projects, ballots, heading.districtId);
  }
}

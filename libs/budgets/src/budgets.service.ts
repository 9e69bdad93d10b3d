import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditService, FieldError, OutboxService, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor, DistrictsService, MunicipalitiesService } from '@app/identity';
import { EntityManager, Repository } from 'typeorm';
import { BallotRule } from './ballot-rules';
import { BudgetEntity, BudgetPhase, BUDGET_PHASES, LocalizedText } from './budget.entity';
import { BudgetNotFoundError, BudgetSettingFixedError, WrongBudgetPhaseError } from './budgets.errors';
import { BudgetTally } from './budget-tally';
import { BudgetAnnouncements } from './notifications/budget-announcements';
import type { Add1Variant, OutcomeRule } from './outcome';
import type { BudgetEligibility } from './eligibility';
import type { DistrictHeading } from './budget.entity';

export interface CreateBudgetInput {
  title: LocalizedText;
  description: LocalizedText;
  amount: number;
  currency: string;
  districtAmounts?: DistrictHeading[];
  ballotRule: BallotRule;
  outcomeRule: OutcomeRule;
  add1?: Add1Variant;
  eligibility?: BudgetEligibility;
  proposingEndsAt: Date;
  reviewingEndsAt: Date;
  votingEndsAt: Date;
}

export type UpdateBudgetInput = Partial<CreateBudgetInput>;

/** What shapes the vote: fixed once voting opens (residents vote on what they were shown). */
const FIXED_ONCE_VOTING: ReadonlyArray<keyof CreateBudgetInput> = ['amount', 'currency', 'districtAmounts', 'ballotRule', 'outcomeRule', 'add1', 'eligibility'];
/** The last phase in which each end date may still change (the date of a phase that has ended is history). */
const DATE_EDITABLE_UNTIL: ReadonlyArray<[keyof CreateBudgetInput, BudgetPhase]> = [
  ['proposingEndsAt', 'proposing'],
  ['reviewingEndsAt', 'reviewing'],
  ['votingEndsAt', 'voting'],
];

/** What one ballot rule (the budget's, or a district heading's own) needs, and whether the outcome rule can count it. */
function ballotRuleProblems(ballotRule: BallotRule, at: string, outcomeRule: OutcomeRule): FieldError[] {
  const problems: FieldError[] = [];
  const rule = ballotRule as Partial<Record<string, unknown>> & { kind: string };
  // Each figure has its own code, so the message says what is missing in words, not the field's path.
  const need = (field: string, code: string, message: string) => {
    if (rule[field] === undefined) problems.push({ field: `${at}.${field}`, code, message });
  };
  if (rule.kind === 'approval') need('maxProjects', 'MAX_PROJECTS_REQUIRED', 'Approval ballots need the most projects a voter may choose');
  if (rule.kind === 'cumulative') {
    need('points', 'POINTS_REQUIRED', 'Cumulative ballots need the number of points each voter shares out');
    need('maxPerProject', 'MAX_PER_PROJECT_REQUIRED', 'Cumulative ballots need the most points one project may receive');
  }
  if (rule.kind === 'ordinal') {
    need('ranks', 'RANKS_REQUIRED', 'Ranked ballots need the number of projects each voter ranks');
    if (Array.isArray(rule.scores) && rule.scores.length !== rule.ranks) problems.push({ field: `${at}.scores`, code: 'ONE_SCORE_PER_RANK', message: 'Give one score per rank' });
  }
  if (outcomeRule === 'equal-shares' && rule.kind !== 'approval' && rule.kind !== 'knapsack') {
    problems.push({ field: at === 'ballotRule' ? 'outcomeRule' : at, code: 'EQUAL_SHARES_NEEDS_APPROVAL', message: 'Equal shares counts approval or knapsack ballots only' });
  }
  return problems;
}

/** Rules the DTO cannot express: the fields each ballot kind needs, dates in order, MES on approval sets. */
export function budgetInputProblems(input: CreateBudgetInput): FieldError[] {
  const problems = ballotRuleProblems(input.ballotRule, 'ballotRule', input.outcomeRule);
  (input.districtAmounts ?? []).forEach((h, i) => {
    if (h.ballotRule) problems.push(...ballotRuleProblems(h.ballotRule, `districtAmounts.${i}.ballotRule`, input.outcomeRule));
  });
  if (input.add1 !== undefined && input.outcomeRule !== 'equal-shares') problems.push({ field: 'add1', code: 'ADD1_EQUAL_SHARES_ONLY', message: 'Add1 completes equal shares only' });
  if (!(input.proposingEndsAt <= input.reviewingEndsAt)) problems.push({ field: 'reviewingEndsAt', code: 'REVIEW_ENDS_BEFORE_PROPOSALS', message: 'The review cannot end before proposals close' });
  if (!(input.reviewingEndsAt <= input.votingEndsAt)) problems.push({ field: 'votingEndsAt', code: 'VOTING_ENDS_BEFORE_REVIEW', message: 'Voting cannot end before the review ends' });
  return problems;
}

function endOf(budget: BudgetEntity, phase: BudgetPhase): Date | null {
  if (phase === 'proposing') return budget.proposingEndsAt;
  if (phase === 'reviewing') return budget.reviewingEndsAt;
  if (phase === 'voting') return budget.votingEndsAt;
  return null;
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Processes, phases and projects of participatory budgets. */
@Injectable()
export class BudgetsService {
  constructor(
    @InjectRepository(BudgetEntity) private readonly budgets: Repository<BudgetEntity>,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly tally: BudgetTally,
    private readonly districts: DistrictsService,
    private readonly announcements: BudgetAnnouncements,
  ) {}

  async create(actor: Actor, slug: string, input: CreateBudgetInput): Promise<BudgetEntity> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    const headings = input.districtAmounts ?? [];
    await this.assertSettingsFit(municipality.id, input);
    return this.tx.run(async (manager) => {
      const budget = await manager.save(
        manager.create(BudgetEntity, {
          municipalityId: municipality.id,
          title: input.title,
          description: input.description,
          amount: String(input.amount),
          currency: input.currency,
          districtAmounts: headings,
          ballotRule: input.ballotRule,
          outcomeRule: input.outcomeRule,
          add1: input.outcomeRule === 'equal-shares' ? (input.add1 ?? 'until-exhaustive') : null,
          eligibility: input.eligibility ?? {},
          phase: 'proposing',
          proposingEndsAt: input.proposingEndsAt,
          reviewingEndsAt: input.reviewingEndsAt,
          votingEndsAt: input.votingEndsAt,
        }),
      );
      await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: 'budget.created', targetType: 'budget', targetId: budget.id, after: { amount: budget.amount, outcomeRule: budget.outcomeRule } });
      await this.outbox.record(manager, 'budgets.created', { budgetId: budget.id, municipalityId: municipality.id }, { aggregateType: 'budget', aggregateId: budget.id, municipalityId: municipality.id, actorId: actor.id });
      return budget;
    });
  }

  /** Settings the DTO cannot check: per-kind figures, dates in order, headings that are this town's districts. */
  private async assertSettingsFit(municipalityId: string, input: CreateBudgetInput): Promise<void> {
    const problems = budgetInputProblems(input);
    const headings = input.districtAmounts ?? [];
    if (new Set(headings.map((h) => h.districtId)).size !== headings.length) problems.push({ field: 'districtAmounts', code: 'DISTRICT_LISTED_TWICE', message: 'A district has two amounts' });
    for (const h of headings) {
      const known = await this.districts.requireInMunicipality(municipalityId, h.districtId).then(
        () => true,
        () => false,
      );
      if (!known) problems.push({ field: 'districtAmounts', code: 'NOT_A_TOWN_DISTRICT', message: `District ${h.districtId} is not one of this town's districts`, params: { districtId: h.districtId } });
    }
    if (problems.length) throw new ValidationError('The budget settings do not fit together', problems);
  }

  /**
   * The admin changes a budget: texts at any time; amounts, headings and rules until voting opens;
   * each end date until its phase has ended. A changed date reschedules the phase move (the
   * budgets.updated event); the job scheduled for the old date finds it stale and does nothing.
   */
  async update(actor: Actor, id: string, input: UpdateBudgetInput): Promise<BudgetEntity> {
    const current = await this.get(id);
    await this.access.assertRole(actor, current.municipalityId, ['admin']);
    const changed = (Object.keys(input) as Array<keyof CreateBudgetInput>).filter((k) => input[k] !== undefined);
    return this.tx.run(async (manager) => {
      const budget = await this.lock(manager, id);
      const phaseIndex = BUDGET_PHASES.indexOf(budget.phase);
      const votingOpened = phaseIndex >= BUDGET_PHASES.indexOf('voting');
      for (const field of changed) {
        const until = DATE_EDITABLE_UNTIL.find(([f]) => f === field)?.[1];
        const editable = until !== undefined ? phaseIndex <= BUDGET_PHASES.indexOf(until) : !(FIXED_ONCE_VOTING.includes(field) && votingOpened);
        if (!editable) throw new BudgetSettingFixedError(field, budget.phase);
      }
      const merged: CreateBudgetInput = { ...this.settingsOf(budget), ...Object.fromEntries(changed.map((k) => [k, input[k]])) };
      if (input.outcomeRule !== undefined && input.outcomeRule !== 'equal-shares' && input.add1 === undefined) merged.add1 = undefined;
      await this.assertSettingsFit(budget.municipalityId, merged);
      const after = {
        title: merged.title,
        description: merged.description,
        amount: String(merged.amount),
        currency: merged.currency,
        districtAmounts: merged.districtAmounts ?? [],
        ballotRule: merged.ballotRule,
        outcomeRule: merged.outcomeRule,
        add1: merged.outcomeRule === 'equal-shares' ? (merged.add1 ?? 'until-exhaustive') : null,
        eligibility: merged.eligibility ?? {},
        proposingEndsAt: merged.proposingEndsAt,
        reviewingEndsAt: merged.reviewingEndsAt,
        votingEndsAt: merged.votingEndsAt,
      };
      await manager.update(BudgetEntity, { id }, after);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: budget.municipalityId, action: 'budget.updated', targetType: 'budget', targetId: id, before: Object.fromEntries(changed.map((k) => [k, (budget as unknown as Record<string, unknown>)[k]])), after: Object.fromEntries(changed.map((k) => [k, (after as Record<string, unknown>)[k]])) });
      await this.outbox.record(manager, 'budgets.updated', { budgetId: id, municipalityId: budget.municipalityId, changed }, { aggregateType: 'budget', aggregateId: id, municipalityId: budget.municipalityId, actorId: actor.id });
      return Object.assign(budget, after);
    });
  }

  private settingsOf(b: BudgetEntity): CreateBudgetInput {
    return {
      title: b.title,
      description: b.description,
      amount: Number(b.amount),
      currency: b.currency,
      districtAmounts: b.districtAmounts,
      ballotRule: b.ballotRule,
      outcomeRule: b.outcomeRule,
      add1: b.add1 ?? undefined,
      eligibility: b.eligibility,
      proposingEndsAt: b.proposingEndsAt,
      reviewingEndsAt: b.reviewingEndsAt,
      votingEndsAt: b.votingEndsAt,
    };
  }

  async list(slug: string): Promise<BudgetEntity[]> {
    const municipality = await this.municipalities.requireBySlug(slug);
    return this.budgets.find({ where: { municipalityId: municipality.id }, order: { id: 'ASC' }, take: 100 });
  }

  async get(id: string, manager?: EntityManager): Promise<BudgetEntity> {
    const repo = manager ? manager.getRepository(BudgetEntity) : this.budgets;
    const found = UUID_SHAPE.test(id) ? await repo.findOneBy({ id }) : null;
    if (!found) throw new BudgetNotFoundError();
    return found;
  }

  async lock(manager: EntityManager, id: string): Promise<BudgetEntity> {
    const found = UUID_SHAPE.test(id) ? await manager.findOne(BudgetEntity, { where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!found) throw new BudgetNotFoundError();
    return found;
  }

  /** Moves a budget to its next phase early (admin). Entering tallying runs the tally at once. */
  async advance(actor: Actor, id: string): Promise<BudgetEntity> {
    const budget = await this.get(id);
    await this.access.assertRole(actor, budget.municipalityId, ['admin']);
    return this.moveToNext(id, budget.phase, actor.id, 'admin');
  }

  /**
   * Moves the budget from `from` to the next phase, unless it has moved already (a repeated or
   * late scheduled job is a no-op). Closing voting seals the outcome in the same transaction.
   */
  async moveToNext(id: string, from: BudgetPhase, actorId: string | null, by: 'admin' | 'schedule', scheduledFor?: Date): Promise<BudgetEntity> {
    return this.tx.run(async (manager) => {
      const budget = await this.lock(manager, id);
      // A job for a date the admin has since changed is stale: the job for the new date moves it.
      const stale = by === 'schedule' && scheduledFor !== undefined && endOf(budget, from)?.getTime() !== scheduledFor.getTime();
      if (budget.phase !== from || from === 'finished' || from === 'tallying' || stale) {
        if (by === 'schedule') return budget;
        throw new WrongBudgetPhaseError(['proposing', 'reviewing', 'voting'], budget.phase);
      }
      let to = BUDGET_PHASES[BUDGET_PHASES.indexOf(from) + 1];
      await this.recordMove(manager, budget, from, to, actorId, by);
      if (to === 'tallying') {
        await this.tally.close(manager, budget);
        await this.recordMove(manager, budget, 'tallying', 'finished', actorId, by);
        to = 'finished';
      }
      budget.phase = to;
      await manager.update(BudgetEntity, { id }, { phase: to });
      return budget;
    });
  }

  private async recordMove(manager: EntityManager, budget: BudgetEntity, from: BudgetPhase, to: BudgetPhase, actorId: string | null, by: 'admin' | 'schedule'): Promise<void> {
    await this.audit.record(manager, { actorId, municipalityId: budget.municipalityId, action: 'budget.phase_changed', targetType: 'budget', targetId: budget.id, before: { phase: from }, after: { phase: to, by } });
    await this.outbox.record(
      manager,
      'budgets.phase_changed',
      { budgetId: budget.id, municipalityId: budget.municipalityId, from, to, by },
      { aggregateType: 'budget', aggregateId: budget.id, municipalityId: budget.municipalityId, actorId },
    );
    await this.announcements.phaseMoved(manager, budget, to, actorId);
  }

  /**
   * The scheduled move a budget needs now: its current phase's end, or null once voting has
   * closed. Read in the consumer's transaction, so it sees the state the event left.
   */
  async nextMove(budgetId: string, manager: EntityManager): Promise<{ from: 'proposing' | 'reviewing' | 'voting'; at: Date } | null> {
    const budget = await manager.findOneBy(BudgetEntity, { id: budgetId });
    if (!budget) return null;
    const at = endOf(budget, budget.phase);
    return at ? { from: budget.phase as 'proposing' | 'reviewing' | 'voting', at } : null;
  }
}

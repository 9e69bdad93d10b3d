import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditService, FieldError, OutboxService, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor, DistrictsService, MunicipalitiesService } from '@app/identity';
import { EntityManager, Repository } from 'typeorm';
import { BallotRule } from './ballot-rules';
import { BudgetEntity, BudgetPhase, BUDGET_PHASES, BudgetProjectEntity, BudgetProjectStatus, LocalizedText } from './budget.entity';
import { BudgetNotFoundError, BudgetProjectNotFoundError, NotEligibleError, WrongBudgetPhaseError } from './budgets.errors';
import { BudgetTally } from './budget-tally';
import type { Add1Variant, OutcomeRule } from './outcome';

export interface CreateBudgetInput {
  title: LocalizedText;
  description: LocalizedText;
  amount: number;
  currency: string;
  districtAmounts?: Array<{ districtId: string; amount: number }>;
  ballotRule: BallotRule;
  outcomeRule: OutcomeRule;
  add1?: Add1Variant;
  proposingEndsAt: Date;
  reviewingEndsAt: Date;
  votingEndsAt: Date;
}

export interface ProposeProjectInput {
  /** A district with its own amount in this budget; none for the town-wide heading. */
  districtId?: string;
  title: string;
  description: string;
  cost: number;
}

export interface ReviewProjectInput {
  status: Exclude<BudgetProjectStatus, 'proposed'>;
  reason?: string;
  cost?: number;
}

/** Rules the DTO cannot express: the fields each ballot kind needs, dates in order, MES on approval sets. */
export function budgetInputProblems(input: CreateBudgetInput): FieldError[] {
  const problems: FieldError[] = [];
  const rule = input.ballotRule as Partial<Record<string, unknown>> & { kind: string };
  const need = (field: string) => {
    if (rule[field] === undefined) problems.push({ field: `ballotRule.${field}`, code: 'IS_DEFINED', message: `${rule.kind} ballots need ${field}` });
  };
  if (rule.kind === 'approval') need('maxProjects');
  if (rule.kind === 'cumulative') {
    need('points');
    need('maxPerProject');
  }
  if (rule.kind === 'ordinal') {
    need('ranks');
    if (Array.isArray(rule.scores) && rule.scores.length !== rule.ranks) problems.push({ field: 'ballotRule.scores', code: 'INVALID', message: 'one score per rank' });
  }
  if (input.outcomeRule === 'equal-shares' && rule.kind !== 'approval' && rule.kind !== 'knapsack') {
    problems.push({ field: 'outcomeRule', code: 'INVALID', message: 'equal-shares needs approval or knapsack ballots' });
  }
  if (input.add1 !== undefined && input.outcomeRule !== 'equal-shares') problems.push({ field: 'add1', code: 'INVALID', message: 'add1 applies to equal-shares only' });
  if (!(input.proposingEndsAt <= input.reviewingEndsAt)) problems.push({ field: 'reviewingEndsAt', code: 'INVALID', message: 'must not be before proposingEndsAt' });
  if (!(input.reviewingEndsAt <= input.votingEndsAt)) problems.push({ field: 'votingEndsAt', code: 'INVALID', message: 'must not be before reviewingEndsAt' });
  return problems;
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Processes, phases and projects of participatory budgets. */
@Injectable()
export class BudgetsService {
  constructor(
    @InjectRepository(BudgetEntity) private readonly budgets: Repository<BudgetEntity>,
    @InjectRepository(BudgetProjectEntity) private readonly projects: Repository<BudgetProjectEntity>,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly tally: BudgetTally,
    private readonly districts: DistrictsService,
  ) {}

  async create(actor: Actor, slug: string, input: CreateBudgetInput): Promise<BudgetEntity> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    const problems = budgetInputProblems(input);
    const headings = input.districtAmounts ?? [];
    if (new Set(headings.map((h) => h.districtId)).size !== headings.length) problems.push({ field: 'districtAmounts', code: 'INVALID', message: 'a district is listed twice' });
    for (const h of headings) {
      const known = await this.districts.requireInMunicipality(municipality.id, h.districtId).then(
        () => true,
        () => false,
      );
      if (!known) problems.push({ field: 'districtAmounts', code: 'INVALID', message: `district ${h.districtId} is not a district of this municipality` });
    }
    if (problems.length) throw new ValidationError('The budget settings do not fit together', problems);
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
  async moveToNext(id: string, from: BudgetPhase, actorId: string | null, by: 'admin' | 'schedule'): Promise<BudgetEntity> {
    return this.tx.run(async (manager) => {
      const budget = await this.lock(manager, id);
      if (budget.phase !== from || from === 'finished' || from === 'tallying') {
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
  }

  /**
   * The scheduled move a budget needs now: its current phase's end, or null once voting has
   * closed. Read in the consumer's transaction, so it sees the state the event left.
   */
  async nextMove(budgetId: string, manager: EntityManager): Promise<{ from: 'proposing' | 'reviewing' | 'voting'; at: Date } | null> {
    const budget = await manager.findOneBy(BudgetEntity, { id: budgetId });
    if (!budget) return null;
    if (budget.phase === 'proposing') return { from: 'proposing', at: budget.proposingEndsAt };
    if (budget.phase === 'reviewing') return { from: 'reviewing', at: budget.reviewingEndsAt };
    if (budget.phase === 'voting') return { from: 'voting', at: budget.votingEndsAt };
    return null;
  }

  /** Verified residents propose projects while the budget is in `proposing`. */
  async propose(actor: Actor, budgetId: string, input: ProposeProjectInput): Promise<BudgetProjectEntity> {
    const budget = await this.get(budgetId);
    if (budget.phase !== 'proposing') throw new WrongBudgetPhaseError('proposing', budget.phase);
    if (!(await this.access.isResident(actor.id, budget.municipalityId))) throw new NotEligibleError();
    if (input.districtId !== undefined && !budget.districtAmounts.some((h) => h.districtId === input.districtId)) {
      throw new ValidationError('This budget has no amount for that district', [{ field: 'districtId', messages: ['districtId must be one of the budget\'s districts'] }]);
    }
    return this.projects.save(this.projects.create({ budgetId, authorId: actor.id, districtId: input.districtId ?? null, title: input.title, description: input.description, cost: String(input.cost), status: 'proposed' }));
  }

  /** Staff review: feasible or unfeasible (with a reason the author is told), final cost, on the ballot. */
  async review(actor: Actor, budgetId: string, projectId: string, input: ReviewProjectInput): Promise<BudgetProjectEntity> {
    const budget = await this.get(budgetId);
    await this.access.assertRole(actor, budget.municipalityId, ['staff']);
    if (budget.phase !== 'proposing' && budget.phase !== 'reviewing') throw new WrongBudgetPhaseError(['proposing', 'reviewing'], budget.phase);
    return this.tx.run(async (manager) => {
      const project = UUID_SHAPE.test(projectId) ? await manager.findOne(BudgetProjectEntity, { where: { id: projectId, budgetId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!project) throw new BudgetProjectNotFoundError();
      const changes: Partial<BudgetProjectEntity> = { status: input.status, reviewReason: input.reason ?? null };
      if (input.cost !== undefined) changes.cost = String(input.cost);
      await manager.update(BudgetProjectEntity, { id: project.id }, changes);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: budget.municipalityId, action: 'budget.project_reviewed', targetType: 'budget_project', targetId: project.id, before: { status: project.status, cost: project.cost }, after: changes });
      await this.outbox.record(
        manager,
        'budgets.project_reviewed',
        { budgetId, projectId: project.id, authorId: project.authorId, status: input.status, reason: input.reason ?? null },
        { aggregateType: 'budget', aggregateId: budgetId, municipalityId: budget.municipalityId, actorId: actor.id },
      );
      return { ...project, ...changes };
    });
  }

  /** Public: every project but the unfeasible ones are listed with their status. */
  async listProjects(budgetId: string, status?: BudgetProjectStatus): Promise<BudgetProjectEntity[]> {
    await this.get(budgetId);
    return this.projects.find({ where: { budgetId, ...(status ? { status } : {}) }, order: { status: 'ASC', id: 'ASC' }, take: 500 });
  }
}

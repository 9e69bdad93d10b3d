import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditService, decodeCursor, encodeCursor, OutboxService, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor, DistrictsService, MunicipalitiesService } from '@app/identity';
import { EntityManager, Repository } from 'typeorm';
import { BudgetEntity, BudgetProjectEntity, BudgetProjectStatus } from '../budget.entity';
import { BudgetProjectNotFoundError, NotEligibleError, NotYourProjectError, ProjectReviewedError, ProposalAlreadyImportedError, ProposalNotImportableError, WrongBudgetPhaseError } from '../budgets.errors';
import { ProposalNotFoundError, ProposalsService, ProposalStatus } from '@app/proposals';
import { BudgetsService } from '../budgets.service';

export interface ProposeProjectInput {
  /** A district with its own amount in this budget; none for the town-wide heading. */
  districtId?: string;
  /** Where the project would be: inside the municipality; it chooses the district heading when none is given. */
  location?: { lat: number; lng: number };
  title: string;
  description: string;
  cost: number;
}

/** The proposer's changes: any field of the proposal; a new place without a district chooses the heading again. */
export type UpdateProjectInput = Partial<ProposeProjectInput>;

export interface ReviewProjectInput {
  status: Exclude<BudgetProjectStatus, 'proposed' | 'withdrawn'>;
  reason?: string;
  cost?: number;
}

/**
 * The list's order: the town-wide heading first, then each district heading's (by id: stable, and
 * the ballot shows one heading at a time), each by title (case aside), then id. The keyset is the
 * same triple, so pages never skip or repeat a project when titles tie.
 */
const HEADING_KEY = "COALESCE(p.district_id::text, '') COLLATE \"C\"";
const TITLE_KEY = 'lower(p.title)';

export interface ProjectListQuery {
  status?: BudgetProjectStatus;
  /** A district heading's id, or `town` for the town-wide heading. */
  district?: string;
  cursor?: string;
  limit?: number;
}

/** Proposals that reached their threshold and were not turned down (accepted ones too: a budget may fund them). */
const IMPORTABLE: readonly ProposalStatus[] = ['threshold_reached', 'evaluating', 'accepted'];

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Projects of a budget: proposed by residents, reviewed by staff, put on the ballot. */
@Injectable()
export class BudgetProjectsService {
  constructor(
    @InjectRepository(BudgetProjectEntity) private readonly projects: Repository<BudgetProjectEntity>,
    private readonly budgets: BudgetsService,
    private readonly municipalities: MunicipalitiesService,
    private readonly districts: DistrictsService,
    private readonly access: AccessService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly proposals: ProposalsService,
  ) {}

  /** Verified residents propose projects while the budget is in `proposing`. */
  async propose(actor: Actor, budgetId: string, input: ProposeProjectInput): Promise<BudgetProjectEntity> {
    const budget = await this.budgets.get(budgetId);
    if (budget.phase !== 'proposing') throw new WrongBudgetPhaseError('proposing', budget.phase);
    if (!(await this.access.isResident(actor.id, budget.municipalityId))) throw new NotEligibleError();
    const districtId = await this.headingOf(budget, input);
    return this.tx.run(async (manager) => {
      const project = await manager.save(
        manager.create(BudgetProjectEntity, {
          budgetId,
          authorId: actor.id,
          districtId,
          title: input.title,
          description: input.description,
          cost: String(input.cost),
          lng: input.location?.lng ?? null,
          lat: input.location?.lat ?? null,
          status: 'proposed',
        }),
      );
      await this.outbox.record(
        manager,
        'budgets.project_proposed',
        { budgetId, projectId: project.id, authorId: actor.id, districtId },
        { aggregateType: 'budget', aggregateId: budgetId, municipalityId: budget.municipalityId, actorId: actor.id },
      );
      return project;
    });
  }

  /**
   * Staff import a citizen proposal that reached its threshold as a project to review, keeping the
   * link: its author, text, place and district come with it; the cost is the town's estimate.
   */
  async importProposal(actor: Actor, budgetId: string, input: { proposalId: string; cost: number }): Promise<BudgetProjectEntity> {
    const budget = await this.budgets.get(budgetId);
    await this.access.assertRole(actor, budget.municipalityId, ['staff']);
    if (budget.phase !== 'proposing' && budget.phase !== 'reviewing') throw new WrongBudgetPhaseError(['proposing', 'reviewing'], budget.phase);
    const proposal = await this.proposals.getVisible(actor, input.proposalId);
    if (proposal.municipalityId !== budget.municipalityId) throw new ProposalNotFoundError();
    if (!IMPORTABLE.includes(proposal.status)) throw new ProposalNotImportableError(proposal.status);
    const isHeading = (id: string | null) => id !== null && budget.districtAmounts.some((h) => h.districtId === id);
    const districtId = isHeading(proposal.districtId) ? proposal.districtId : null;
    return this.tx.run(async (manager) => {
      const existing = await manager.findOne(BudgetProjectEntity, { where: { budgetId, proposalId: proposal.id }, select: { id: true } });
      if (existing) throw new ProposalAlreadyImportedError(existing.id);
      const project = await manager.save(
        manager.create(BudgetProjectEntity, {
          budgetId,
          authorId: proposal.authorId,
          districtId,
          title: proposal.title.slice(0, 150),
          description: proposal.body.slice(0, 5000),
          cost: String(input.cost),
          lng: proposal.lng,
          lat: proposal.lat,
          proposalId: proposal.id,
          status: 'proposed',
        }),
      );
      await this.audit.record(manager, { actorId: actor.id, municipalityId: budget.municipalityId, action: 'budget.proposal_imported', targetType: 'budget_project', targetId: project.id, after: { proposalId: proposal.id, cost: input.cost } });
      await this.outbox.record(
        manager,
        'budgets.project_proposed',
        { budgetId, projectId: project.id, authorId: proposal.authorId ?? actor.id, districtId },
        { aggregateType: 'budget', aggregateId: budgetId, municipalityId: budget.municipalityId, actorId: actor.id },
      );
      return project;
    });
  }

  /**
   * The heading a project is counted under: the district given (one of the budget's headings), or
   * the budget's heading for the district its location is in, or the town-wide one. A location in
   * one district with another district given is refused rather than guessed.
   */
  private async headingOf(budget: BudgetEntity, input: Pick<ProposeProjectInput, 'districtId' | 'location'>): Promise<string | null> {
    const isHeading = (id: string) => budget.districtAmounts.some((h) => h.districtId === id);
    if (input.districtId !== undefined && !isHeading(input.districtId)) {
      throw new ValidationError('This budget has no amount for that district', [{ field: 'districtId', code: 'NOT_A_HEADING', message: "Choose one of the budget's districts" }]);
    }
    if (!input.location) return input.districtId ?? null;
    const municipality = await this.municipalities.requireById(budget.municipalityId);
    await this.municipalities.assertContains(municipality, input.location.lng, input.location.lat);
    const containing = await this.districts.findContaining(budget.municipalityId, input.location.lng, input.location.lat);
    if (input.districtId !== undefined && containing && containing.id !== input.districtId) {
      throw new ValidationError('The location is in another district', [{ field: 'districtId', code: 'LOCATION_IN_OTHER_DISTRICT', message: 'The place is in another district', params: { districtCode: containing.code } }]);
    }
    if (input.districtId !== undefined) return input.districtId;
    return containing && isHeading(containing.id) ? containing.id : null;
  }

  /** Staff review: feasible or unfeasible (with a reason the author is told), final cost, on the ballot. */
  async review(actor: Actor, budgetId: string, projectId: string, input: ReviewProjectInput): Promise<BudgetProjectEntity> {
    const budget = await this.budgets.get(budgetId);
    await this.access.assertRole(actor, budget.municipalityId, ['staff']);
    if (budget.phase !== 'proposing' && budget.phase !== 'reviewing') throw new WrongBudgetPhaseError(['proposing', 'reviewing'], budget.phase);
    return this.tx.run(async (manager) => {
      const project = UUID_SHAPE.test(projectId) ? await manager.findOne(BudgetProjectEntity, { where: { id: projectId, budgetId }, lock: { mode: 'pessimistic_write' } }) : null;
      if (!project) throw new BudgetProjectNotFoundError();
      // Its proposer took it back: there is nothing left to judge.
      if (project.status === 'withdrawn') throw new ProjectReviewedError(project.status);
      const changes: Partial<BudgetProjectEntity> = { status: input.status, reviewReason: input.reason ?? null };
      if (input.cost !== undefined) changes.cost = String(input.cost);
      await manager.update(BudgetProjectEntity, { id: project.id }, changes);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: budget.municipalityId, action: 'budget.project_reviewed', targetType: 'budget_project', targetId: project.id, before: { status: project.status, cost: project.cost }, after: changes });
      await this.outbox.record(
        manager,
        'budgets.project_reviewed',
        { budgetId, projectId: project.id, authorId: project.authorId, status: input.status, reason: input.reason ?? null, title: project.title },
        { aggregateType: 'budget', aggregateId: budgetId, municipalityId: budget.municipalityId, actorId: actor.id },
      );
      return { ...project, ...changes };
    });
  }

  async get(budgetId: string, projectId: string): Promise<BudgetProjectEntity> {
    const found = UUID_SHAPE.test(projectId) && UUID_SHAPE.test(budgetId) ? await this.projects.findOneBy({ id: projectId, budgetId }) : null;
    if (!found) throw new BudgetProjectNotFoundError();
    return found;
  }

  /**
   * Public, in the list's order (HEADING_KEY, TITLE_KEY, id) with a keyset on the same triple;
   * filters by status and heading. Withdrawn projects are left out unless asked for by status.
   * A budget holds hundreds of projects at most, read through budget_projects_budget_idx, so the
   * sort needs no index of its own.
   */
  async list(budgetId: string, query: ProjectListQuery): Promise<{ items: BudgetProjectEntity[]; nextCursor: string | null }> {
    await this.budgets.get(budgetId);
    const limit = query.limit ?? 50;
    const qb = this.projects
      .createQueryBuilder('p')
      .addSelect(HEADING_KEY, 'heading_key')
      .addSelect(TITLE_KEY, 'title_key')
      .where('p.budgetId = :budgetId', { budgetId })
      .orderBy(HEADING_KEY, 'ASC')
      .addOrderBy(TITLE_KEY, 'ASC')
      .addOrderBy('p.id', 'ASC')
      .limit(limit + 1);
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    else qb.andWhere("p.status <> 'withdrawn'");
    if (query.district === 'town') qb.andWhere('p.districtId IS NULL');
    else if (query.district) qb.andWhere('p.districtId = :district', { district: query.district });
    if (query.cursor) {
      const after = decodeCursor(query.cursor, ['h', 't', 'id'] as const, { id: 'uuid' });
      qb.andWhere(`(${HEADING_KEY}, ${TITLE_KEY}, p.id) > (:h, :t, :id)`, { h: after.h, t: after.t, id: after.id });
    }
    const { entities, raw } = await qb.getRawAndEntities<{ heading_key: string; title_key: string }>();
    const items = entities.slice(0, limit);
    const last = raw[items.length - 1];
    return { items, nextCursor: entities.length > limit ? encodeCursor({ h: last.heading_key, t: last.title_key, id: items[items.length - 1].id }) : null };
  }

  /** The caller's own projects in this budget (withdrawn ones too), newest first: what they may still change. */
  async listMine(actor: Actor, budgetId: string): Promise<BudgetProjectEntity[]> {
    await this.budgets.get(budgetId);
    return this.projects.find({ where: { budgetId, authorId: actor.id }, order: { createdAt: 'DESC', id: 'ASC' }, take: 100 });
  }

  /**
   * The proposer changes the project while proposals are open and staff have not reviewed it yet
   * (the review judges what was proposed). The heading is chosen again as on proposing: a district
   * given, else the place's, else the one it had.
   */
  async update(actor: Actor, budgetId: string, projectId: string, input: UpdateProjectInput): Promise<BudgetProjectEntity> {
    const budget = await this.budgets.get(budgetId);
    await this.ownEditable(actor, budget, projectId);
    const placeMoved = input.location !== undefined;
    const districtId =
      input.districtId !== undefined || placeMoved ? await this.headingOf(budget, input) : undefined;
    return this.tx.run(async (manager) => {
      const project = await this.lockOwnEditable(manager, actor, budget, projectId);
      const changes: Partial<BudgetProjectEntity> = {};
      if (input.title !== undefined) changes.title = input.title;
      if (input.description !== undefined) changes.description = input.description;
      if (input.cost !== undefined) changes.cost = String(input.cost);
      if (placeMoved) Object.assign(changes, { lng: input.location!.lng, lat: input.location!.lat });
      if (districtId !== undefined) changes.districtId = districtId;
      if (Object.keys(changes).length === 0) return project;
      await manager.update(BudgetProjectEntity, { id: project.id }, changes);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: budget.municipalityId, action: 'budget.project_updated', targetType: 'budget_project', targetId: project.id, before: Object.fromEntries(Object.keys(changes).map((k) => [k, (project as unknown as Record<string, unknown>)[k]])), after: changes });
      return { ...project, ...changes };
    });
  }

  /** The proposer takes the project back, on the same terms as changing it; it stays, `withdrawn`, out of the list. */
  async withdraw(actor: Actor, budgetId: string, projectId: string): Promise<BudgetProjectEntity> {
    const budget = await this.budgets.get(budgetId);
    return this.tx.run(async (manager) => {
      const project = await this.lockOwnEditable(manager, actor, budget, projectId);
      await manager.update(BudgetProjectEntity, { id: project.id }, { status: 'withdrawn' });
      await this.audit.record(manager, { actorId: actor.id, municipalityId: budget.municipalityId, action: 'budget.project_withdrawn', targetType: 'budget_project', targetId: project.id, before: { status: project.status }, after: { status: 'withdrawn' } });
      return { ...project, status: 'withdrawn' as const };
    });
  }

  /** Checked before the heading's lookups (cheap refusals first), and again under the row lock. */
  private async ownEditable(actor: Actor, budget: BudgetEntity, projectId: string): Promise<void> {
    await this.tx.run((manager) => this.lockOwnEditable(manager, actor, budget, projectId));
  }

  private async lockOwnEditable(manager: EntityManager, actor: Actor, budget: BudgetEntity, projectId: string): Promise<BudgetProjectEntity> {
    const project = UUID_SHAPE.test(projectId) ? await manager.findOne(BudgetProjectEntity, { where: { id: projectId, budgetId: budget.id }, lock: { mode: 'pessimistic_write' } }) : null;
    if (!project) throw new BudgetProjectNotFoundError();
    if (project.authorId !== actor.id) throw new NotYourProjectError();
    const current = await this.budgets.get(budget.id, manager);
    if (current.phase !== 'proposing') throw new WrongBudgetPhaseError('proposing', current.phase);
    if (project.status !== 'proposed') throw new ProjectReviewedError(project.status);
    return project;
  }
}

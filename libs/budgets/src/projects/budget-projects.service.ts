import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuditService, decodeCursor, encodeCursor, OutboxService, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor, DistrictsService, MunicipalitiesService } from '@app/identity';
import { Repository } from 'typeorm';
import { BudgetEntity, BudgetProjectEntity, BudgetProjectStatus } from '../budget.entity';
import { BudgetProjectNotFoundError, NotEligibleError, ProposalAlreadyImportedError, ProposalNotImportableError, WrongBudgetPhaseError } from '../budgets.errors';
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

export interface ReviewProjectInput {
  status: Exclude<BudgetProjectStatus, 'proposed'>;
  reason?: string;
  cost?: number;
}

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
  private async headingOf(budget: BudgetEntity, input: ProposeProjectInput): Promise<string | null> {
    const isHeading = (id: string) => budget.districtAmounts.some((h) => h.districtId === id);
    if (input.districtId !== undefined && !isHeading(input.districtId)) {
      throw new ValidationError('This budget has no amount for that district', [{ field: 'districtId', code: 'NOT_A_HEADING', message: "districtId must be one of the budget's districts" }]);
    }
    if (!input.location) return input.districtId ?? null;
    const municipality = await this.municipalities.requireById(budget.municipalityId);
    await this.municipalities.assertContains(municipality, input.location.lng, input.location.lat);
    const containing = await this.districts.findContaining(budget.municipalityId, input.location.lng, input.location.lat);
    if (input.districtId !== undefined && containing && containing.id !== input.districtId) {
      throw new ValidationError('The location is in another district', [{ field: 'districtId', code: 'LOCATION_IN_OTHER_DISTRICT', message: `the location is in district ${containing.code}` }]);
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

  /** Public, keyset-paginated by id; filters by status and heading (index budget_projects_district_idx / _budget_idx). */
  async list(budgetId: string, query: ProjectListQuery): Promise<{ items: BudgetProjectEntity[]; nextCursor: string | null }> {
    await this.budgets.get(budgetId);
    const limit = query.limit ?? 50;
    const qb = this.projects.createQueryBuilder('p').where('p.budgetId = :budgetId', { budgetId }).orderBy('p.id', 'ASC').limit(limit + 1);
    if (query.status) qb.andWhere('p.status = :status', { status: query.status });
    if (query.district === 'town') qb.andWhere('p.districtId IS NULL');
    else if (query.district) qb.andWhere('p.districtId = :district', { district: query.district });
    if (query.cursor) qb.andWhere('p.id > :after', { after: decodeCursor(query.cursor, ['id'] as const, { id: 'uuid' }).id });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    return { items, nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null };
  }
}

import { Injectable } from '@nestjs/common';
import { AuditService, DomainException, OutboxService, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor, MunicipalitiesService } from '@app/identity';
import { EntityManager, IsNull } from 'typeorm';
import { renderSafeMarkdown } from '../content/markdown';
import { ProposalAnswerDto } from '../dto/answer.dto';
import { allowedTransitions, ANSWERABLE_STATUSES } from '../lifecycle/proposal-lifecycle';
import { eventBase, eventMeta, PROPOSAL_SUBJECT, ProposalTransitions } from '../lifecycle/proposal-transitions';
import { ProposalAnswerEntity, ProposalEntity } from '../proposal.entity';
import { NoAnswerError, ProposalIllegalTransitionError, ProposalNotFoundError } from '../proposals.errors';
import { ProposalsService } from '../proposals.service';
import { ProposalAnswerView, ProposalView, toAnswerView } from '../views/proposal-view';

const STAFF = ['staff', 'admin'] as const;

export interface BulkPublishResult {
  published: string[];
  failed: Array<{ proposalId: string; code: string; message: string }>;
}

/**
 * The town's official answer: staff draft it (nobody else sees a draft), then publish it alone or
 * with others at once (Decidim's "publish answers later"); publishing moves the proposal to the
 * answer's state. An accepted proposal is later marked implemented.
 */
@Injectable()
export class AnswersService {
  constructor(
    private readonly tx: TransactionService,
    private readonly proposals: ProposalsService,
    private readonly transitions: ProposalTransitions,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async draft(actor: Actor, id: string, dto: ProposalAnswerDto): Promise<ProposalAnswerView> {
    if (dto.status === 'accepted' && (dto.estimatedCost === undefined || dto.timeline === undefined)) {
      const field = dto.estimatedCost === undefined ? 'estimatedCost' : 'timeline';
      throw new ValidationError('An accepted answer needs a cost and a timeline', [{ field, code: 'ANSWER_NEEDS_COST_AND_TIMELINE', message: 'an accepted answer needs estimatedCost and timeline' }], 'VALIDATION_FAILED', 'unprocessable');
    }
    return this.tx.run(async (manager) => {
      const p = await this.staffLock(manager, actor, id);
      if (!ANSWERABLE_STATUSES.includes(p.status)) throw new ProposalIllegalTransitionError(p.status, dto.status, allowedTransitions(p.status));
      const row = {
        proposalId: p.id,
        status: dto.status,
        body: dto.body,
        bodyHtml: renderSafeMarkdown(dto.body),
        estimatedCost: dto.status === 'accepted' && dto.estimatedCost !== undefined ? String(dto.estimatedCost) : null,
        timeline: dto.status === 'accepted' ? (dto.timeline ?? null) : null,
        draftedById: actor.id,
        publishedAt: null,
      };
      await manager.upsert(ProposalAnswerEntity, row, ['proposalId']);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: p.municipalityId, action: 'proposal.answer_drafted', targetType: PROPOSAL_SUBJECT, targetId: p.id, after: { status: dto.status } });
      return toAnswerView(await manager.findOneByOrFail(ProposalAnswerEntity, { proposalId: p.id }));
    });
  }

  async getDraft(actor: Actor, id: string): Promise<ProposalAnswerView> {
    const p = await this.proposals.getVisible(actor, id);
    if (!(await this.access.hasRole(actor, p.municipalityId, STAFF))) throw new ProposalNotFoundError();
    const answer = await this.tx.manager.findOneBy(ProposalAnswerEntity, { proposalId: p.id });
    if (!answer) throw new NoAnswerError();
    return toAnswerView(answer);
  }

  async publish(actor: Actor, id: string): Promise<ProposalView> {
    await this.tx.run((manager) => this.publishIn(manager, actor, id));
    return this.proposals.view(actor, id);
  }

  /** Each proposal in its own transaction: one refused answer does not hold back the others. */
  async publishMany(actor: Actor, slug: string, ids: string[]): Promise<BulkPublishResult> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, STAFF);
    const result: BulkPublishResult = { published: [], failed: [] };
    for (const id of [...new Set(ids)]) {
      try {
        await this.tx.run(async (manager) => {
          const p = await this.transitions.lock(manager, id);
          if (p.municipalityId !== municipality.id) throw new ProposalNotFoundError();
          await this.publishIn(manager, actor, id);
        });
        result.published.push(id);
      } catch (error) {
        if (!(error instanceof DomainException)) throw error;
        result.failed.push({ proposalId: id, code: error.code, message: error.message });
      }
    }
    return result;
  }

  /** accepted → implemented (staff). */
  async markImplemented(actor: Actor, id: string): Promise<ProposalView> {
    await this.tx.run(async (manager) => {
      const p = await this.staffLock(manager, actor, id);
      await this.transitions.move(manager, p, 'implemented', 'staff', actor.id);
    });
    return this.proposals.view(actor, id);
  }

  /** Answers due and not given, oldest deadline first (staff). */
  async overdue(actor: Actor, slug: string): Promise<ProposalView[]> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, STAFF);
    const rows = await this.tx.manager
      .createQueryBuilder(ProposalEntity, 'p')
      .where('p.municipality_id = :m', { m: municipality.id })
      .andWhere('p.answered_at IS NULL AND p.answer_due_at IS NOT NULL')
      .andWhere('(p.answer_overdue_at IS NOT NULL OR p.answer_due_at < now())')
      .andWhere(`p.status = 'threshold_reached'`)
      .orderBy('p.answer_due_at', 'ASC')
      .limit(200)
      .getMany();
    return this.proposals.views(rows, actor);
  }

  private async publishIn(manager: EntityManager, actor: Actor, id: string): Promise<void> {
    const p = await this.staffLock(manager, actor, id);
    const answer = await manager.findOneBy(ProposalAnswerEntity, { proposalId: p.id, publishedAt: IsNull() });
    if (!answer) throw new NoAnswerError();
    const now = new Date();
    if (p.status !== answer.status) await this.transitions.move(manager, p, answer.status, 'staff', actor.id, { changes: { answeredAt: now } });
    else await manager.update(ProposalEntity, { id: p.id }, { answeredAt: now });
    await manager.update(ProposalAnswerEntity, { proposalId: p.id }, { publishedAt: now });
    await this.outbox.record(manager, 'proposals.answered', { ...eventBase(p), answer: answer.status }, eventMeta(p, actor.id));
  }

  /** The proposal, locked, for its town's staff; others get 403 if they may see it, else 404. */
  private async staffLock(manager: EntityManager, actor: Actor, id: string): Promise<ProposalEntity> {
    const p = await this.transitions.lock(manager, id);
    if (!(await this.access.hasRole(actor, p.municipalityId, STAFF))) {
      await this.proposals.assertVisible(actor, p, manager);
      throw new ForbiddenStaffError();
    }
    return p;
  }
}

class ForbiddenStaffError extends DomainException {
  constructor() {
    super('FORBIDDEN', 'forbidden', "Only the municipality's staff may answer proposals");
  }
}

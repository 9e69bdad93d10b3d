import { Injectable } from '@nestjs/common';
import { OutboxService, TransactionService } from '@app/common';
import { AccessService, Actor, isOwner, MunicipalitiesService } from '@app/identity';
import { ServiceLevelsService } from '@app/reports';
import { EntityManager } from 'typeorm';
import { isPublicStatus, SUPPORTABLE_STATUSES } from '../lifecycle/proposal-lifecycle';
import { eventBase, eventMeta, ProposalTransitions } from '../lifecycle/proposal-transitions';
import { ParticipationService } from '../participation/participation.service';
import { ProposalEntity } from '../proposal.entity';
import { NotSupportableError, OwnSupportError, ProposalNotFoundError, ResidencyRequiredError } from '../proposals.errors';
import { ProposalsService } from '../proposals.service';

export interface SupportResult {
  proposalId: string;
  supportCount: number;
  status: ProposalEntity['status'];
  supportedByMe: boolean;
}

/**
 * One support per person and proposal. Every support and withdrawal of support runs on the
 * proposal's row lock, so the count moves by exactly one per row the primary key let in, and the
 * support that reaches the threshold is the one that moves the proposal to threshold_reached.
 */
@Injectable()
export class SupportsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly transitions: ProposalTransitions,
    private readonly proposals: ProposalsService,
    private readonly participation: ParticipationService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly serviceLevels: ServiceLevelsService,
    private readonly outbox: OutboxService,
  ) {}

  async support(actor: Actor, id: string): Promise<SupportResult> {
    return this.tx.run(async (manager) => {
      const p = await this.open(manager, actor, id);
      if (isOwner(p.authorId, actor.id) || (await this.proposals.acceptedCoauthorIds(p.id, manager)).includes(actor.id)) throw new OwnSupportError();
      const settings = await this.participation.settingsFor(p.municipalityId, manager);
      if (settings.residencyRequired && !(await this.access.isResident(actor.id, p.municipalityId, manager))) throw new ResidencyRequiredError();
      const inserted: unknown[] = await manager.query(
        `INSERT INTO proposal_supports (proposal_id, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING RETURNING 1`,
        [p.id, actor.id],
      );
      // Supporting twice is not an error: the second changes nothing.
      if (inserted.length === 0) return this.result(p, true);
      const [row]: Array<{ support_count: number }> = await manager.query(
        // A CTE, so the driver answers the RETURNING rows as a SELECT's.
        `WITH changed AS (UPDATE proposals SET support_count = support_count + 1, first_supported_at = COALESCE(first_supported_at, now()) WHERE id = $1 RETURNING support_count)
         SELECT support_count FROM changed`,
        [p.id],
      );
      p.supportCount = row.support_count;
      if (p.status === 'published' && p.supportCount >= settings.supportThreshold) {
        const municipality = await this.municipalities.requireById(p.municipalityId, manager);
        const calendar = await this.serviceLevels.calendarFor(municipality, manager);
        const now = new Date();
        const answerDueAt = calendar.add(now, { amount: settings.answerDeadlineDays, unit: 'days' });
        await this.transitions.move(manager, p, 'threshold_reached', 'support', actor.id, { changes: { thresholdReachedAt: now, answerDueAt }, audit: false });
      }
      await this.outbox.record(manager, 'proposals.support_changed', { ...eventBase(p), supportCount: p.supportCount }, eventMeta(p, null));
      return this.result(p, true);
    });
  }

  /** Takes one's support back while the proposal still takes supports; reaching the threshold stays reached. */
  async unsupport(actor: Actor, id: string): Promise<SupportResult> {
    return this.tx.run(async (manager) => {
      const p = await this.open(manager, actor, id);
      const deleted: unknown[] = await manager.query(`WITH gone AS (DELETE FROM proposal_supports WHERE proposal_id = $1 AND user_id = $2 RETURNING 1) SELECT * FROM gone`, [p.id, actor.id]);
      if (deleted.length === 0) return this.result(p, false);
      const [row]: Array<{ support_count: number }> = await manager.query(`WITH changed AS (UPDATE proposals SET support_count = support_count - 1 WHERE id = $1 RETURNING support_count) SELECT support_count FROM changed`, [p.id]);
      p.supportCount = row.support_count;
      await this.outbox.record(manager, 'proposals.support_changed', { ...eventBase(p), supportCount: p.supportCount }, eventMeta(p, null));
      return this.result(p, false);
    });
  }

  /** The proposal, locked, if the caller may see it and it takes supports now. */
  private async open(manager: EntityManager, actor: Actor, id: string): Promise<ProposalEntity> {
    const p = await this.transitions.lock(manager, id);
    if (!(await this.proposals.canSee(actor, p, manager))) throw new ProposalNotFoundError();
    if (!SUPPORTABLE_STATUSES.includes(p.status)) throw new NotSupportableError(p.status, 'status');
    if (p.expiresAt && p.expiresAt.getTime() <= Date.now()) throw new NotSupportableError(p.status, 'period_over');
    return p;
  }

  private result(p: ProposalEntity, supportedByMe: boolean): SupportResult {
    return { proposalId: p.id, supportCount: p.supportCount, status: p.status, supportedByMe: supportedByMe && isPublicStatus(p.status) };
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AuthUser, DomainException, OutboxService, TransactionService } from '@app/common';
import { FollowsService } from '@app/engagement';
import { MunicipalitiesService } from '@app/identity';
import { ReportsService, TriageService } from '@app/reports';
import { PromoteReportDto } from '../dto/proposal.dto';
import { eventBase, eventMeta, PROPOSAL_SUBJECT, ProposalTransitions } from '../lifecycle/proposal-transitions';
import { ProposalEntity } from '../proposal.entity';
import { NoInvitationError, ReportNotSuggestionError } from '../proposals.errors';
import { ProposalsService } from '../proposals.service';
import { ProposalView } from '../views/proposal-view';

export class AlreadyPromotedError extends DomainException {
  constructor(proposalId: string) {
    super('PROPOSAL_ALREADY_PROMOTED', 'conflict', 'This report has already become a proposal', { proposalId });
  }
}

/**
 * A report of kind `suggestion` that staff judge to be a proposal for the whole town becomes one:
 * published at once (the town vouches for it), linked to the report (promotedFromReportId), with
 * a public line on the report's timeline pointing to it — which tells the reporter, through the
 * reports' own notification rule. The reporter becomes its author if they claim it.
 */
@Injectable()
export class PromotionService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly reports: ReportsService,
    private readonly triage: TriageService,
    private readonly municipalities: MunicipalitiesService,
    private readonly proposals: ProposalsService,
    private readonly transitions: ProposalTransitions,
    private readonly follows: FollowsService,
    private readonly outbox: OutboxService,
  ) {}

  async promote(actor: AuthUser, reportId: string, dto: PromoteReportDto): Promise<ProposalView> {
    const report = await this.reports.requireForStaff(actor, reportId);
    if (report.kind !== 'suggestion') throw new ReportNotSuggestionError();
    const municipality = await this.municipalities.requireById(report.municipalityId);
    const proposal = await this.tx.run(async (manager) => {
      // One proposal per report, even when two staff click at once.
      await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`proposal-promotion:${report.id}`]);
      const existing = await manager.findOneBy(ProposalEntity, { promotedFromReportId: report.id });
      if (existing) throw new AlreadyPromotedError(existing.id);
      const created = await this.proposals.create(
        { id: actor.id, isPlatformAdmin: actor.isPlatformAdmin, memberships: actor.memberships },
        municipality.slug,
        { title: dto.title, body: report.description, topicId: dto.topicId, location: { lat: report.lat, lng: report.lng } },
        manager,
        { authorId: null, promotedFromReportId: report.id },
      );
      await this.proposals.publishIn(manager, created, actor.id, 'staff');
      await this.outbox.record(manager, 'proposals.promoted_from_report', { ...eventBase(created), reportId: report.id, reporterId: report.reporterId }, eventMeta(created, actor.id));
      return created;
    });
    await this.triage.postUpdate(actor, report.id, {
      visibility: 'public',
      message: `Cette suggestion est devenue une proposition : ${this.config.publicUrl}/proposals/${proposal.id} — This suggestion is now a proposal.`,
    });
    return this.proposals.view(actor, proposal.id);
  }

  /** The reporter of the promoted suggestion takes the proposal as its author. */
  async claim(actor: AuthUser, id: string): Promise<ProposalView> {
    await this.tx.run(async (manager) => {
      const p = await this.transitions.lock(manager, id);
      if (!p.promotedFromReportId || p.authorId) throw new NoInvitationError();
      const report = await this.reports.get(actor, p.promotedFromReportId).catch(() => null);
      if (!report?.isMine) throw new NoInvitationError();
      await manager.update(ProposalEntity, { id }, { authorId: actor.id });
      await this.follows.follow(actor.id, { type: PROPOSAL_SUBJECT, id }, manager);
    });
    return this.proposals.view(actor, id);
  }
}

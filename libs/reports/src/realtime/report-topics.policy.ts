import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AccessService, MunicipalitiesService } from '@app/identity';
import { ProvidesTopics, RealtimeActor, TopicDecision, TopicPolicy, TopicRequest } from '@app/realtime';
import { Repository } from 'typeorm';
import { ReportEntity } from '../reports/report.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const STAFF_ROLES = ['staff', 'admin'] as const;

/**
 * Who may listen to report topics: `report:{id}` and `municipality:{slug}:reports` are public
 * (a report hidden by moderation only to its staff and reporter, as over REST), while
 * `municipality:{slug}:triage` is for that municipality's staff, with presence (claims).
 */
@Injectable()
@ProvidesTopics('report:{id}', 'municipality:{slug}:reports', 'municipality:{slug}:triage')
export class ReportTopicsPolicy implements TopicPolicy {
  constructor(
    @InjectRepository(ReportEntity) private readonly reports: Repository<ReportEntity>,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
  ) {}

  async authorize(actor: RealtimeActor, { pattern, params }: TopicRequest): Promise<TopicDecision> {
    if (pattern === 'report:{id}') return this.report(actor, params.id);
    // MUNICIPALITY_NOT_FOUND comes through as the refusal.
    const municipality = await this.municipalities.requireBySlug(params.slug);
    if (pattern === 'municipality:{slug}:reports') return { ok: true };
    if (!actor) return { ok: false, code: 'UNAUTHENTICATED', reason: 'Sign in as staff of this municipality to follow its triage board' };
    if (!(await this.access.hasRole(actor, municipality.id, STAFF_ROLES))) {
      return { ok: false, code: 'FORBIDDEN', reason: "Only this municipality's staff may follow its triage board" };
    }
    return { ok: true, presence: true };
  }

  private async report(actor: RealtimeActor, id: string): Promise<TopicDecision> {
    const notFound: TopicDecision = { ok: false, code: 'REPORT_NOT_FOUND', reason: 'Report not found' };
    if (!UUID.test(id)) return notFound;
    const report = await this.reports.findOne({ where: { id }, select: { id: true, municipalityId: true, reporterId: true, hiddenAt: true } });
    if (!report) return notFound;
    if (report.hiddenAt && !(await this.access.isOwnerOrHasRole(actor, report.reporterId, report.municipalityId, STAFF_ROLES))) {
      return notFound;
    }
    return { ok: true };
  }
}

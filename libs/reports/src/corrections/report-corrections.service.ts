import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, DomainException, OutboxService, TransactionService, ValidationError } from '@app/common';
import { AccessService, MunicipalitiesService, UsersService } from '@app/identity';
import { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { CategoriesService } from '../categories/categories.service';
import { CorrectReportDto, ModerateReportDto, TransferReportDto } from '../dto/staff-tools.dto';
import { OPEN_STATUSES } from '../lifecycle/report-lifecycle';
import { StaleVersionError } from '../reports.errors';
import { ReportSubjectProvider } from '../reports/report-subject.provider';
import { ReportEntity } from '../reports/report.entity';
import { REPORT_SUBJECT, ReportsService, ReportView } from '../reports/reports.service';
import { ServiceLevelsService } from '../service-levels/service-levels.service';
import { ReportWriter, TimelineLine } from '../triage/report-writer';
import { expectedVersion } from '../triage/triage-rules';
import { STAFF_ROLES, TriageService } from '../triage/triage.service';
import { CorrectionKind, ReportCorrectionEntity } from './report-correction.entity';

type Changes = Record<string, { from: unknown; to: unknown }>;

export class TransferRefusedError extends DomainException {
  constructor(code: 'TRANSFER_SAME_MUNICIPALITY' | 'TRANSFER_NOT_OPEN' | 'TRANSFER_DEVICE_CONFLICT', message: string) {
    super(code, code === 'TRANSFER_SAME_MUNICIPALITY' ? 'unprocessable' : 'conflict', message, [{ field: 'municipality', messages: [message] }]);
  }
}

/**
 * What staff correct in what a report says, without waiting for its reporter or a flag: its pin,
 * category and description (a redaction is a corrected description), the municipality it belongs
 * to, and whether the public sees it. Every step keeps the values before in report_corrections
 * (staff only), is audited, checks the version the staff member saw (like a triage), and is
 * announced as `report.triaged` so boards and deadlines follow.
 */
@Injectable()
export class ReportCorrectionsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly users: UsersService,
    private readonly categories: CategoriesService,
    private readonly serviceLevels: ServiceLevelsService,
    private readonly reports: ReportsService,
    private readonly triage: TriageService,
    private readonly writer: ReportWriter,
    private readonly subject: ReportSubjectProvider,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /** PATCH /reports/:id/correction. The original values stay in report_corrections. */
  async correct(actor: AuthUser, id: string, dto: CorrectReportDto, ifMatch: string | undefined): Promise<ReportView> {
    const expected = expectedVersion(ifMatch, dto.version);
    if ([dto.description, dto.location, dto.address, dto.categoryCode].every((v) => v === undefined)) {
      throw new ValidationError('Nothing to correct', [{ field: 'body', messages: ['give at least one of description, location, address, categoryCode'] }]);
    }
    const report = await this.tx.run(async (manager) => {
      const current = await this.lockAsStaff(manager, actor, id, expected);
      const columns: Record<string, unknown> = {};
      const changes: Changes = {};
      const parameters: Record<string, unknown> = {};
      const set = (key: keyof ReportEntity, to: unknown) => {
        if (current[key] === to) return;
        columns[key] = to;
        changes[key] = { from: current[key], to };
      };
      if (dto.description !== undefined) set('description', dto.description);
      if (dto.address !== undefined) set('address', dto.address || null);
      if (dto.location && (dto.location.lat !== current.lat || dto.location.lng !== current.lng)) {
        const municipality = await this.municipalities.requireById(current.municipalityId, manager);
        await this.reports.assertInside(municipality, dto.location.lng, dto.location.lat);
        this.movePin(current, dto.location, columns, changes, parameters);
      }
      if (dto.categoryCode !== undefined) {
        // The category's department and deadlines follow it, as when triage re-categorises.
        const plan = await this.triage.plan(manager, current, { categoryCode: dto.categoryCode }, { assigneeChecked: true }, new Date());
        Object.assign(columns, plan.columns);
        Object.assign(changes, plan.changes);
      }
      if (Object.keys(changes).length === 0) return current;
      return this.record(manager, actor, current, 'correction', changes, dto.reason ?? null, { columns, parameters, visibility: 'internal' });
    });
    return this.staffView(actor, report);
  }

  /**
   * POST /reports/:id/transfer: to the municipality it belongs to, with a category of that town.
   * Its staff own it from then on (this town's lose it); the reporter, supporters and followers
   * keep it, as do its timeline, photos and comments. The assignee and any deadline override are
   * dropped (they were this town's), the deadlines recomputed from the filing in the new town's
   * calendar.
   */
  async transfer(actor: AuthUser, id: string, dto: TransferReportDto, ifMatch: string | undefined): Promise<ReportView> {
    const expected = expectedVersion(ifMatch, dto.version);
    const target = await this.municipalities.requireBySlug(dto.municipality);
    const report = await this.tx.run(async (manager) => {
      const current = await this.lockAsStaff(manager, actor, id, expected);
      if (target.id === current.municipalityId) throw new TransferRefusedError('TRANSFER_SAME_MUNICIPALITY', 'The report is already in this municipality');
      if (!OPEN_STATUSES.includes(current.status)) throw new TransferRefusedError('TRANSFER_NOT_OPEN', `Only open reports can be transferred (this one is ${current.status})`);
      const source = await this.municipalities.requireById(current.municipalityId, manager);
      const category = await this.categories.requireActive(target.id, dto.categoryCode, manager);
      const location = dto.location ?? { lat: current.lat, lng: current.lng };
      await this.reports.assertInside(target, location.lng, location.lat);
      if (current.deviceId) {
        // One open report per device and problem in a town (reports_machine_open_key).
        const [taken] = await manager.query(
          `SELECT 1 FROM reports WHERE municipality_id = $1 AND device_id = $2 AND category_code = $3 AND status = ANY($4::text[]) LIMIT 1`,
          [target.id, current.deviceId, category.code, OPEN_STATUSES],
        );
        if (taken) throw new TransferRefusedError('TRANSFER_DEVICE_CONFLICT', `${target.name} already has an open report of this device and problem`);
      }
      const deadlines = this.serviceLevels.deadlines(await this.serviceLevels.calendarFor(target, manager), category.serviceLevels, current.priority, current.createdAt);
      const columns: Record<string, unknown> = {
        municipalityId: target.id,
        categoryId: category.id,
        categoryCode: category.code,
        department: category.department,
        assigneeId: null,
        dueAt: null,
        acknowledgeDueAt: deadlines.acknowledgeDueAt,
        resolveDueAt: deadlines.resolveDueAt,
      };
      const changes: Changes = { municipality: { from: source.slug, to: target.slug } };
      for (const key of ['categoryCode', 'department', 'assigneeId', 'dueAt', 'acknowledgeDueAt', 'resolveDueAt'] as const) {
        changes[key] = { from: current[key], to: columns[key] };
      }
      const parameters: Record<string, unknown> = {};
      if (location.lat !== current.lat || location.lng !== current.lng) this.movePin(current, location, columns, changes, parameters);
      const after = await this.record(manager, actor, current, 'transfer', changes, dto.reason ?? null, {
        columns,
        parameters,
        // The reporter sees where their report went.
        visibility: 'public',
        data: { from: { slug: source.slug, name: source.name }, to: { slug: target.slug, name: target.name } },
      });
      // The town that receives it sees in its own audit log where it came from.
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: target.id,
        action: 'report.transferred_in',
        targetType: REPORT_SUBJECT,
        targetId: id,
        after: { from: source.slug, number: String(current.number) },
      });
      return after;
    });
    return this.staffView(actor, report);
  }

  /**
   * POST /reports/:id/hide: out of public view at once, as an upheld flag would (moderation's own
   * ReportSubjectProvider.hide); staff and the reporter still see it. POST /reports/:id/unhide
   * puts it back.
   */
  async setHidden(actor: AuthUser, id: string, hidden: boolean, dto: ModerateReportDto, ifMatch: string | undefined): Promise<ReportView> {
    const expected = expectedVersion(ifMatch, dto.version);
    const report = await this.tx.run(async (manager) => {
      const current = await this.lockAsStaff(manager, actor, id, expected);
      if ((current.hiddenAt !== null) === hidden) return current;
      if (hidden) await this.subject.hide(id, actor.id, manager);
      else await this.subject.unhide(id, actor.id, manager);
      const after = await manager.findOneByOrFail(ReportEntity, { id });
      const changes: Changes = { hidden: { from: !hidden, to: hidden } };
      await this.remember(manager, actor, current, after, hidden ? 'hidden' : 'unhidden', changes, dto.reason);
      return after;
    });
    return this.staffView(actor, report);
  }

  /** GET /reports/:id/corrections: what was corrected, when, by whom and why; staff only. */
  async list(actor: AuthUser, id: string) {
    const report = await this.reports.requireForStaff(actor, id);
    const rows = await this.tx.manager.find(ReportCorrectionEntity, { where: { reportId: report.id }, order: { id: 'ASC' }, take: 500 });
    const people = await this.users.summaries(rows.map((r) => r.actorId).filter((x): x is string => !!x));
    return rows.map((r) => ({
      id: String(r.id),
      kind: r.kind,
      actorId: r.actorId,
      actorName: r.actorId ? (people.get(r.actorId)?.displayName ?? null) : null,
      changes: r.changes,
      reason: r.reason,
      createdAt: r.createdAt.toISOString(),
    }));
  }

  private async lockAsStaff(manager: EntityManager, actor: AuthUser, id: string, expected: number): Promise<ReportEntity> {
    const current = await this.writer.lock(manager, id);
    await this.access.assertRole(actor, current.municipalityId, STAFF_ROLES, manager);
    if (current.version !== expected) throw new StaleVersionError(expected, current.version);
    return current;
  }

  /** The pin's columns, the point kept with them (lat/lng are validated numbers, bound as parameters). */
  private movePin(current: ReportEntity, to: { lat: number; lng: number }, columns: Record<string, unknown>, changes: Changes, parameters: Record<string, unknown>): void {
    columns.lat = to.lat;
    columns.lng = to.lng;
    columns.location = () => 'point(:pinLng, :pinLat)';
    parameters.pinLng = to.lng;
    parameters.pinLat = to.lat;
    changes.location = { from: { lat: current.lat, lng: current.lng }, to: { lat: to.lat, lng: to.lng } };
  }

  /** Writes a correction: the row (version + 1), its timeline line, and what remembers it. */
  private async record(
    manager: EntityManager,
    actor: AuthUser,
    current: ReportEntity,
    kind: CorrectionKind,
    changes: Changes,
    reason: string | null,
    write: { columns: Record<string, unknown>; parameters: Record<string, unknown>; visibility: 'public' | 'internal'; data?: Record<string, unknown> },
  ): Promise<ReportEntity> {
    const after = await this.writer.update(manager, current, write.columns as Partial<ReportEntity>, write.parameters);
    const line: TimelineLine = {
      type: kind === 'transfer' ? 'transferred' : 'corrected',
      visibility: write.visibility,
      actorId: actor.id,
      byStaff: true,
      // Field names only: the values before may be what a redaction removed.
      data: { fields: Object.keys(changes), ...(write.data ?? {}) },
    };
    await this.writer.timeline(manager, current.id, [line]);
    await this.remember(manager, actor, current, after, kind, changes, reason ?? undefined);
    return after;
  }

  /** The correction row, the audit entry (in the report's municipality before the change) and the event. */
  private async remember(manager: EntityManager, actor: AuthUser, before: ReportEntity, after: ReportEntity, kind: CorrectionKind, changes: Changes, reason?: string): Promise<void> {
    const json = JSON.parse(JSON.stringify(changes)) as Changes;
    // jsonb `changes` is typed loosely on the entity; insert wants it deep-partial.
    await manager.insert(ReportCorrectionEntity, { reportId: before.id, kind, actorId: actor.id, changes: json, reason: reason ?? null } as QueryDeepPartialEntity<ReportCorrectionEntity>);
    await this.audit.record(manager, {
      actorId: actor.id,
      municipalityId: before.municipalityId,
      action: `report.${kind === 'correction' ? 'corrected' : kind === 'transfer' ? 'transferred' : kind}`,
      targetType: REPORT_SUBJECT,
      targetId: before.id,
      before: Object.fromEntries(Object.entries(json).map(([k, v]) => [k, v.from])),
      after: { ...Object.fromEntries(Object.entries(json).map(([k, v]) => [k, v.to])), ...(reason ? { reason } : {}) },
    });
    await this.outbox.record(manager, 'report.triaged', { ...this.writer.eventBase(after), changes: json }, this.writer.meta(after, actor.id));
  }

  private async staffView(actor: AuthUser, report: ReportEntity): Promise<ReportView> {
    // After a transfer the actor may no longer be staff of the report's town: the view is what they may see now.
    const [view] = await this.reports.views([report], await this.reports.viewerFor(actor, report.municipalityId));
    return view;
  }
}

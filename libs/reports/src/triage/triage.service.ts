import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, DomainException, OutboxService, TransactionService, ValidationError } from '@app/common';
import { AccessService, MunicipalitiesService, UsersService } from '@app/identity';
import { EntityManager, In } from 'typeorm';
import { CategoriesService } from '../categories/categories.service';
import { ReportCategoryEntity } from '../categories/report-category.entity';
import { BulkTriageDto, ReportUpdateDto, TriageChangesDto, TriageReportDto } from '../dto/triage.dto';
import { RejectReason, ReportStatus } from '../lifecycle/report-lifecycle';
import { StaleVersionError } from '../reports.errors';
import { ReportEventEntity } from '../reports/report-event.entity';
import { toTimelineEntry } from '../reports/report-views';
import { ReportEntity } from '../reports/report.entity';
import { REPORT_SUBJECT, ReportsService, ReportView } from '../reports/reports.service';
import { ServiceLevelsService } from '../service-levels/service-levels.service';
import { ReportWriter, TimelineLine } from './report-writer';
import { AssigneeNotStaffError, BulkFailure, BulkTriageRefusedError, InvalidDuplicateError } from './triage.errors';
import { expectedVersion, rejectionProblems, transitionColumns } from './triage-rules';

export const STAFF_ROLES = ['staff', 'admin'] as const;

type Change = { from: unknown; to: unknown };

/** What one triage request does to one report, worked out before anything is written. */
export interface TriagePlan {
  columns: Partial<ReportEntity>;
  changes: Record<string, Change>;
  status?: { from: ReportStatus; to: ReportStatus; reason: RejectReason | null; duplicateOf: { id: string; number: string } | null };
  assignee?: { from: string | null; to: string | null };
}

type TriageChanges = Omit<TriageReportDto, 'version'>;

/** Columns a status change sets; shown on the timeline's status line rather than as "triaged". */
const STATUS_COLUMNS = new Set(['status', 'acknowledgedAt', 'resolvedAt', 'closedAt', 'rejectReason', 'duplicateOfId', 'hiddenAt', 'rating']);

function same(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return a === b;
}

/**
 * Staff triage of reports: status, priority, assignee, department, category and deadline, with
 * optimistic concurrency, for one report or a hundred at once (all or nothing), and the
 * city's updates on a report. Each change is audited, written to the timeline and announced
 * through the outbox in the transaction that makes it.
 */
@Injectable()
export class TriageService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly users: UsersService,
    private readonly categories: CategoriesService,
    private readonly serviceLevels: ServiceLevelsService,
    private readonly reports: ReportsService,
    private readonly writer: ReportWriter,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * PATCH /reports/:id/triage. The row is locked and its version compared in one transaction:
   * of two agents who loaded version 3, the second one waits for the first, then gets 409.
   */
  async triage(actor: AuthUser, id: string, dto: TriageReportDto, ifMatch: string | undefined): Promise<ReportView> {
    const expected = expectedVersion(ifMatch, dto.version);
    const { version: _version, ...changes } = dto;
    this.assertChanges(changes);
    const report = await this.tx.run(async (manager) => {
      const current = await this.writer.lock(manager, id);
      await this.access.assertRole(actor, current.municipalityId, STAFF_ROLES, manager);
      if (current.version !== expected) throw new StaleVersionError(expected, current.version);
      const plan = await this.plan(manager, current, changes, { assigneeChecked: false }, new Date());
      return this.apply(manager, actor, current, plan);
    });
    return this.staffView(actor, report);
  }

  /**
   * The same changes to many reports of one municipality in one transaction. Every report is
   * checked before anything is written — its version first, as a single triage does — and one
   * refusal refuses the lot and names every failing id: all or nothing, so a board never shows
   * half a bulk change (409 when a report changed since, 422 otherwise).
   */
  async bulk(actor: AuthUser, slug: string, dto: BulkTriageDto): Promise<{ items: ReportView[] }> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, STAFF_ROLES);
    this.assertChanges(dto.changes);
    const updated = await this.tx.run(async (manager) => {
      const ids = dto.items.map((item) => item.id);
      // Locked in id order, so two overlapping bulk requests cannot deadlock.
      const rows = await manager.find(ReportEntity, { where: { id: In(ids) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
      const byId = new Map(rows.filter((r) => r.municipalityId === municipality.id).map((r) => [r.id, r]));
      const failures: BulkFailure[] = ids
        .filter((id) => !byId.has(id))
        .map((id) => ({ id, code: 'REPORT_NOT_FOUND', message: 'No such report in this municipality', details: [] }));
      // Each report as its sender saw it, like a single triage: one changed since refuses the lot.
      for (const item of dto.items) {
        const report = byId.get(item.id);
        if (report && report.version !== item.version) {
          const stale = new StaleVersionError(item.version, report.version);
          failures.push({ id: item.id, code: stale.code, message: stale.message, details: [], meta: stale.meta });
          byId.delete(item.id);
        }
      }
      if (dto.changes.assigneeId) await this.assertAssignable(manager, municipality.id, dto.changes.assigneeId);
      const now = new Date();
      const plans: Array<[ReportEntity, TriagePlan]> = [];
      for (const report of byId.values()) {
        try {
          plans.push([report, await this.plan(manager, report, dto.changes, { assigneeChecked: true }, now)]);
        } catch (error) {
          if (!(error instanceof DomainException)) throw error;
          failures.push({ id: report.id, code: error.code, message: error.message, details: error.fieldErrors, ...(error.meta ? { meta: error.meta } : {}) });
        }
      }
      if (failures.length) throw new BulkTriageRefusedError(failures);
      const out: ReportEntity[] = [];
      for (const [report, plan] of plans) out.push(await this.apply(manager, actor, report, plan));
      return out;
    });
    const order = new Map(dto.items.map((item, i) => [item.id, i]));
    updated.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
    return { items: await this.reports.views(updated, { userId: actor.id, isStaff: true }) };
  }

  /** A message from the city on a report: public (the reporter is told) or internal (staff only). */
  async postUpdate(actor: AuthUser, id: string, dto: ReportUpdateDto) {
    const { report, entry } = await this.tx.run(async (manager) => {
      const report = await this.writer.lock(manager, id);
      await this.access.assertRole(actor, report.municipalityId, STAFF_ROLES, manager);
      const inserted = await manager.insert(ReportEventEntity, {
        reportId: id,
        type: 'update',
        visibility: dto.visibility,
        actorId: actor.id,
        byStaff: true,
        message: dto.message,
      });
      const entry = await manager.findOneByOrFail(ReportEventEntity, { id: String(inserted.identifiers[0].id) });
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: report.municipalityId,
        action: 'report.update_posted',
        targetType: REPORT_SUBJECT,
        targetId: id,
        after: { visibility: dto.visibility, message: dto.message },
      });
      await this.outbox.record(
        manager,
        'report.updated',
        { ...this.writer.eventBase(report), visibility: dto.visibility, message: dto.message, reporterId: report.reporterId },
        this.writer.meta(report, actor.id),
      );
      return { report, entry };
    });
    const people = await this.users.summaries([actor.id]);
    return toTimelineEntry(entry, report.reporterId, report.anonymous, people, { userId: actor.id, isStaff: true });
  }

  /** Works out the columns, timeline and events of a change, refusing what is not allowed. */
  async plan(manager: EntityManager, report: ReportEntity, c: TriageChanges, options: { assigneeChecked: boolean }, now: Date): Promise<TriagePlan> {
    const plan: TriagePlan = { columns: {}, changes: {} };
    const set = <K extends keyof ReportEntity>(key: K, value: ReportEntity[K]) => {
      const before = key in plan.changes ? plan.changes[key].from : report[key];
      if (same(before, value)) {
        delete plan.columns[key];
        delete plan.changes[key];
        return;
      }
      plan.columns[key] = value;
      plan.changes[key] = { from: before, to: value };
    };

    if (c.status !== undefined && c.status !== report.status) {
      this.writer.assertTransition(report, c.status, 'staff', now);
      const duplicateOf = c.status === 'rejected' && c.reason === 'duplicate' ? await this.requireDuplicateTarget(manager, report, c.duplicateOfId!) : null;
      const columns = transitionColumns(report, c.status, { rejectReason: c.reason ?? null, duplicateOfId: duplicateOf?.id ?? null }, now);
      for (const [key, value] of Object.entries(columns)) set(key as keyof ReportEntity, value as never);
      plan.status = { from: report.status, to: c.status, reason: c.status === 'rejected' ? (c.reason ?? null) : null, duplicateOf };
    }

    let category: ReportCategoryEntity | null = null;
    if (c.categoryCode !== undefined && c.categoryCode !== report.categoryCode) {
      category = await this.categories.requireActive(report.municipalityId, c.categoryCode, manager);
      set('categoryId', category.id);
      set('categoryCode', category.code);
      // A re-categorised report goes to the new category's department unless told otherwise.
      if (c.department === undefined) set('department', category.department);
    }
    if (c.priority !== undefined) set('priority', c.priority);
    if (category || 'priority' in plan.changes) {
      category ??= await manager.findOneByOrFail(ReportCategoryEntity, { id: report.categoryId });
      const municipality = await this.municipalities.requireById(report.municipalityId, manager);
      const calendar = await this.serviceLevels.calendarFor(municipality, manager);
      // Deadlines run from the filing, whatever changed since.
      const deadlines = this.serviceLevels.deadlines(calendar, category.serviceLevels, c.priority ?? report.priority, report.createdAt);
      set('acknowledgeDueAt', deadlines.acknowledgeDueAt);
      set('resolveDueAt', deadlines.resolveDueAt);
    }
    if (c.dueAt !== undefined) set('dueAt', c.dueAt === null ? null : new Date(c.dueAt));
    if (c.department !== undefined) set('department', c.department);
    if (c.assigneeId !== undefined && c.assigneeId !== report.assigneeId) {
      if (c.assigneeId !== null && !options.assigneeChecked) await this.assertAssignable(manager, report.municipalityId, c.assigneeId);
      set('assigneeId', c.assigneeId);
      plan.assignee = { from: report.assigneeId, to: c.assigneeId };
    }
    return plan;
  }

  /** Writes a plan: one UPDATE (version + 1), its timeline lines, audit entry and events. */
  async apply(manager: EntityManager, actor: AuthUser, report: ReportEntity, plan: TriagePlan): Promise<ReportEntity> {
    if (Object.keys(plan.columns).length === 0) return report;
    const after = await this.writer.update(manager, report, plan.columns);
    const other = Object.fromEntries(Object.entries(plan.changes).filter(([key]) => !STATUS_COLUMNS.has(key) && key !== 'assigneeId' && key !== 'categoryId'));

    const lines: TimelineLine[] = [];
    if (plan.status) {
      lines.push({
        type: 'status_changed',
        visibility: 'public',
        actorId: actor.id,
        byStaff: true,
        fromStatus: plan.status.from,
        toStatus: plan.status.to,
        data: { reason: plan.status.reason, duplicateOf: plan.status.duplicateOf },
      });
    }
    if (plan.assignee) {
      lines.push({ type: 'assigned', visibility: 'internal', actorId: actor.id, byStaff: true, data: { assigneeId: plan.assignee.to, previousAssigneeId: plan.assignee.from } });
    }
    if (Object.keys(other).length) lines.push({ type: 'triaged', visibility: 'internal', actorId: actor.id, byStaff: true, data: { changes: other } });
    await this.writer.timeline(manager, report.id, lines);

    await this.audit.record(manager, {
      actorId: actor.id,
      municipalityId: report.municipalityId,
      action: 'report.triaged',
      targetType: REPORT_SUBJECT,
      targetId: report.id,
      before: Object.fromEntries(Object.entries(plan.changes).map(([k, v]) => [k, v.from])),
      after: Object.fromEntries(Object.entries(plan.changes).map(([k, v]) => [k, v.to])),
    });

    const meta = this.writer.meta(after, actor.id);
    if (plan.status) await this.writer.statusChanged(manager, report, after, actor.id);
    if (plan.assignee) {
      await this.outbox.record(
        manager,
        'report.assigned',
        { ...this.writer.eventBase(after), assigneeId: plan.assignee.to, previousAssigneeId: plan.assignee.from, department: after.department },
        meta,
      );
    }
    // Every change, deadlines' former values included: the deadline scheduler cancels their warnings.
    await this.outbox.record(manager, 'report.triaged', { ...this.writer.eventBase(after), changes: JSON.parse(JSON.stringify(plan.changes)) }, meta);
    return after;
  }

  async staffView(actor: AuthUser, report: ReportEntity): Promise<ReportView> {
    const [view] = await this.reports.views([report], { userId: actor.id, isStaff: true });
    return view;
  }

  /** Only staff and admins of the report's municipality may be given reports. */
  private async assertAssignable(manager: EntityManager, municipalityId: string, userId: string): Promise<void> {
    if (!(await this.access.hasRole({ id: userId, isPlatformAdmin: false }, municipalityId, STAFF_ROLES, manager))) throw new AssigneeNotStaffError();
  }

  private async requireDuplicateTarget(manager: EntityManager, report: ReportEntity, duplicateOfId: string): Promise<{ id: string; number: string }> {
    if (duplicateOfId === report.id) throw new InvalidDuplicateError('A report cannot duplicate itself');
    const original = await manager.findOne(ReportEntity, { where: { id: duplicateOfId }, select: { id: true, number: true, municipalityId: true } });
    if (!original || original.municipalityId !== report.municipalityId) throw new InvalidDuplicateError('The original must be a report of the same municipality');
    return { id: original.id, number: String(original.number) };
  }

  private assertChanges(changes: TriageChangesDto & { categoryCode?: string; dueAt?: string | null }): void {
    if (!Object.values(changes).some((v) => v !== undefined)) {
      throw new ValidationError('Nothing to change', [{ field: 'body', code: 'NOTHING_TO_CHANGE', message: 'give at least one of status, priority, assigneeId, department, categoryCode, dueAt' }]);
    }
    const problems = rejectionProblems(changes.status, changes.reason, changes.duplicateOfId);
    if (problems.length) throw new ValidationError(`Invalid ${problems.map((p) => p.field).join(', ')}`, problems);
  }
}

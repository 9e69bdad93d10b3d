import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, TransactionService } from '@app/common';
import { AccessService, isOwner } from '@app/identity';
import { EntityManager } from 'typeorm';
import { EditReportDto, WithdrawReportDto } from '../dto/reporter-changes.dto';
import { isEditableByReporter } from '../lifecycle/report-lifecycle';
import { ReportNotEditableError, ReportNotFoundError } from '../reports.errors';
import { ReportWriter } from '../triage/report-writer';
import { transitionColumns } from '../triage/triage-rules';
import { NotReporterError } from '../triage/triage.errors';
import { ReportEntity } from './report.entity';
import { REPORT_SUBJECT, ReportsService, ReportView } from './reports.service';

/**
 * What a reporter may still do with their report while the city has not acknowledged it:
 * correct its description (the previous text stays, for staff, in an internal timeline line and
 * the audit log) or withdraw it (a status of its lifecycle, so it shows, notifies and goes live
 * like any other status change). Once it is acknowledged, both answer 409.
 */
@Injectable()
export class ReporterChangesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly reports: ReportsService,
    private readonly writer: ReportWriter,
    private readonly audit: AuditService,
    private readonly access: AccessService,
  ) {}

  async editDescription(actor: AuthUser, id: string, dto: EditReportDto): Promise<ReportView> {
    await this.tx.run(async (manager) => {
      const report = await this.lockOwn(manager, actor, id);
      if (!isEditableByReporter(report.status)) throw new ReportNotEditableError(report.status);
      if (report.description === dto.description) return;
      const after = await this.writer.update(manager, report, { description: dto.description });
      await this.writer.timeline(manager, id, [
        // Internal: the words the reporter took back are for staff, not for the public page.
        { type: 'description_edited', visibility: 'internal', actorId: actor.id, byStaff: false, data: { previousDescription: report.description } },
      ]);
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: report.municipalityId,
        action: 'report.description_edited',
        targetType: REPORT_SUBJECT,
        targetId: id,
        // Who and when; the words stay in the timeline line alone (one place for erasure to reach).
        before: { version: report.version },
        after: { version: after.version, fields: ['description'] },
      });
      await this.writer.recordEdited(manager, after, actor.id, ['description']);
    });
    return this.reports.get(actor, id);
  }

  /** New → withdrawn, by the reporter (else 409 ILLEGAL_TRANSITION naming the status it is in). */
  async withdraw(actor: AuthUser, id: string, dto: WithdrawReportDto): Promise<ReportView> {
    await this.tx.run(async (manager) => {
      const report = await this.lockOwn(manager, actor, id);
      const now = new Date();
      this.writer.assertTransition(report, 'withdrawn', 'reporter', now);
      const after = await this.writer.update(manager, report, transitionColumns(report, 'withdrawn', {}, now));
      await this.writer.timeline(manager, id, [
        { type: 'withdrawn', visibility: 'public', actorId: actor.id, byStaff: false, fromStatus: report.status, toStatus: 'withdrawn', message: dto.reason ?? null },
      ]);
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: report.municipalityId,
        action: 'report.withdrawn',
        targetType: REPORT_SUBJECT,
        targetId: id,
        before: { status: report.status },
        after: { status: 'withdrawn', reason: dto.reason ?? null },
      });
      await this.writer.statusChanged(manager, report, after, actor.id);
    });
    return this.reports.get(actor, id);
  }

  /**
   * The report, locked, when the actor is its reporter. Someone else gets 403 NOT_REPORTER on a
   * report they can see, 404 on one moderation hid from them (as over GET); an erased reporter
   * (null) owns nothing.
   */
  private async lockOwn(manager: EntityManager, actor: AuthUser, id: string): Promise<ReportEntity> {
    const report = await this.writer.lock(manager, id);
    if (isOwner(report.reporterId, actor.id)) return report;
    if (report.hiddenAt && !(await this.access.hasRole(actor, report.municipalityId, ['staff', 'admin']))) throw new ReportNotFoundError();
    throw new NotReporterError();
  }
}

import { Injectable } from '@nestjs/common';
import { OutboxService } from '@app/common';
import { EntityManager, QueryDeepPartialEntity } from 'typeorm';
import { checkTransition, LifecycleActor, ReportStatus } from '../lifecycle/report-lifecycle';
import { IllegalTransitionError, ReportNotFoundError } from '../reports.errors';
import { ReportEventEntity } from '../reports/report-event.entity';
import { ReportEntity } from '../reports/report.entity';
import { REPORT_SUBJECT, ReportsService } from '../reports/reports.service';

export type TimelineLine = Omit<Partial<ReportEventEntity>, 'id' | 'reportId' | 'createdAt'> & Pick<ReportEventEntity, 'type'>;

/**
 * The few writes every triage path shares (staff triage, bulk, merge, the reporter's answer,
 * auto-close), so a status change looks the same in the row, the timeline and the outbox
 * whoever makes it. Always inside the caller's transaction.
 */
@Injectable()
export class ReportWriter {
  constructor(
    private readonly outbox: OutboxService,
    private readonly reports: ReportsService,
  ) {}

  /** The report, locked until the transaction ends: concurrent triage waits, then sees the new version. */
  async lock(manager: EntityManager, id: string): Promise<ReportEntity> {
    const report = await manager.findOne(ReportEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!report) throw new ReportNotFoundError();
    return report;
  }

  assertTransition(report: ReportEntity, to: ReportStatus, actor: LifecycleActor, now: Date): void {
    const verdict = checkTransition({ actor, kind: report.kind, from: report.status, to, resolvedAt: report.resolvedAt, now });
    if (!verdict.ok) throw new IllegalTransitionError(report.status, to, verdict.allowed, verdict.reason);
  }

  /** One UPDATE for all the columns of a change; TypeORM adds version + 1 and updated_at. */
  async update(
    manager: EntityManager,
    report: ReportEntity,
    columns: Partial<ReportEntity> | QueryDeepPartialEntity<ReportEntity>,
    parameters: Record<string, unknown> = {},
  ): Promise<ReportEntity> {
    await manager
      .createQueryBuilder()
      .update(ReportEntity)
      .set(columns as QueryDeepPartialEntity<ReportEntity>)
      .where('id = :id', { ...parameters, id: report.id })
      .execute();
    return manager.findOneByOrFail(ReportEntity, { id: report.id });
  }

  async timeline(manager: EntityManager, reportId: string, lines: TimelineLine[]): Promise<void> {
    // jsonb `data` is typed loosely on the entity; the query builder wants it deep-partial.
    if (lines.length) await manager.insert(ReportEventEntity, lines.map((line) => ({ ...line, reportId }) as QueryDeepPartialEntity<ReportEventEntity>));
  }

  meta(report: ReportEntity, actorId: string | null) {
    return { aggregateType: REPORT_SUBJECT, aggregateId: report.id, municipalityId: report.municipalityId, actorId };
  }

  eventBase(report: ReportEntity) {
    return this.reports.eventBase(report);
  }

  async statusChanged(manager: EntityManager, before: ReportEntity, after: ReportEntity, actorId: string | null): Promise<void> {
    await this.outbox.record(
      manager,
      'report.status_changed',
      { ...this.eventBase(after), from: before.status, to: after.status, reason: after.status === 'rejected' ? after.rejectReason : null, reporterId: after.reporterId },
      this.meta(after, actorId),
    );
  }

  /** A change of what the report says (not of its handling), for the live views. */
  async recordEdited(manager: EntityManager, after: ReportEntity, actorId: string, fields: Array<'description'>): Promise<void> {
    await this.outbox.record(manager, 'report.edited', { ...this.eventBase(after), reporterId: after.reporterId, fields }, this.meta(after, actorId));
  }
}

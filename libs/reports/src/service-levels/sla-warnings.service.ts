import { Injectable } from '@nestjs/common';
import { OutboxService, selectEntities, SlaWarningJobData, TransactionService } from '@app/common';
import { MunicipalitiesService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { ReportEventEntity } from '../reports/report-event.entity';
import { ReportEntity } from '../reports/report.entity';
import { REPORT_SUBJECT, ReportsService } from '../reports/reports.service';
import { ServiceLevelsService } from './service-levels.service';
import { PendingDeadline, pendingDeadlines, planSlaJobs, SlaPlan, slaJobId } from './sla-warnings';

export type SlaWarningOutcome = 'warned' | 'moved_on' | 'already_warned' | 'report_missing';

/**
 * Warnings before a service-level deadline is missed. The worker asks `plan` which delayed jobs
 * a report should have after each of its events (and which to cancel), and runs `warn` when one
 * fires: the report is re-read then, so a warning for a report that moved on does nothing.
 */
@Injectable()
export class SlaWarningsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly serviceLevels: ServiceLevelsService,
    private readonly reports: ReportsService,
    private readonly outbox: OutboxService,
  ) {}

  async plan(reportId: string, former: PendingDeadline[], manager: EntityManager = this.tx.manager, now = new Date()): Promise<SlaPlan> {
    return (await this.planMany([{ reportId, former }], manager, now))[0];
  }

  /**
   * `plan` for several reports' events at once (a batch of events sharing a transaction): the
   * reports read in one statement, each municipality and its calendar once, not once an event.
   */
  async planMany(items: ReadonlyArray<{ reportId: string; former: PendingDeadline[] }>, manager: EntityManager = this.tx.manager, now = new Date()): Promise<SlaPlan[]> {
    const reports = new Map(
      (await selectEntities(manager, ReportEntity, 'id = ANY($1::uuid[])', [[...new Set(items.map((i) => i.reportId))]])).map((r) => [r.id, r]),
    );
    const calendars = new Map<string, Promise<Parameters<typeof planSlaJobs>[3]>>();
    const calendarOf = (municipalityId: string) => {
      let calendar = calendars.get(municipalityId);
      if (!calendar) {
        calendar = this.municipalities.requireById(municipalityId, manager).then((m) => this.serviceLevels.calendarFor(m, manager));
        calendars.set(municipalityId, calendar);
      }
      return calendar;
    };
    const plans: SlaPlan[] = [];
    for (const { reportId, former } of items) {
      const report = reports.get(reportId);
      if (!report) plans.push({ add: [], remove: former.map((d) => slaJobId(reportId, d.kind, d.deadline)) });
      else plans.push(planSlaJobs(report.id, report, former, await calendarOf(report.municipalityId), now));
    }
    return plans;
  }

  /** Records `report.sla_warning` once per (report, kind, deadline), if the deadline still holds. */
  async warn(job: SlaWarningJobData): Promise<SlaWarningOutcome> {
    const deadline = new Date(job.deadline);
    return this.tx.run(async (manager) => {
      const report = await manager.findOne(ReportEntity, { where: { id: job.reportId }, lock: { mode: 'pessimistic_write' } });
      if (!report) return 'report_missing';
      const still = pendingDeadlines(report).some((p) => p.kind === job.kind && p.deadline.getTime() === deadline.getTime());
      if (!still) return 'moved_on';
      const deadlineIso = deadline.toISOString();
      const already: unknown[] = await manager.query(
        `SELECT 1 FROM report_events WHERE report_id = $1 AND type = 'sla_warning' AND data->>'kind' = $2 AND data->>'deadline' = $3 LIMIT 1`,
        [report.id, job.kind, deadlineIso],
      );
      if (already.length) return 'already_warned';
      await manager.insert(ReportEventEntity, {
        reportId: report.id,
        type: 'sla_warning',
        visibility: 'internal',
        actorId: null,
        data: { kind: job.kind, deadline: deadlineIso, assigneeId: report.assigneeId } as object,
      });
      await this.outbox.record(
        manager,
        'report.sla_warning',
        { ...this.reports.eventBase(report), assigneeId: report.assigneeId, department: report.department, deadline: deadlineIso, deadlineKind: job.kind },
        { aggregateType: REPORT_SUBJECT, aggregateId: report.id, municipalityId: report.municipalityId, actorId: null },
      );
      return 'warned';
    });
  }
}

import { Injectable, Logger } from '@nestjs/common';
import { AuthUser, TransactionService } from '@app/common';
import { isOwner } from '@app/identity';
import { EntityManager, In } from 'typeorm';
import { ConfirmReportDto, ReopenReportDto } from '../dto/triage.dto';
import { RESOLVED_GRACE_DAYS, ReportStatus } from '../lifecycle/report-lifecycle';
import { ReportEntity } from '../reports/report.entity';
import { ReportsService, ReportView } from '../reports/reports.service';
import { ReportWriter, TimelineLine } from './report-writer';
import { NotReporterError } from './triage.errors';
import { transitionColumns } from './triage-rules';

export const AUTO_CLOSE_BATCH = 200;

/**
 * The end of a problem's life once the city says it is resolved: its reporter confirms it
 * (and rates the answer) or, within 30 days, says it is not fixed; a report nobody answered is
 * closed by the worker after those 30 days.
 */
@Injectable()
export class ResolutionService {
  private readonly logger = new Logger(ResolutionService.name);

  constructor(
    private readonly tx: TransactionService,
    private readonly reports: ReportsService,
    private readonly writer: ReportWriter,
  ) {}

  /** Resolved → in progress, by the reporter, within the grace period (else 409 listing what is allowed). */
  async reopen(actor: AuthUser, id: string, dto: ReopenReportDto): Promise<ReportView> {
    await this.tx.run(async (manager) => {
      const report = await this.lockOwn(manager, actor, id);
      await this.move(manager, report, 'in_progress', actor.id, {}, { type: 'reopened', visibility: 'public', actorId: actor.id, message: dto.reason });
    });
    return this.reports.get(actor, id);
  }

  /** Resolved → closed, by the reporter, with a rating of the city's answer. */
  async confirm(actor: AuthUser, id: string, dto: ConfirmReportDto): Promise<ReportView> {
    await this.tx.run(async (manager) => {
      const report = await this.lockOwn(manager, actor, id);
      await this.move(manager, report, 'closed', actor.id, { rating: dto.rating }, {
        type: 'confirmed',
        visibility: 'public',
        actorId: actor.id,
        message: dto.comment ?? null,
        data: { rating: dto.rating },
      });
    });
    return this.reports.get(actor, id);
  }

  /**
   * Closes problems resolved at least RESOLVED_GRACE_DAYS ago, in batches of `batchSize`, each
   * batch its own transaction. SKIP LOCKED lets several workers (or a reporter answering at the
   * same moment) run alongside without waiting on each other. Returns how many were closed.
   */
  async autoCloseResolved(options: { now?: Date; batchSize?: number } = {}): Promise<number> {
    const now = options.now ?? new Date();
    const batchSize = options.batchSize ?? AUTO_CLOSE_BATCH;
    const cutoff = new Date(now.getTime() - RESOLVED_GRACE_DAYS * 24 * 3600 * 1000);
    let total = 0;
    for (;;) {
      const closed = await this.tx.run(async (manager) => {
        const due: Array<{ id: string }> = await manager.query(
          `SELECT id FROM reports WHERE status = 'resolved' AND resolved_at <= $1
           ORDER BY resolved_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
          [cutoff, batchSize],
        );
        if (due.length === 0) return 0;
        const rows = await manager.find(ReportEntity, { where: { id: In(due.map((d) => d.id)) } });
        for (const report of rows) {
          await this.move(manager, report, 'closed', null, {}, {
            type: 'auto_closed',
            visibility: 'public',
            actorId: null,
            data: { afterDays: RESOLVED_GRACE_DAYS },
          }, 'system', now);
        }
        return rows.length;
      });
      total += closed;
      if (closed < batchSize) break;
    }
    if (total) this.logger.log(`Closed ${total} report(s) resolved more than ${RESOLVED_GRACE_DAYS} days ago`);
    return total;
  }

  private async lockOwn(manager: EntityManager, actor: AuthUser, id: string): Promise<ReportEntity> {
    const report = await this.writer.lock(manager, id);
    if (!isOwner(report.reporterId, actor.id)) throw new NotReporterError();
    return report;
  }

  private async move(
    manager: EntityManager,
    report: ReportEntity,
    to: ReportStatus,
    actorId: string | null,
    options: { rating?: number },
    line: TimelineLine,
    actor: 'reporter' | 'system' = 'reporter',
    now = new Date(),
  ): Promise<ReportEntity> {
    this.writer.assertTransition(report, to, actor, now);
    const after = await this.writer.update(manager, report, transitionColumns(report, to, options, now));
    await this.writer.timeline(manager, report.id, [{ ...line, fromStatus: report.status, toStatus: to, byStaff: false }]);
    await this.writer.statusChanged(manager, report, after, actorId);
    return after;
  }
}

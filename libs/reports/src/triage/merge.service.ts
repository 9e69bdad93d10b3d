import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, OutboxService, TransactionService } from '@app/common';
import { FollowsService } from '@app/engagement';
import { AccessService } from '@app/identity';
import { AttachmentsService } from '@app/media';
import { EntityManager } from 'typeorm';
import { ACTIVE_STATUSES } from '../lifecycle/report-lifecycle';
import { ReportNotFoundError, StaleVersionError } from '../reports.errors';
import { ReportEntity } from '../reports/report.entity';
import { REPORT_SUBJECT, ReportsService, ReportView } from '../reports/reports.service';
import { ReportWriter } from './report-writer';
import { InvalidMergeError, MergeTargetClosedError } from './triage.errors';
import { STAFF_ROLES } from './triage.service';
import { expectedVersion, transitionColumns } from './triage-rules';
import { MergeReportDto } from '../dto/triage.dto';

/**
 * Merging a duplicate into the report it duplicates: the duplicate is rejected as such, its
 * supporters and reporter support and follow the original, its photos move there, and both
 * timelines say so — the reporter's says where to follow from now on. One transaction.
 */
@Injectable()
export class MergeService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly reports: ReportsService,
    private readonly writer: ReportWriter,
    private readonly follows: FollowsService,
    private readonly attachments: AttachmentsService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Versions are checked like a single triage's: the duplicate's (If-Match or `version`, required)
   * and, when sent, the target's (`intoVersion`); either changed since → 409 STALE_VERSION.
   */
  async merge(actor: AuthUser, id: string, dto: MergeReportDto, ifMatch?: string): Promise<{ source: ReportView; target: ReportView }> {
    const intoId = dto.intoId;
    const expected = expectedVersion(ifMatch, dto.version);
    const [source, target] = await this.tx.run(async (manager) => {
      const found = await manager.findOne(ReportEntity, { where: { id }, select: { id: true, municipalityId: true } });
      if (!found) throw new ReportNotFoundError();
      await this.access.assertRole(actor, found.municipalityId, STAFF_ROLES, manager);
      if (id === intoId) throw new InvalidMergeError('MERGE_INTO_ITSELF', 'A report cannot be merged into itself');
      // The photos' locks before the rows': an upload to either report takes them in that order too.
      await this.attachments.lockSubjects(manager, [
        [REPORT_SUBJECT, id],
        [REPORT_SUBJECT, intoId],
      ]);
      // Both rows locked in id order, so two merges of the same pair cannot deadlock.
      const locked = new Map<string, ReportEntity>();
      for (const key of [id, intoId].sort()) {
        const row = await manager.findOne(ReportEntity, { where: { id: key }, lock: { mode: 'pessimistic_write' } });
        if (row) locked.set(key, row);
      }
      const source = locked.get(id);
      if (!source) throw new ReportNotFoundError();
      const target = locked.get(intoId);
      if (!target) throw new InvalidMergeError('MERGE_TARGET_NOT_FOUND', 'The report to merge into does not exist');
      if (source.version !== expected) throw new StaleVersionError(expected, source.version);
      if (dto.intoVersion !== undefined && target.version !== dto.intoVersion) throw new StaleVersionError(dto.intoVersion, target.version);
      if (target.municipalityId !== source.municipalityId) {
        throw new InvalidMergeError('MERGE_ACROSS_MUNICIPALITIES', 'Reports of different municipalities cannot be merged');
      }
      if (!ACTIVE_STATUSES.includes(target.status)) throw new MergeTargetClosedError(target.status);
      const now = new Date();
      this.writer.assertTransition(source, 'rejected', 'staff', now);
      return this.mergeLocked(manager, actor, source, target, now);
    });
    const [sourceView, targetView] = await this.reports.views([source, target], { userId: actor.id, isStaff: true });
    return { source: sourceView, target: targetView };
  }

  private async mergeLocked(manager: EntityManager, actor: AuthUser, source: ReportEntity, target: ReportEntity, now: Date): Promise<[ReportEntity, ReportEntity]> {
    // Supporters of the duplicate, and its reporter, now support the original (and follow it).
    const joined: Array<{ user_id: string }> = await manager.query(
      `INSERT INTO report_supports (report_id, user_id)
       SELECT $1, u.user_id FROM (
         SELECT user_id FROM report_supports WHERE report_id = $2
         UNION SELECT $3::uuid WHERE $3::uuid IS NOT NULL
       ) u
       WHERE u.user_id IS DISTINCT FROM $4::uuid
       ON CONFLICT DO NOTHING
       RETURNING user_id`,
      [target.id, source.id, source.reporterId, target.reporterId],
    );
    const followers = new Set(joined.map((j) => j.user_id));
    if (source.reporterId && source.reporterId !== target.reporterId) followers.add(source.reporterId);
    for (const userId of followers) await this.follows.follow(userId, { type: REPORT_SUBJECT, id: target.id }, manager);
    // Sets both reports' photo_count too (ReportSubjectProvider.attachmentsCounted).
    const movedPhotos = await this.attachments.moveToSubject(manager, REPORT_SUBJECT, source.id, REPORT_SUBJECT, target.id);

    const rejected = await this.writer.update(manager, source, transitionColumns(source, 'rejected', { rejectReason: 'duplicate', duplicateOfId: target.id }, now));
    // The target changed for its staff too (supporters, photos): a new version.
    const merged = await this.writer.update(
      manager,
      target,
      { supportCount: () => '(SELECT count(*) FROM report_supports s WHERE s.report_id = :targetId)' },
      { targetId: target.id },
    );

    const intoNumber = String(target.number);
    await this.writer.timeline(manager, source.id, [
      {
        type: 'merged_into',
        visibility: 'public',
        actorId: actor.id,
        byStaff: true,
        fromStatus: source.status,
        toStatus: 'rejected',
        message: `Already reported as #${intoNumber}: follow that report from now on.`,
        data: { reason: 'duplicate', into: { id: target.id, number: intoNumber } },
      },
    ]);
    await this.writer.timeline(manager, target.id, [
      {
        type: 'merged_from',
        visibility: 'public',
        actorId: actor.id,
        byStaff: true,
        data: { from: { id: source.id, number: String(source.number) }, supportersJoined: joined.length, photosMoved: movedPhotos },
      },
    ]);
    await this.audit.record(manager, {
      actorId: actor.id,
      municipalityId: source.municipalityId,
      action: 'report.merged',
      targetType: REPORT_SUBJECT,
      targetId: source.id,
      before: { status: source.status },
      after: { status: 'rejected', rejectReason: 'duplicate', duplicateOfId: target.id, supportersJoined: joined.length, photosMoved: movedPhotos },
    });
    await this.writer.statusChanged(manager, source, rejected, actor.id);
    await this.outbox.record(
      manager,
      'report.merged',
      { ...this.writer.eventBase(rejected), intoId: target.id, intoNumber, reporterId: source.reporterId },
      this.writer.meta(rejected, actor.id),
    );
    return [rejected, merged];
  }
}

import { Injectable } from '@nestjs/common';
import { ModerationChange, OutboxService, ProvidesSubject, SubjectInfo, SubjectProvider } from '@app/common';
import { EntityManager, IsNull, Not } from 'typeorm';
import { ReportEventEntity } from './report-event.entity';
import { ReportEntity } from './report.entity';
import type { ReportEventBase } from '../reports.events';

/** Plugs reports into comments, follows, flags and photos (libs/engagement, libs/media). */
@Injectable()
@ProvidesSubject({ type: 'report', collection: 'reports' })
export class ReportSubjectProvider implements SubjectProvider {
  constructor(private readonly outbox: OutboxService) {}

  async describe(id: string, manager: EntityManager): Promise<SubjectInfo | null> {
    const report = await manager.findOne(ReportEntity, {
      where: { id },
      select: { id: true, municipalityId: true, reporterId: true, hiddenAt: true, anonymous: true },
    });
    if (!report) return null;
    return { municipalityId: report.municipalityId, isPublic: report.hiddenAt === null, ownerId: report.reporterId, ownerNameHidden: report.anonymous };
  }

  /**
   * photo_count follows the report's photos in the transaction that changes them (upload, merge),
   * and report.photos_changed tells live clients (a map, the triage board) to show them.
   * Raw SQL: like a support, a photo is not a change staff must reload for, so the version stays.
   */
  async attachmentsCounted(id: string, count: number, manager: EntityManager): Promise<void> {
    // A CTE, so the driver answers the RETURNING rows as a SELECT's.
    const changed: Array<Omit<ReportEventBase, 'reportId'> & { id: string }> = await manager.query(
      `WITH changed AS (UPDATE reports SET photo_count = $2 WHERE id = $1 AND photo_count <> $2
                        RETURNING id, number::text AS number, municipality_id AS "municipalityId", category_code AS "categoryCode", kind, status)
       SELECT * FROM changed`,
      [id, count],
    );
    for (const { id: reportId, ...base } of changed) {
      await this.outbox.record(
        manager,
        'report.photos_changed',
        { reportId, ...base, photoCount: count },
        { aggregateType: 'report', aggregateId: reportId, municipalityId: base.municipalityId },
      );
    }
  }

  /** Staff put a hidden report back in public view (the counterpart of hide). */
  async unhide(id: string, actorId: string, manager: EntityManager): Promise<void> {
    const result = await manager.update(ReportEntity, { id, hiddenAt: Not(IsNull()) }, { hiddenAt: null });
    if (result.affected) {
      await manager.insert(ReportEventEntity, { reportId: id, type: 'triaged', visibility: 'internal', actorId, byStaff: true, data: { hidden: false } });
    }
  }

  /** Moderation upheld a flag: the report leaves public view (staff and its reporter still see it). */
  async hide(id: string, actorId: string, manager: EntityManager): Promise<void> {
    const result = await manager.update(ReportEntity, { id, hiddenAt: IsNull() }, { hiddenAt: () => 'now()' });
    if (result.affected) {
      await manager.insert(ReportEventEntity, { reportId: id, type: 'triaged', visibility: 'internal', actorId, byStaff: true, data: { hidden: true } });
    }
  }

  /**
   * Moderation's decisions (libs/engagement): flags reaching the town's threshold or a rejection
   * hide the report as an upheld flag does; approving or putting it back shows it again. Reports
   * are not pre-moderated, so `release` only follows a reinstatement.
   */
  async moderate(id: string, change: ModerationChange, manager: EntityManager): Promise<void> {
    const actorId = change.actorId;
    if (change.action === 'hide' || change.action === 'reject') {
      const result = await manager.update(ReportEntity, { id, hiddenAt: IsNull() }, { hiddenAt: () => 'now()' });
      if (result.affected) {
        await manager.insert(ReportEventEntity, { reportId: id, type: 'triaged', visibility: 'internal', actorId, byStaff: actorId !== null, data: { hidden: true, moderation: change.action } });
      }
    } else {
      const result = await manager.update(ReportEntity, { id, hiddenAt: Not(IsNull()) }, { hiddenAt: null });
      if (result.affected) {
        await manager.insert(ReportEventEntity, { reportId: id, type: 'triaged', visibility: 'internal', actorId, byStaff: true, data: { hidden: false, moderation: change.action } });
      }
    }
  }
}

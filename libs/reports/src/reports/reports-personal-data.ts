import { Injectable } from '@nestjs/common';
import { concurrentReads, PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { EntityManager } from 'typeorm';
import { ReportSupportEntity } from './report-support.entity';
import { ReportEntity } from './report.entity';

/**
 * A person's reports and supports. Erasure keeps the reports (the pothole is still there) but
 * cuts them from the person: no reporter, anonymous, no attribute answers that could identify.
 */
@Injectable()
@ProvidesPersonalData('reports')
export class ReportsPersonalData implements PersonalDataContributor {
  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    const [reports, supports] = await concurrentReads(manager, [
      () => manager.find(ReportEntity, { where: { reporterId: userId }, order: { createdAt: 'ASC' } }),
      () => manager.find(ReportSupportEntity, { where: { userId }, order: { createdAt: 'ASC' } }),
    ] as const);
    return {
      reports: reports.map((r) => ({
        id: r.id,
        number: String(r.number),
        kind: r.kind,
        category: r.categoryCode,
        status: r.status,
        description: r.description,
        location: { lat: r.lat, lng: r.lng },
        address: r.address,
        attributes: r.attributes,
        anonymous: r.anonymous,
        rating: r.rating,
        createdAt: r.createdAt,
      })),
      supports: supports.map((s) => ({ reportId: s.reportId, createdAt: s.createdAt })),
    };
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `UPDATE reports SET reporter_id = NULL, anonymous = true, attributes = '{}'::jsonb, updated_at = now() WHERE reporter_id = $1`,
      [userId],
    );
    await manager.query(
      `UPDATE reports r SET support_count = GREATEST(support_count - 1, 0)
       FROM report_supports s WHERE s.report_id = r.id AND s.user_id = $1`,
      [userId],
    );
    await manager.delete(ReportSupportEntity, { userId });
    await manager.query(`UPDATE reports SET assignee_id = NULL WHERE assignee_id = $1`, [userId]);
  }
}

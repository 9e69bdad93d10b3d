import { Injectable } from '@nestjs/common';
import { concurrentReads, ErasureOptions, PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { UsersService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { ReportSupportEntity } from './report-support.entity';
import { ReportEntity } from './report.entity';

/**
 * A person's reports and supports. Erasure keeps the reports (the pothole is still there) but
 * cuts them from the person: no reporter, anonymous, no attribute answers that could identify.
 * When the person asks for their contributions to be removed, their reports' descriptions and
 * their own lines on the timelines (a reopening's reason, a rating's comment) are replaced too;
 * category, place and status stay for the town's records (their photos go with media's part).
 * Reports staff filed for someone (counter, phone…) carry that person's contact: they belong to
 * the account whose verified e-mail is that contact's — exported with it, and their contact
 * cleared when it is erased. (An unverified address proves nothing, so it matches nothing.)
 */
@Injectable()
@ProvidesPersonalData('reports')
export class ReportsPersonalData implements PersonalDataContributor {
  constructor(private readonly users: UsersService) {}

  private async verifiedEmail(userId: string): Promise<string | null> {
    const user = await this.users.getProfile(userId).catch(() => null);
    return user?.emailVerifiedAt && user.email ? user.email.toLowerCase() : null;
  }

  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    const email = await this.verifiedEmail(userId);
    const [reports, supports, filedForMe] = await concurrentReads(manager, [
      () => manager.find(ReportEntity, { where: { reporterId: userId }, order: { createdAt: 'ASC' } }),
      () => manager.find(ReportSupportEntity, { where: { userId }, order: { createdAt: 'ASC' } }),
      () => (email ? manager.find(ReportEntity, { where: { contactEmail: email }, order: { createdAt: 'ASC' } }) : Promise.resolve([])),
    ] as const);
    return {
      filedForYou: filedForMe.map((r) => ({
        id: r.id,
        number: String(r.number),
        channel: r.source,
        category: r.categoryCode,
        status: r.status,
        description: r.description,
        location: { lat: r.lat, lng: r.lng },
        contact: { name: r.contactName, email: r.contactEmail, phone: r.contactPhone },
        createdAt: r.createdAt,
      })),
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

  async eraseFor(userId: string, manager: EntityManager, options: ErasureOptions): Promise<void> {
    if (options.removeContributions) {
      await manager.query(
        `UPDATE report_events SET message = $2 WHERE actor_id = $1 AND NOT by_staff AND message IS NOT NULL`,
        [userId, options.removedText],
      );
      // Their earlier wordings, kept for staff (their own edits, staff corrections' "from"), go too.
      await manager.query(
        `UPDATE report_events e SET data = jsonb_set(e.data, '{previousDescription}', to_jsonb($2::text))
         FROM reports r WHERE e.report_id = r.id AND r.reporter_id = $1 AND e.type = 'description_edited' AND e.data ? 'previousDescription'`,
        [userId, options.removedText],
      );
      await manager.query(
        `UPDATE report_corrections c SET changes = jsonb_set(c.changes, '{description,from}', to_jsonb($2::text))
         FROM reports r WHERE c.report_id = r.id AND r.reporter_id = $1 AND c.changes ? 'description'`,
        [userId, options.removedText],
      );
    }
    const email = await this.verifiedEmail(userId);
    if (email) {
      await manager.query(`UPDATE reports SET contact_name = NULL, contact_email = NULL, contact_phone = NULL, updated_at = now() WHERE contact_email = $1`, [email]);
    }
    await manager.query(
      `UPDATE reports SET reporter_id = NULL, anonymous = true, attributes = '{}'::jsonb, updated_at = now(),
              description = CASE WHEN $2::text IS NULL THEN description ELSE $2::text END
       WHERE reporter_id = $1`,
      [userId, options.removeContributions ? options.removedText : null],
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

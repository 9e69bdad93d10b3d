import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, TransactionService, ValidationError } from '@app/common';
import { AccessService, MunicipalitiesService } from '@app/identity';
import { randomUUID } from 'node:crypto';
import { attributeProblems, normaliseAttributes } from '../categories/category-attributes';
import { CategoriesService } from '../categories/categories.service';
import { AssistedReportDto } from '../dto/staff-tools.dto';
import { InvalidAttributesError } from '../reports.errors';
import { ReportFiler } from '../reports/report-filer';
import { REPORT_SUBJECT, ReportsService, ReportView } from '../reports/reports.service';
import { STAFF_ROLES } from '../triage/triage.service';

/**
 * Staff-assisted intake (a one-stop shop's counter, a phone line, a letter, a third place's
 * digital mediation): a staff member files a report for a person who has no account or does not
 * use it. The report has no reporter; the person's name and contact are kept staff-only, the
 * channel is the report's `source`, and the staff member is `filedBy`. The report's
 * notifications reach the contact's e-mail (see report-notification-rules.ts).
 */
@Injectable()
export class AssistedIntakeService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly categories: CategoriesService,
    private readonly reports: ReportsService,
    private readonly filer: ReportFiler,
    private readonly audit: AuditService,
  ) {}

  async file(actor: AuthUser, slug: string, dto: AssistedReportDto): Promise<ReportView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, STAFF_ROLES);
    if (!dto.contact.email && !dto.contact.phone) {
      throw new ValidationError('Give the person’s e-mail or phone', [{ field: 'contact', messages: ['contact needs an email or a phone'] }]);
    }
    const category = await this.categories.requireActive(municipality.id, dto.categoryCode);
    const problems = attributeProblems(category.attributes, dto.attributes);
    if (problems.length) throw new InvalidAttributesError(problems);
    await this.reports.assertInside(municipality, dto.location.lng, dto.location.lat);

    const report = await this.tx.run(async (manager) => {
      const created = await this.filer.insertReport(manager, municipality, category, {
        id: randomUUID(),
        kind: dto.kind,
        description: dto.description,
        lat: dto.location.lat,
        lng: dto.location.lng,
        address: dto.address ?? null,
        attributes: normaliseAttributes(category.attributes, dto.attributes),
        reporterId: null,
        // The person chose nothing about publishing a name; none is shown (there is no account).
        anonymous: true,
        source: dto.channel,
        contactName: dto.contact.name,
        contactEmail: dto.contact.email?.toLowerCase() ?? null,
        contactPhone: dto.contact.phone ?? null,
        filedById: actor.id,
      });
      // The contact is personal data: the audit says who filed what, not the person's details.
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'report.filed_for_someone',
        targetType: REPORT_SUBJECT,
        targetId: created.id,
        after: { channel: dto.channel, number: String(created.number), contactEmail: !!dto.contact.email, contactPhone: !!dto.contact.phone },
      });
      return created;
    });
    const [view] = await this.reports.views([report], { userId: actor.id, isStaff: true });
    return view;
  }
}

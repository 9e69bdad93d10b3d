import { Injectable } from '@nestjs/common';
import { TransactionService } from '@app/common';
import { MunicipalitiesService, MunicipalityNotFoundError, MunicipalityView } from '@app/identity';
import { AttachmentsService } from '@app/media';
import { DateTime } from 'luxon';
import { randomUUID } from 'node:crypto';
import { In } from 'typeorm';
import { attributeProblems, normaliseAttributes } from '../categories/category-attributes';
import { CategoryAttribute, LocalizedText, ReportCategoryEntity } from '../categories/report-category.entity';
import { OPEN_STATUSES, open311Status, RejectReason } from '../lifecycle/report-lifecycle';
import { OutsideMunicipalityError } from '../reports.errors';
import { ReportFiler } from '../reports/report-filer';
import { REPORT_SUBJECT, ReportsService } from '../reports/reports.service';
import { ReportEntity } from '../reports/report.entity';
import { ApiKeysService } from './api-keys.service';
import { PostServiceRequestDto, ServiceRequestsQueryDto } from './dto/open311.dto';
import {
  Open311AttributeItem,
  Open311CreatedItem,
  Open311RequestItem,
  Open311ServiceDefinition,
  Open311ServiceItem,
  w3cDateTime,
} from './open311-format';
import { collectAttributes, joinRepeated, validateOpen311, withoutEmpty } from './open311-input';
import { Open311RequestEntity } from './open311-request.entity';
import { Open311Error } from './open311.errors';

/** "Default query limit is a span of 90 days or first 1000 requests returned, whichever is smallest." */
export const OPEN311_WINDOW_DAYS = 90;
export const OPEN311_MAX_REQUESTS = 1000;

/** Only the columns a public Open311 view shows: contact fields are never even read. */
const PUBLIC_COLUMNS = [
  'r.id',
  'r.number',
  'r.status',
  'r.rejectReason',
  'r.duplicateOfId',
  'r.categoryId',
  'r.categoryCode',
  'r.description',
  'r.department',
  'r.lat',
  'r.lng',
  'r.address',
  'r.createdAt',
  'r.updatedAt',
  'r.resolvedAt',
  'r.closedAt',
  'r.dueAt',
  'r.resolveDueAt',
];

const DATATYPE_HINTS: Partial<Record<CategoryAttribute['datatype'], string>> = {
  number: 'A number, e.g. 12 or 3.5',
  datetime: 'An ISO 8601 date-time with its offset, e.g. 2026-11-20T10:15:00+01:00',
  singlevaluelist: 'One key among the values',
  multivaluelist: 'One or more keys among the values: attribute[code][]=key1&attribute[code][]=key2',
};

const WITHDRAWN_NOTE: Record<'fr' | 'en', string> = { fr: 'Retiré par la personne qui l’avait signalé', en: 'Withdrawn by the requester' };

const REJECTION_NOTES: Record<'fr' | 'en', Record<RejectReason, string>> = {
  fr: {
    duplicate: 'Doublon',
    not_responsible: 'Ne relève pas de la commune',
    invalid: 'Demande non recevable',
    spam: 'Rejeté',
  },
  en: {
    duplicate: 'Duplicate request',
    not_responsible: "Not the municipality's responsibility",
    invalid: 'Invalid request',
    spam: 'Rejected',
  },
};

function localized(text: LocalizedText | undefined, locale: 'fr' | 'en'): string {
  const other = locale === 'fr' ? 'en' : 'fr';
  return text?.[locale] || text?.[other] || '';
}

type PublicReport = Pick<
  ReportEntity,
  | 'id'
  | 'number'
  | 'status'
  | 'rejectReason'
  | 'duplicateOfId'
  | 'categoryId'
  | 'categoryCode'
  | 'description'
  | 'department'
  | 'lat'
  | 'lng'
  | 'address'
  | 'createdAt'
  | 'updatedAt'
  | 'resolvedAt'
  | 'closedAt'
  | 'dueAt'
  | 'resolveDueAt'
>;

/**
 * GeoReport v2 (Open311) over the municipalities' categories and reports: `jurisdiction_id` is
 * the municipality slug, a service is an active category, a service request is a report whose
 * `service_request_id` is its public number (#1042: short, stable, what people quote on the
 * phone). Every failure is an Open311Error carrying the spec's status and descriptions.
 */
@Injectable()
export class Open311Service {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly reports: ReportsService,
    private readonly filer: ReportFiler,
    private readonly apiKeys: ApiKeysService,
    private readonly attachments: AttachmentsService,
  ) {}

  /** GET services: the active categories, named in the municipality's language. */
  async services(jurisdictionId: unknown): Promise<Open311ServiceItem[]> {
    const municipality = await this.jurisdiction(jurisdictionId);
    const categories = await this.tx.manager.find(ReportCategoryEntity, {
      where: { municipalityId: municipality.id, active: true },
      order: { code: 'ASC' },
    });
    return categories.map((c) => ({
      service_code: c.code,
      service_name: localized(c.name, municipality.locale),
      description: localized(c.description, municipality.locale) || null,
      metadata: c.attributes.length > 0,
      type: 'realtime',
      keywords: c.keywords.length ? c.keywords.join(', ') : null,
      group: c.department,
    }));
  }

  /** GET services/{service_code}: the attribute definitions a request must answer. */
  async serviceDefinition(jurisdictionId: unknown, serviceCode: string): Promise<Open311ServiceDefinition> {
    const municipality = await this.jurisdiction(jurisdictionId);
    const category = await this.service(municipality, serviceCode);
    const attributes: Open311AttributeItem[] = category.attributes
      .map((a, i) => ({ a, order: a.order ?? i + 1, i }))
      .sort((x, y) => x.order - y.order || x.i - y.i)
      .map(({ a, order }) => ({
        variable: true,
        code: a.code,
        datatype: a.datatype,
        required: a.required,
        datatype_description: DATATYPE_HINTS[a.datatype] ?? null,
        order,
        description: a.description,
        ...(a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist' ? { values: (a.values ?? []).map((v) => ({ key: v.key, name: v.name })) } : {}),
      }));
    return { service_code: category.code, attributes };
  }

  /**
   * POST requests: checks, in the spec's order of concerns, the jurisdiction (400/404), the API
   * key (403), the parameters (400), the service (404), the location and the attributes (400);
   * then files the report like the app does, in one transaction with its Open311 details.
   */
  async createRequest(query: unknown, body: unknown): Promise<Open311CreatedItem[]> {
    // The key and the jurisdiction may come in the query string (many clients put them there).
    const input = { ...withoutEmpty(query), ...withoutEmpty(body) };
    const municipality = await this.jurisdiction(input.jurisdiction_id);
    const key = await this.apiKeys.authenticate(municipality.id, input.api_key);
    const dto = validateOpen311(PostServiceRequestDto, input);
    const category = await this.service(municipality, dto.service_code);
    const { lat, lng } = this.coordinates(dto);
    await this.assertInside(municipality, lng, lat);
    const answers = collectAttributes(input);
    const problems = attributeProblems(category.attributes, answers);
    if (problems.length) {
      throw new Open311Error(400, problems.map((p) => `${p.field.replace(/^attributes\.(.*)$/, 'attribute[$1]')}: ${p.message}`));
    }

    const contactName = [dto.first_name, dto.last_name].map((s) => s?.trim()).filter(Boolean).join(' ') || null;
    const { report, created } = await this.tx.run(async (manager) => {
      const input = {
        id: randomUUID(),
        kind: 'problem' as const,
        description: dto.description ?? '',
        lat,
        lng,
        address: dto.address_string ?? null,
        attributes: normaliseAttributes(category.attributes, answers),
        reporterId: null,
        anonymous: false,
        source: 'open311' as const,
        contactName,
        contactEmail: dto.email?.toLowerCase() ?? null,
        contactPhone: dto.phone ?? null,
        apiKeyId: key.id,
      };
      // A device (a sensor, a smart street lamp) sending the same problem again while its report
      // is open adds to that report instead of filing another.
      const filed = dto.device_id
        ? await this.filer.upsertMachineReport(manager, municipality, category, { ...input, deviceId: dto.device_id })
        : { report: await this.filer.insertReport(manager, municipality, category, input), created: true };
      await this.apiKeys.touch(manager, key.id);
      if (!filed.created) return filed;
      const created = filed.report;
      await manager.insert(Open311RequestEntity, {
        reportId: created.id,
        apiKeyId: key.id,
        mediaUrl: dto.media_url ?? null,
        phone: dto.phone ?? null,
        deviceId: dto.device_id ?? null,
        accountId: dto.account_id ?? null,
      });
      return filed;
    });
    const notice = created ? null : `Already open as request ${report.number}: this send was counted there (seen ${report.occurrenceCount} times)`;
    return [{ service_request_id: String(report.number), service_notice: notice, account_id: dto.account_id ?? null }];
  }

  /**
   * GET requests: public, hidden reports excluded, newest first. `service_request_id` overrides
   * every other filter (spec); otherwise a window on requested_datetime of at most 90 days
   * (default: the last 90), at most 1000 requests.
   */
  async requests(rawQuery: unknown): Promise<Open311RequestItem[]> {
    const input = joinRepeated(withoutEmpty(rawQuery), ['service_request_id', 'service_code', 'status']);
    const municipality = await this.jurisdiction(input.jurisdiction_id);
    const query = validateOpen311(ServiceRequestsQueryDto, input);
    const qb = this.tx.manager
      .createQueryBuilder(ReportEntity, 'r')
      .select(PUBLIC_COLUMNS)
      .where('r.municipality_id = :m', { m: municipality.id })
      .andWhere('r.hidden_at IS NULL')
      .orderBy('r.created_at', 'DESC')
      .addOrderBy('r.id', 'DESC')
      .limit(OPEN311_MAX_REQUESTS);
    if (query.service_request_id) {
      qb.andWhere('r.number IN (:...numbers)', { numbers: [...new Set(query.service_request_id.split(',').map((s) => s.trim()))] });
    } else {
      const { start, end } = this.window(query, municipality.timezone);
      qb.andWhere('r.created_at >= :start AND r.created_at <= :end', { start, end });
      if (query.service_code) qb.andWhere('r.category_code IN (:...codes)', { codes: [...new Set(query.service_code.split(',').map((s) => s.trim()))] });
      const statuses = new Set(query.status?.split(',').map((s) => s.trim()) ?? []);
      if (statuses.size === 1) {
        qb.andWhere(statuses.has('open') ? 'r.status IN (:...open)' : 'r.status NOT IN (:...open)', { open: OPEN_STATUSES });
      }
    }
    return this.toItems(await qb.getMany(), municipality);
  }

  /** GET requests/{service_request_id}: a one-element list, or 404. */
  async request(jurisdictionId: unknown, serviceRequestId: string): Promise<Open311RequestItem[]> {
    const municipality = await this.jurisdiction(jurisdictionId);
    const found = /^\d{1,18}$/.test(serviceRequestId)
      ? await this.tx.manager
          .createQueryBuilder(ReportEntity, 'r')
          .select(PUBLIC_COLUMNS)
          .where('r.municipality_id = :m', { m: municipality.id })
          .andWhere('r.number = :n', { n: serviceRequestId })
          .andWhere('r.hidden_at IS NULL')
          .getOne()
      : null;
    if (!found) throw new Open311Error(404, [`service_request_id "${serviceRequestId}" was not found in jurisdiction ${municipality.slug}`]);
    return this.toItems([found], municipality);
  }

  private async jurisdiction(value: unknown): Promise<MunicipalityView> {
    if (typeof value !== 'string' || value === '') {
      throw new Open311Error(400, ['jurisdiction_id was not provided: it is the municipality slug, as listed at GET /api/v1/municipalities']);
    }
    try {
      return await this.municipalities.requireBySlug(value);
    } catch (error) {
      if (error instanceof MunicipalityNotFoundError) throw new Open311Error(404, [`jurisdiction_id "${value.slice(0, 100)}" was not found`]);
      throw error;
    }
  }

  /** A service is an active category; an inactive one does not exist for Open311 clients. */
  private async service(municipality: MunicipalityView, code: string): Promise<ReportCategoryEntity> {
    const category = await this.tx.manager.findOne(ReportCategoryEntity, { where: { municipalityId: municipality.id, code, active: true } });
    if (!category) throw new Open311Error(404, [`service_code "${code.slice(0, 100)}" was not found in jurisdiction ${municipality.slug}`]);
    return category;
  }

  /** We place every report on the map and do not geocode, so lat and long are required. */
  private coordinates(dto: PostServiceRequestDto): { lat: number; lng: number } {
    if (dto.lat !== undefined && dto.long !== undefined) return { lat: dto.lat, lng: dto.long };
    if (dto.lat !== undefined || dto.long !== undefined) throw new Open311Error(400, ['lat and long must both be sent']);
    const given = dto.address_string !== undefined ? 'address_string' : dto.address_id !== undefined ? 'address_id' : null;
    throw new Open311Error(400, [
      given
        ? `lat and long are required: this server does not geocode, so ${given} alone cannot place the request (send it along with lat and long)`
        : 'A location is required: send lat and long (address_string may accompany them)',
    ]);
  }

  private async assertInside(municipality: MunicipalityView, lng: number, lat: number): Promise<void> {
    try {
      await this.reports.assertInside(municipality, lng, lat);
    } catch (error) {
      if (!(error instanceof OutsideMunicipalityError)) throw error;
      const containing = (error.meta as { containingMunicipality: { slug: string; name: string } | null }).containingMunicipality;
      throw new Open311Error(400, [
        containing
          ? `This location is not in ${municipality.name} but in ${containing.name}: send it with jurisdiction_id=${containing.slug}`
          : `This location is not in ${municipality.name}`,
      ]);
    }
  }

  /** start_date/end_date: at most 90 days apart; the missing end defaults to 90 days from the other, or now. */
  private window(query: ServiceRequestsQueryDto, timezone: string): { start: Date; end: Date } {
    const parse = (name: 'start_date' | 'end_date') => {
      const text = query[name];
      if (text === undefined) return null;
      const parsed = /^\d{4}(-\d{2}(-\d{2}(T.+)?)?)?$/.test(text) ? DateTime.fromISO(text, { zone: timezone }) : null;
      if (!parsed?.isValid) throw new Open311Error(400, [`${name} must be a w3c date-time, e.g. 2010-01-01T00:00:00Z`]);
      return parsed;
    };
    const span = { days: OPEN311_WINDOW_DAYS };
    const startArg = parse('start_date');
    const endArg = parse('end_date');
    const end = endArg ?? (startArg ? startArg.plus(span) : DateTime.now());
    const start = startArg ?? end.minus(span);
    if (end < start) throw new Open311Error(400, ['end_date is before start_date']);
    if (end.diff(start, 'days').days > OPEN311_WINDOW_DAYS) {
      throw new Open311Error(400, [`start_date and end_date may not span more than ${OPEN311_WINDOW_DAYS} days`]);
    }
    return { start: start.toJSDate(), end: end.toJSDate() };
  }

  private async toItems(rows: PublicReport[], municipality: MunicipalityView): Promise<Open311RequestItem[]> {
    if (!rows.length) return [];
    const ids = rows.map((r) => r.id);
    const manager = this.tx.manager;
    const [categories, photos, details, notes, duplicates] = await Promise.all([
      manager.find(ReportCategoryEntity, { where: { id: In([...new Set(rows.map((r) => r.categoryId))]) }, select: { id: true, name: true } }),
      this.attachments.listBySubjects(REPORT_SUBJECT, ids, manager),
      manager.find(Open311RequestEntity, { where: { reportId: In(ids) }, select: { reportId: true, mediaUrl: true } }),
      this.statusNotes(ids),
      this.duplicateNumbers(rows),
    ]);
    const names = new Map(categories.map((c) => [c.id, localized(c.name, municipality.locale)]));
    const mediaUrls = new Map(details.map((d) => [d.reportId, d.mediaUrl]));
    const at = (d: Date | null) => (d ? w3cDateTime(d, municipality.timezone) : null);
    return rows.map((r) => {
      const status = open311Status(r.status);
      const closedAt = status === 'closed' ? (r.status === 'resolved' ? r.resolvedAt : r.closedAt) : null;
      return {
        service_request_id: String(r.number),
        status,
        status_notes: this.statusNote(r, notes, duplicates, municipality.locale),
        service_name: names.get(r.categoryId) || r.categoryCode,
        service_code: r.categoryCode,
        description: r.description || null,
        agency_responsible: r.department ?? municipality.name,
        service_notice: null,
        requested_datetime: at(r.createdAt)!,
        // "For requests with status=closed, this will be the date the request was closed."
        updated_datetime: at(closedAt ?? r.updatedAt)!,
        expected_datetime: at(r.dueAt ?? r.resolveDueAt),
        address: r.address,
        address_id: null,
        zipcode: null,
        lat: r.lat,
        long: r.lng,
        media_url: photos.get(r.id)?.[0]?.url ?? mediaUrls.get(r.id) ?? null,
      };
    });
  }

  private statusNote(r: PublicReport, notes: Map<string, string | null>, duplicates: Map<string, string>, locale: 'fr' | 'en'): string | null {
    // GeoReport v2 only says "closed": the note tells a withdrawal from the city's answer.
    if (r.status === 'withdrawn') {
      const reason = notes.get(r.id);
      return reason ? `${WITHDRAWN_NOTE[locale]}: ${reason}` : WITHDRAWN_NOTE[locale];
    }
    if (r.status === 'rejected' && r.rejectReason) {
      const note = REJECTION_NOTES[locale][r.rejectReason];
      const of = r.duplicateOfId ? duplicates.get(r.duplicateOfId) : undefined;
      return of ? `${note}: ${of}` : note;
    }
    return notes.get(r.id) ?? null;
  }

  /** The public message of each report's latest status change, if it had one. */
  private async statusNotes(ids: string[]): Promise<Map<string, string | null>> {
    const rows: Array<{ report_id: string; message: string | null }> = await this.tx.manager.query(
      `SELECT DISTINCT ON (report_id) report_id, message FROM report_events
        WHERE report_id = ANY($1::uuid[]) AND visibility = 'public' AND to_status IS NOT NULL AND type <> 'created'
        ORDER BY report_id, id DESC`,
      [ids],
    );
    return new Map(rows.map((row) => [row.report_id, row.message]));
  }

  private async duplicateNumbers(rows: PublicReport[]): Promise<Map<string, string>> {
    const ids = rows.map((r) => r.duplicateOfId).filter((x): x is string => !!x);
    if (!ids.length) return new Map();
    const found = await this.tx.manager.find(ReportEntity, { where: { id: In(ids) }, select: { id: true, number: true } });
    return new Map(found.map((f) => [f.id, String(f.number)]));
  }
}

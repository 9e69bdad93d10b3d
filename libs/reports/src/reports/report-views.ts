import type { AttachmentView } from '@app/media';
import { isOwner, type UserSummary } from '@app/identity';
import type { Claim } from '@app/realtime';
import { OPEN_STATUSES, open311Status } from '../lifecycle/report-lifecycle';
import type { ReportEntity } from './report.entity';
import type { ReportEventEntity } from './report-event.entity';

/** Who is looking, which decides what they may see. */
export interface Viewer {
  userId: string | null;
  /** Staff or admin of the report's municipality (or platform admin). */
  isStaff: boolean;
}

/** Everything a view needs besides the row, loaded in bulk for a page of reports. */
export interface ViewContext {
  municipalitySlug: string;
  categoryNames: Map<string, Record<string, string>>;
  people: Map<string, UserSummary>;
  photos: Map<string, AttachmentView[]>;
  supportedByViewer: Set<string>;
  duplicateNumbers: Map<string, string>;
  /** Live claims on the triage board, by report id (staff views only). */
  claims?: Map<string, Claim>;
  /** Names of the Open311 API keys that sent the rows (staff views only). */
  apiKeyNames?: Map<string, string>;
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The one mapper from a report row to JSON. The public view never carries an email, and an
 * anonymous reporter's name only reaches that municipality's staff; staff fields (priority,
 * assignee, internal deadlines) only reach staff.
 */
export function toReportView(r: ReportEntity, viewer: Viewer, ctx: ViewContext) {
  const isMine = isOwner(r.reporterId, viewer.userId);
  const reporter = r.reporterId ? ctx.people.get(r.reporterId) : undefined;
  const publicName = publicReporterName(r.anonymous, reporter);
  const photos = photoViews(ctx.photos.get(r.id));
  const view: Record<string, unknown> = {
    id: r.id,
    number: String(r.number),
    municipality: ctx.municipalitySlug,
    kind: r.kind,
    category: { code: r.categoryCode, name: ctx.categoryNames.get(r.categoryId) ?? {} },
    status: r.status,
    open311Status: open311Status(r.status),
    rejectReason: r.rejectReason,
    duplicateOf: r.duplicateOfId ? { id: r.duplicateOfId, number: ctx.duplicateNumbers.get(r.duplicateOfId) ?? null } : null,
    description: r.description,
    location: { lat: r.lat, lng: r.lng },
    address: r.address,
    districtId: r.districtId,
    reporterName: publicName,
    supportCount: r.supportCount,
    photoCount: photos.length,
    photos,
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
    acknowledgedAt: iso(r.acknowledgedAt),
    resolvedAt: iso(r.resolvedAt),
    closedAt: iso(r.closedAt),
    expectedAt: iso(r.dueAt ?? r.resolveDueAt),
    isMine,
    supportedByMe: ctx.supportedByViewer.has(r.id),
    version: r.version,
  };
  if (isMine || viewer.isStaff) view.attributes = r.attributes;
  if (viewer.isStaff) {
    const now = Date.now();
    view.staff = {
      reporter: staffReporter(reporter),
      anonymous: r.anonymous,
      contact: r.contactName || r.contactEmail || r.contactPhone ? { name: r.contactName, email: r.contactEmail, phone: r.contactPhone } : null,
      source: r.source,
      apiKey: r.apiKeyId ? { id: r.apiKeyId, name: ctx.apiKeyNames?.get(r.apiKeyId) ?? null } : null,
      device: r.deviceId ? { id: r.deviceId, occurrenceCount: r.occurrenceCount, lastSeenAt: iso(r.lastSeenAt) } : null,
      priority: r.priority,
      assignee: staffAssignee(r.assigneeId, ctx.people),
      department: r.department,
      acknowledgeDueAt: iso(r.acknowledgeDueAt),
      resolveDueAt: iso(r.resolveDueAt),
      dueAt: iso(r.dueAt),
      overdue: isOverdue(r, now),
      hidden: r.hiddenAt !== null,
      // Who has claimed it on the triage board right now (presence, short expiry), or null.
      claimedBy: ctx.claims?.get(r.id) ?? null,
      // The staff member who filed it for someone (staff-assisted intake), or null.
      filedBy: staffPerson(r.filedById, ctx.people),
    };
  }
  return view;
}

/** An anonymous or erased reporter has no public name. */
function publicReporterName(anonymous: boolean, reporter: UserSummary | undefined): string | null {
  return anonymous || !reporter || reporter.erased ? null : reporter.displayName;
}

function photoViews(photos: AttachmentView[] | undefined) {
  return (photos ?? []).map((p) => ({ id: p.id, url: p.url, thumbnailUrl: p.thumbnailUrl }));
}

function staffReporter(reporter: UserSummary | undefined) {
  return reporter ? { id: reporter.id, name: reporter.displayName, email: reporter.email } : null;
}

function staffPerson(userId: string | null, people: Map<string, UserSummary>) {
  if (!userId) return null;
  const person = people.get(userId);
  return { id: userId, name: person ? person.displayName : null };
}

const staffAssignee = staffPerson;

/**
 * A page of report views built by PostgreSQL: for lists of reports (public list, nearby, triage
 * queue, mine), building 50 views from hydrated entities cost several times the query itself
 * (row parsing, dates, hydration, mapping). `view` is toReportView's result as JSON text, except
 * what other libraries own (people's names, photos, claims) and the municipality's slug, which
 * reportViewJson adds from the side columns. The two mappers are kept equal by
 * report-views.e2e-spec.ts.
 */
export interface ReportViewRow {
  view: string;
  view_id: string;
  view_municipality_id: string;
  view_reporter_id: string | null;
  view_assignee_id: string | null;
  view_anonymous: boolean;
  view_photo_count: number;
  /** JSON text, only where the viewer may see it (their own report, or staff). */
  view_attributes: string | null;
  /** Staff views only (null otherwise): who filed it for someone. */
  view_filed_by_id: string | null;
}

/** As Date.prototype.toISOString writes it; both truncate PostgreSQL's microseconds to milliseconds. */
const isoSql = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The selections of a ReportViewRow from reports aliased `r`, keyed by column alias: `viewerId`
 * is the placeholder of the viewer's id (a uuid or null); staff fields only when `isStaff`.
 */
export function reportViewSelections(isStaff: boolean, viewerId: string): Record<keyof ReportViewRow, string> {
  const open = OPEN_STATUSES.map((s) => `'${s}'`).join(', ');
  const isMine = `COALESCE(r.reporter_id = ${viewerId}, false)`;
  const fields = [
    `'id', r.id`,
    `'number', r.number::text`,
    `'kind', r.kind`,
    `'category', json_build_object('code', r.category_code, 'name', COALESCE((SELECT c.name FROM report_categories c WHERE c.id = r.category_id), '{}'::jsonb))`,
    `'status', r.status`,
    `'open311Status', CASE WHEN r.status IN (${open}) THEN 'open' ELSE 'closed' END`,
    `'rejectReason', r.reject_reason`,
    `'duplicateOf', CASE WHEN r.duplicate_of_id IS NOT NULL THEN json_build_object('id', r.duplicate_of_id, 'number', (SELECT d.number::text FROM reports d WHERE d.id = r.duplicate_of_id)) END`,
    `'description', r.description`,
    `'location', json_build_object('lat', r.lat, 'lng', r.lng)`,
    `'address', r.address`,
    `'districtId', r.district_id`,
    `'supportCount', r.support_count`,
    `'photoCount', r.photo_count`,
    `'createdAt', ${isoSql('r.created_at')}`,
    `'updatedAt', ${isoSql('r.updated_at')}`,
    `'acknowledgedAt', ${isoSql('r.acknowledged_at')}`,
    `'resolvedAt', ${isoSql('r.resolved_at')}`,
    `'closedAt', ${isoSql('r.closed_at')}`,
    `'expectedAt', ${isoSql('COALESCE(r.due_at, r.resolve_due_at)')}`,
    `'isMine', ${isMine}`,
    `'supportedByMe', EXISTS (SELECT 1 FROM report_supports s WHERE s.report_id = r.id AND s.user_id = ${viewerId})`,
    `'version', r.version`,
  ];
  if (isStaff) {
    // next_due_at is the deadline that can still be missed in the current status (isOverdue's rule).
    fields.push(`'staff', json_build_object(
      'anonymous', r.anonymous,
      'contact', CASE WHEN NULLIF(r.contact_name, '') IS NOT NULL OR NULLIF(r.contact_email, '') IS NOT NULL OR NULLIF(r.contact_phone, '') IS NOT NULL
                 THEN json_build_object('name', r.contact_name, 'email', r.contact_email, 'phone', r.contact_phone) END,
      'source', r.source,
      'apiKey', CASE WHEN r.api_key_id IS NOT NULL THEN json_build_object('id', r.api_key_id, 'name', (SELECT k.name FROM open311_api_keys k WHERE k.id = r.api_key_id)) END,
      'device', CASE WHEN r.device_id IS NOT NULL THEN json_build_object('id', r.device_id, 'occurrenceCount', r.occurrence_count, 'lastSeenAt', ${isoSql('r.last_seen_at')}) END,
      'priority', r.priority,
      'department', r.department,
      'acknowledgeDueAt', ${isoSql('r.acknowledge_due_at')},
      'resolveDueAt', ${isoSql('r.resolve_due_at')},
      'dueAt', ${isoSql('r.due_at')},
      'overdue', r.next_due_at < now(),
      'hidden', r.hidden_at IS NOT NULL)`);
  }
  return {
    view: `json_build_object(${fields.join(', ')})::text`,
    view_id: 'r.id',
    view_municipality_id: 'r.municipality_id',
    view_reporter_id: 'r.reporter_id',
    view_assignee_id: 'r.assignee_id',
    view_anonymous: 'r.anonymous',
    view_photo_count: 'r.photo_count',
    view_attributes: isStaff ? 'r.attributes::text' : `CASE WHEN ${isMine} THEN r.attributes::text END`,
    view_filed_by_id: isStaff ? 'r.filed_by_id' : 'NULL::uuid',
  };
}

/** What reportViewJson adds, loaded in bulk for a page. */
export interface ViewRowContext {
  slugs: Map<string, string>;
  people: Map<string, UserSummary>;
  photos: Map<string, AttachmentView[]>;
  claims?: Map<string, Claim>;
}

/**
 * The view toReportView would give, as JSON text, from a ReportViewRow (see
 * reportViewSelections): the row's JSON with the other libraries' parts spliced in, so a page
 * is never parsed and stringified again. `extra`: more members, as `,"name":value` text.
 */
export function reportViewJson(row: ReportViewRow, viewer: Viewer, ctx: ViewRowContext, extra = ''): string {
  const reporter = row.view_reporter_id ? ctx.people.get(row.view_reporter_id) : undefined;
  let text = row.view;
  if (viewer.isStaff) {
    // The staff object is the view's last member: its own additions go before its closing brace.
    if (!text.endsWith('}}')) throw new Error('A staff view must end with its staff object');
    const staff = {
      reporter: staffReporter(reporter),
      assignee: staffAssignee(row.view_assignee_id, ctx.people),
      claimedBy: ctx.claims?.get(row.view_id) ?? null,
      filedBy: staffPerson(row.view_filed_by_id, ctx.people),
    };
    text = `${text.slice(0, -2)},${JSON.stringify(staff).slice(1)}}`;
  }
  const additions = {
    municipality: ctx.slugs.get(row.view_municipality_id) ?? '',
    reporterName: publicReporterName(row.view_anonymous, reporter),
    photos: photoViews(ctx.photos.get(row.view_id)),
  };
  const attributes = row.view_attributes !== null ? `,"attributes":${row.view_attributes}` : '';
  return `${text.slice(0, -1)},${JSON.stringify(additions).slice(1, -1)}${attributes}${extra}}`;
}

export function isOverdue(r: Pick<ReportEntity, 'status' | 'acknowledgeDueAt' | 'resolveDueAt' | 'dueAt'>, now = Date.now()): boolean {
  if (r.status === 'new' && r.acknowledgeDueAt && r.acknowledgeDueAt.getTime() < now) return true;
  const resolveBy = r.dueAt ?? r.resolveDueAt;
  return ['new', 'acknowledged', 'in_progress'].includes(r.status) && resolveBy !== null && resolveBy.getTime() < now;
}

/** A GeoJSON FeatureCollection of report views, for map clients. */
export function toFeatureCollection(views: Array<Record<string, unknown>>, nextCursor: string | null) {
  return {
    type: 'FeatureCollection',
    features: views.map((v) => {
      const { location, ...properties } = v as { location: { lat: number; lng: number } };
      return { type: 'Feature', id: v.id, geometry: { type: 'Point', coordinates: [location.lng, location.lat] }, properties };
    }),
    nextCursor,
  };
}

export function toTimelineEntry(e: ReportEventEntity, reporterId: string | null, anonymous: boolean, people: Map<string, UserSummary>, viewer: Viewer) {
  const by = e.byStaff ? 'city' : e.actorId === null ? 'system' : isOwner(reporterId, e.actorId) ? 'reporter' : 'citizen';
  // Staff members speak for the city publicly; citizens' names follow the report's anonymity.
  let authorName: string | null = null;
  const person = e.actorId ? people.get(e.actorId) : undefined;
  if (person && !person.erased) {
    if (viewer.isStaff) authorName = person.displayName;
    else if (by === 'citizen' || (by === 'reporter' && !anonymous)) authorName = person.displayName;
  }
  return {
    id: String(e.id),
    type: e.type,
    visibility: e.visibility,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    message: e.message,
    by,
    authorName,
    data: e.data,
    createdAt: e.createdAt.toISOString(),
  };
}

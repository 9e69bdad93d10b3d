import type { AttachmentView } from '@app/media';
import type { UserSummary } from '@app/identity';
import type { Claim } from '@app/realtime';
import { open311Status } from '../lifecycle/report-lifecycle';
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
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

/**
 * The one mapper from a report row to JSON. The public view never carries an email, and an
 * anonymous reporter's name only reaches that municipality's staff; staff fields (priority,
 * assignee, internal deadlines) only reach staff.
 */
export function toReportView(r: ReportEntity, viewer: Viewer, ctx: ViewContext) {
  const isMine = viewer.userId !== null && r.reporterId === viewer.userId;
  const reporter = r.reporterId ? ctx.people.get(r.reporterId) : undefined;
  const publicName = r.anonymous || !reporter || reporter.erased ? null : reporter.displayName;
  const photos = (ctx.photos.get(r.id) ?? []).map((p) => ({ id: p.id, url: p.url, thumbnailUrl: p.thumbnailUrl }));
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
    const assignee = r.assigneeId ? ctx.people.get(r.assigneeId) : undefined;
    const now = Date.now();
    view.staff = {
      reporter: reporter ? { id: reporter.id, name: reporter.displayName, email: reporter.email } : null,
      anonymous: r.anonymous,
      contact: r.contactName || r.contactEmail ? { name: r.contactName, email: r.contactEmail } : null,
      source: r.source,
      priority: r.priority,
      assignee: assignee ? { id: assignee.id, name: assignee.displayName } : r.assigneeId ? { id: r.assigneeId, name: null } : null,
      department: r.department,
      acknowledgeDueAt: iso(r.acknowledgeDueAt),
      resolveDueAt: iso(r.resolveDueAt),
      dueAt: iso(r.dueAt),
      overdue: isOverdue(r, now),
      hidden: r.hiddenAt !== null,
      // Who has claimed it on the triage board right now (presence, short expiry), or null.
      claimedBy: ctx.claims?.get(r.id) ?? null,
    };
  }
  return view;
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
  const by = e.byStaff ? 'city' : e.actorId === null ? 'system' : e.actorId === reporterId ? 'reporter' : 'citizen';
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

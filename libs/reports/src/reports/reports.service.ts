import { Injectable } from '@nestjs/common';
import {
  assertIdempotencyKey,
  AuthUser,
  decodeCursor,
  encodeCursor,
  SelectStatement,
  IdempotencyService,
  OutboxService,
  Page,
  PageQueryDto,
  PreserializedJson,
  TransactionService,
  ValidationError,
  WriteStatement,
} from '@app/common';
import { AccessService, isOwner, MunicipalitiesService, MunicipalityView, UsersService } from '@app/identity';
import { FollowsService } from '@app/engagement';
import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { attributeProblems, normaliseAttributes } from '../categories/category-attributes';
import { CategoriesService } from '../categories/categories.service';
import { CreateReportDto, ListReportsQueryDto, NearbyQueryDto, showsReporterName } from '../dto/report.dto';
import { OPEN_STATUSES, ReportStatus } from '../lifecycle/report-lifecycle';
import { InvalidAttributesError, ReportNotFoundError } from '../reports.errors';
import { ReportEventEntity } from './report-event.entity';
import { ReportSupportEntity } from './report-support.entity';
import { ReportViewRow, reportViewJson, reportViewSelections, toReportView, toTimelineEntry, Viewer } from './report-views';
import { ReportEntity } from './report.entity';
import { ReportFiler } from './report-filer';
import { ReportViewLoader } from './report-view-loader';

import { REPORT_SUBJECT } from './report-subject';

export { REPORT_SUBJECT };

export type ReportView = ReturnType<typeof toReportView>;

/** Ordering by distance to this instant is newest first (see listQuery). */
const NEWEST_FIRST_ANCHOR = '3000-01-01T00:00:00Z';

const EARTH_RADIUS_M = 6_371_000;
const METRES_PER_DEGREE_LAT = 111_320;

/**
 * Great-circle distance in SQL (metres) from a report's `location` point (x = lng, y = lat) to
 * the point whose placeholders are given. From the point rather than the lat/lng columns, so
 * that the nearby index (which holds the point) answers it without reading the table.
 */
const distanceSql = (location: string, lat: string, lng: string) => `(2 * ${EARTH_RADIUS_M} * asin(sqrt(
  power(sin(radians(${location}[1] - ${lat}) / 2), 2) +
  cos(radians(${lat})) * cos(radians(${location}[1])) * power(sin(radians(${location}[0] - ${lng}) / 2), 2))))`;

/**
 * Citizens' reports: filing (idempotent, inside the right municipality; the rows themselves are
 * written by ReportFiler), the public and personal views, "is it already reported?", and support.
 * Staff triage lives in TriageService.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly users: UsersService,
    private readonly categories: CategoriesService,
    private readonly filer: ReportFiler,
    private readonly idempotency: IdempotencyService,
    private readonly outbox: OutboxService,
    private readonly follows: FollowsService,
    private readonly viewLoader: ReportViewLoader,
  ) {}

  async create(
    actor: AuthUser,
    slug: string,
    dto: CreateReportDto,
    idempotencyKey?: string,
  ): Promise<{ report: ReportView | PreserializedJson<ReportView>; created: boolean }> {
    if (idempotencyKey !== undefined) assertIdempotencyKey(idempotencyKey);
    const municipality = await this.municipalities.requireBySlug(slug);
    const category = await this.categories.requireActive(municipality.id, dto.categoryCode);
    const problems = attributeProblems(category.attributes, dto.attributes);
    if (problems.length) throw new InvalidAttributesError(problems);
    await this.assertInside(municipality, dto.location.lng, dto.location.lat);

    const id = randomUUID();
    const manager = this.tx.manager;
    // One statement, no transaction round trips: the key claim (when sent), the report, its first
    // timeline line, the reporter's follow and the event commit together or not at all.
    const statement = new WriteStatement();
    const claim = idempotencyKey !== undefined ? { userId: actor.id, scope: 'report.create', key: idempotencyKey, body: dto, resourceId: id } : null;
    if (claim) this.idempotency.claimIn(statement, claim);
    const reportCte = await this.filer.addNewReport(statement, municipality, category, {
      id,
      kind: dto.kind,
      description: dto.description,
      lat: dto.location.lat,
      lng: dto.location.lng,
      address: dto.address ?? null,
      attributes: normaliseAttributes(category.attributes, dto.attributes),
      reporterId: actor.id,
      anonymous: !showsReporterName(dto),
      source: 'app',
    });
    // The filer's view comes out of the same statement, built by PostgreSQL like a page's.
    const viewer = await this.viewerFor(actor, municipality.id);
    const selections = Object.entries(reportViewSelections(viewer.isStaff, statement.param(actor.id, 'uuid')));
    const [row] = await statement.run<ReportViewRow>(manager, `SELECT ${selections.map(([alias, sql]) => `${sql} AS "${alias}"`).join(', ')} FROM ${reportCte} r`);
    if (!row) {
      // The key was used before: answer with what that request created.
      return { report: await this.get(actor, await this.idempotency.claimedResource(manager, claim!)), created: false };
    }
    // What is in hand: a new report has no photos, supports, duplicates or claims yet.
    const context = { slugs: new Map([[municipality.id, municipality.slug]]), people: await this.users.summaryOf(actor), photos: new Map(), claims: new Map() };
    return { report: new PreserializedJson(reportViewJson(row, viewer, context)), created: true };
  }

  eventBase(r: ReportEntity) {
    return { reportId: r.id, number: String(r.number), municipalityId: r.municipalityId, categoryCode: r.categoryCode, kind: r.kind, status: r.status };
  }

  /** A location outside the boundary is refused, naming the municipality that contains it. */
  async assertInside(municipality: MunicipalityView, lng: number, lat: number): Promise<void> {
    await this.municipalities.assertContains(municipality, lng, lat);
  }

  async get(actor: AuthUser | undefined, id: string): Promise<ReportView> {
    const report = await this.tx.manager.findOne(ReportEntity, { where: { id } });
    if (!report) throw new ReportNotFoundError();
    const viewer = await this.viewerFor(actor, report.municipalityId);
    if (!maySee(report, viewer)) throw new ReportNotFoundError();
    const [view] = await this.views([report], viewer);
    return view;
  }

  /** The report, for staff (or admins) of its municipality only: 404 when missing, 403 otherwise. */
  async requireForStaff(actor: AuthUser, id: string): Promise<ReportEntity> {
    const report = await this.tx.manager.findOne(ReportEntity, { where: { id } });
    if (!report) throw new ReportNotFoundError();
    await this.access.assertRole(actor, report.municipalityId, ['staff', 'admin']);
    return report;
  }

  /** Public list, newest first, keyset-paginated; optionally within a bbox. */
  async list(actor: AuthUser | undefined, slug: string, query: ListReportsQueryDto): Promise<PreserializedJson<Page<ReportView>>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const viewer = await this.viewerFor(actor, municipality.id);
    const limit = query.limit ?? 50;
    return this.page(this.listQuery(municipality.id, viewer, query, limit), query.cursor, limit, viewer);
  }

  /** The list's SQL (without the cursor), also EXPLAINed by the benchmark to show which index serves it. */
  listQuery(municipalityId: string, viewer: Viewer, query: ListReportsQueryDto, limit: number): SelectStatement {
    const q = this.viewQuery(viewer);
    q.where(`r.municipality_id = ${q.param(municipalityId, 'uuid')}`).limit(limit + 1);
    if (query.bbox) {
      // Newest first inside a box: a KNN scan of the GiST index on (municipality, location,
      // created_at) by distance to a far-future instant stops after `limit` rows, where sorting
      // every report in the box would not (a dense city centre holds thousands).
      // Only that key: a second one (id) makes the planner sort the whole box instead. Two
      // reports of one box committed in the same microsecond may then page in either order.
      q.orderBy(`r.created_at <-> '${NEWEST_FIRST_ANCHOR}'::timestamptz`);
    } else {
      q.orderBy('r.created_at DESC', 'r.id DESC');
    }
    if (!viewer.isStaff) q.where('r.hidden_at IS NULL');
    if (query.status) q.where(`r.status = ANY(${q.param(query.status.split(','), 'text[]')})`);
    if (query.category) q.where(`r.category_code = ${q.param(query.category)}`);
    if (query.kind) q.where(`r.kind = ${q.param(query.kind)}`);
    if (query.since) q.where(`r.created_at >= ${q.param(query.since, 'timestamptz')}`);
    if (query.bbox) {
      const [minLng, minLat, maxLng, maxLat] = parseBbox(query.bbox).map((v) => q.param(v, 'float8'));
      q.where(`r.location <@ box(point(${minLng}, ${minLat}), point(${maxLng}, ${maxLat}))`);
    }
    return q;
  }

  /** "Is it already reported?": open reports near a point, nearest first. */
  async nearby(actor: AuthUser | undefined, slug: string, query: NearbyQueryDto): Promise<PreserializedJson<Array<ReportView & { distance: number }>>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const viewer = await this.viewerFor(actor, municipality.id);
    const rows = await this.nearbyQuery(municipality.id, viewer, query).run<ReportViewRow & { distance: number }>(this.tx.manager);
    const views = await this.rowViews(rows, viewer, (row) => `,"distance":${Math.round(Number(row.distance))}`);
    return new PreserializedJson(`[${views.join(',')}]`);
  }

  /** The nearby SQL, also EXPLAINed by the benchmark. */
  nearbyQuery(municipalityId: string, viewer: Viewer, query: NearbyQueryDto): SelectStatement {
    const radius = query.radius ?? 250;
    const dLat = radius / METRES_PER_DEGREE_LAT;
    const dLng = radius / (METRES_PER_DEGREE_LAT * Math.max(Math.cos((query.lat * Math.PI) / 180), 0.01));
    const q = this.viewQuery(viewer);
    const distance = distanceSql('n.location', q.param(query.lat, 'float8'), q.param(query.lng, 'float8'));
    const box = [query.lng - dLng, query.lat - dLat, query.lng + dLng, query.lat + dLat].map((v) => q.param(v, 'float8'));
    const conditions = [
      `n.municipality_id = ${q.param(municipalityId, 'uuid')}`,
      // Literals, not parameters: a prepared statement's generic plan can then match the partial
      // index on open, visible reports (reports_nearby_idx).
      `n.status IN (${OPEN_STATUSES.map((status) => `'${status}'`).join(', ')})`,
      'n.hidden_at IS NULL',
      `n.location <@ box(point(${box[0]}, ${box[1]}), point(${box[2]}, ${box[3]}))`,
    ];
    if (query.category) conditions.push(`n.category_code = ${q.param(query.category)}`);
    // A literal, as SelectStatement.limit writes it (the DTO bounds it; checked again as it goes into SQL text).
    const limit = query.limit ?? 20;
    if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`Bad nearby limit ${limit}`);
    // The nearest reports in the box around the circle, found in the index alone (it holds each
    // open report's point, id and category); only those few are then read whole for their views.
    // The radius trims the box's corners afterwards: the nearest of the box that are within it
    // are the nearest within it.
    q.join(
      `JOIN (SELECT n.id, ${distance} AS distance FROM reports n WHERE ${conditions.join(' AND ')}
             ORDER BY distance LIMIT ${limit}) nearest ON nearest.id = r.id`,
    )
      .select('nearest.distance', 'distance')
      .where(`nearest.distance <= ${q.param(radius, 'float8')}`)
      .orderBy('nearest.distance');
    return q;
  }

  /** The caller's own reports, newest first. */
  async mine(actor: AuthUser, query: PageQueryDto): Promise<PreserializedJson<Page<ReportView>>> {
    const limit = query.limit ?? 50;
    const viewer = { userId: actor.id, isStaff: false };
    const q = this.viewQuery(viewer);
    q.where(`r.reporter_id = ${q.param(actor.id, 'uuid')}`).orderBy('r.created_at DESC', 'r.id DESC').limit(limit + 1);
    return this.page(q, query.cursor, limit, viewer);
  }

  async timeline(actor: AuthUser | undefined, id: string) {
    const report = await this.tx.manager.findOne(ReportEntity, { where: { id } });
    if (!report) throw new ReportNotFoundError();
    const viewer = await this.viewerFor(actor, report.municipalityId);
    if (!maySee(report, viewer)) throw new ReportNotFoundError();
    const events = await this.tx.manager.find(ReportEventEntity, {
      where: { reportId: id, ...(viewer.isStaff ? {} : { visibility: 'public' as const }) },
      order: { id: 'ASC' },
      take: 500,
    });
    const people = await this.users.summaries(events.map((e) => e.actorId).filter((x): x is string => !!x));
    return events.map((e) => toTimelineEntry(e, report.reporterId, report.anonymous, people, viewer));
  }

  /** "Me too": idempotent; the supporter follows the report from then on. */
  async support(actor: AuthUser, id: string): Promise<ReportView> {
    await this.tx.run(async (manager) => {
      const report = await this.lockVisible(manager, id, actor);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(ReportSupportEntity)
        .values({ reportId: id, userId: actor.id })
        .orIgnore()
        .execute();
      if (!(inserted.raw as unknown[]).length) return;
      await this.follows.follow(actor.id, { type: REPORT_SUBJECT, id }, manager);
      report.supportCount += 1;
      // Raw SQL: a support is not a change staff must reload for, so the version stays.
      await manager.query(`UPDATE reports SET support_count = support_count + 1 WHERE id = $1`, [id]);
      await this.outbox.record(
        manager,
        'report.supported',
        { ...this.eventBase(report), userId: actor.id, supportCount: report.supportCount },
        { aggregateType: REPORT_SUBJECT, aggregateId: id, municipalityId: report.municipalityId, actorId: actor.id },
      );
    });
    return this.get(actor, id);
  }

  async unsupport(actor: AuthUser, id: string): Promise<ReportView> {
    await this.tx.run(async (manager) => {
      await this.lockVisible(manager, id, actor);
      const removed = await manager.delete(ReportSupportEntity, { reportId: id, userId: actor.id });
      if (removed.affected) await manager.query(`UPDATE reports SET support_count = GREATEST(support_count - 1, 0) WHERE id = $1`, [id]);
    });
    return this.get(actor, id);
  }

  private async lockVisible(manager: EntityManager, id: string, actor: AuthUser): Promise<ReportEntity> {
    const report = await manager.findOne(ReportEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!report || !maySee(report, { userId: actor.id, isStaff: false })) throw new ReportNotFoundError();
    return report;
  }

  async viewerFor(actor: AuthUser | undefined, municipalityId: string): Promise<Viewer> {
    return { userId: actor?.id ?? null, isStaff: actor ? await this.access.hasRole(actor, municipalityId, ['staff', 'admin']) : false };
  }

  private async page(q: SelectStatement, cursor: string | undefined, limit: number, viewer: Viewer): Promise<PreserializedJson<Page<ReportView>>> {
    q.select('r.created_at::text', 'cursor_ts');
    if (cursor) {
      const c = decodeCursor(cursor, ['t', 'id'] as const, { t: 'timestamptz', id: 'uuid' });
      const [t, id] = [q.param(c.t, 'timestamptz'), q.param(c.id, 'uuid')];
      // The first condition is what an index (btree or GiST) can use; the second breaks ties.
      q.where(`r.created_at <= ${t}`).where(`(r.created_at, r.id) < (${t}, ${id})`);
    }
    const found = await q.run<ReportViewRow & { cursor_ts: string }>(this.tx.manager);
    const rows = found.slice(0, limit);
    const last = rows[rows.length - 1];
    const nextCursor = found.length > limit && last ? encodeCursor({ t: last.cursor_ts, id: last.view_id }) : null;
    return pageJson(await this.rowViews(rows, viewer), nextCursor);
  }

  /**
   * A query of reports aliased `r` that selects ReportViewRows (views built by PostgreSQL) as
   * `viewer` sees them; rowViews completes them. Its text depends only on the code and on whether
   * the viewer is staff, so it stays one prepared statement per shape.
   */
  viewQuery(viewer: Viewer): SelectStatement {
    const q = new SelectStatement('reports r');
    const selections = reportViewSelections(viewer.isStaff, q.param(viewer.userId, 'uuid'));
    for (const [alias, expression] of Object.entries(selections)) q.select(expression, alias);
    return q;
  }

  /** See ReportViewLoader.rowViews: a page of ReportViewRows as JSON texts. */
  rowViews<R extends ReportViewRow>(rows: R[], viewer: Viewer, extra?: (row: R) => string): Promise<string[]> {
    return this.viewLoader.rowViews(rows, viewer, extra);
  }

  /** Views of many reports with everything they show loaded in a handful of queries. */
  async views(rows: ReportEntity[], viewer: Viewer, manager: EntityManager = this.tx.manager): Promise<ReportView[]> {
    return (await this.viewLoader.audienceViews(rows, [viewer], manager))[0];
  }

  /** The same rows as several audiences see them (see ReportViewLoader.audienceViews). */
  audienceViews(rows: ReportEntity[], viewers: Viewer[], manager: EntityManager = this.tx.manager): Promise<ReportView[][]> {
    return this.viewLoader.audienceViews(rows, viewers, manager);
  }

  /** Each row as its own audiences see it (see ReportViewLoader.viewsForEach). */
  viewsForEach(rows: ReportEntity[], viewers: Viewer[][], manager: EntityManager = this.tx.manager): Promise<ReportView[][]> {
    return this.viewLoader.viewsForEach(rows, viewers, manager);
  }
}

/**
 * What moderation hid is seen by the municipality's staff and by its own reporter only — never
 * by an anonymous caller because the reporter erased their account (see isOwner).
 */
export function maySee(report: Pick<ReportEntity, 'hiddenAt' | 'reporterId'>, viewer: Viewer): boolean {
  return !report.hiddenAt || viewer.isStaff || isOwner(report.reporterId, viewer.userId);
}

/** A page of views given as JSON texts. */
export function pageJson(items: string[], nextCursor: string | null): PreserializedJson<Page<ReportView>> {
  return new PreserializedJson(`{"items":[${items.join(',')}],"nextCursor":${JSON.stringify(nextCursor)}}`);
}

export function parseBbox(bbox: string): [number, number, number, number] {
  const [minLng, minLat, maxLng, maxLat] = bbox.split(',').map(Number);
  const valid =
    minLng >= -180 && maxLng <= 180 && minLat >= -90 && maxLat <= 90 && minLng <= maxLng && minLat <= maxLat;
  if (!valid) {
    throw new ValidationError('Invalid bbox', [
      { field: 'bbox', code: 'INVALID_BBOX', message: 'bbox must be minLng,minLat,maxLng,maxLat within range, min before max' },
    ]);
  }
  return [minLng, minLat, maxLng, maxLat];
}

export type { ReportStatus };

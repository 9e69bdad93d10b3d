import { Injectable } from '@nestjs/common';
import { AuthUser, CursorValueType, decodeCursor, encodeCursor, Page, PreserializedJson, SelectStatement, TransactionService, ValidationError } from '@app/common';
import { AccessService, MembershipsService, MunicipalitiesService } from '@app/identity';
import { REPORT_PRIORITIES } from '../categories/report-category.entity';
import { TriageQueueQueryDto, TriageSort } from '../dto/triage.dto';
import { OPEN_STATUSES, REPORT_STATUSES, ReportStatus } from '../lifecycle/report-lifecycle';
import { pageJson, ReportsService, ReportView } from '../reports/reports.service';
import type { ReportViewRow } from '../reports/report-views';
import { STAFF_ROLES } from './triage.service';

/**
 * Keyset order of each sort, with the columns its cursor carries. Each is served by a partial
 * index over open reports (migrations/*-ReportTriage.ts): `age` by reports_triage_age_idx,
 * `priority` by reports_triage_priority_idx on the stored priority_rank (urgent 0 … low 3; a
 * stored generated column rather than an expression index, so the queries and the cursor read
 * a plain column), `due` by reports_triage_next_due_idx on the stored next_due_at.
 */
const SORTS: Record<TriageSort, { columns: string[]; casts: string[]; select: string[] }> = {
  age: { columns: ['r.created_at', 'r.id'], casts: ['timestamptz', 'uuid'], select: ['r.created_at::text'] },
  priority: { columns: ['r.priority_rank', 'r.created_at', 'r.id'], casts: ['smallint', 'timestamptz', 'uuid'], select: ['r.priority_rank::text', 'r.created_at::text'] },
  due: { columns: ['r.next_due_at', 'r.id'], casts: ['timestamptz', 'uuid'], select: ['r.next_due_at::text'] },
};

/** A status list is inlined as literals (it is validated against the enum) so the planner can match partial indexes. */
function statusList(statuses: readonly ReportStatus[]): string {
  for (const s of statuses) if (!REPORT_STATUSES.includes(s)) throw new Error(`Unknown status ${s}`);
  return statuses.map((s) => `'${s}'`).join(', ');
}

const staffViewer = (userId: string) => ({ userId, isStaff: true });

/** A department filter: a name (with or without the reports that have none), or only those without one (name null). */
export type QueueDepartment = { name: string; withoutDepartment: boolean } | { name: null } | undefined;

/** The staff's work queue: a municipality's reports, filtered and sorted, keyset-paginated. */
@Injectable()
export class TriageQueueService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly reports: ReportsService,
    private readonly memberships: MembershipsService,
  ) {}

  async list(actor: AuthUser, slug: string, query: TriageQueueQueryDto): Promise<PreserializedJson<Page<ReportView>>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, STAFF_ROLES);
    const sort = query.sort ?? 'age';
    const order = SORTS[sort];
    const limit = query.limit ?? 50;
    const department = await this.departmentFilter(actor, municipality.id, query.department);
    const q = this.queueQuery(municipality.id, actor.id, { ...query, department }, limit);

    if (query.cursor) {
      const keys = order.columns.map((_, i) => `k${i}`);
      const c = decodeCursor(query.cursor, ['s', ...keys] as const, Object.fromEntries(keys.map((k, i) => [k, order.casts[i] as CursorValueType])));
      if (c.s !== sort) throw new ValidationError('Invalid cursor', [{ field: 'cursor', code: 'CURSOR_OF_OTHER_SORT', message: 'cursor belongs to another sort order' }]);
      const values = keys.map((k, i) => q.param(c[k as keyof typeof c], order.casts[i]));
      q.where(`(${order.columns.join(', ')}) > (${values.join(', ')})`);
    }

    const found = await q.run<ReportViewRow & Record<string, string>>(this.tx.manager);
    const rows = found.slice(0, limit);
    let nextCursor: string | null = null;
    if (found.length > limit && rows.length) {
      const last = rows[rows.length - 1];
      const values: Record<string, string> = { s: sort };
      order.select.forEach((_, i) => (values[`k${i}`] = last[`cursor_${i}`]));
      values[`k${order.columns.length - 1}`] = last.view_id;
      nextCursor = encodeCursor(values);
    }
    return pageJson(await this.reports.rowViews(rows, staffViewer(actor.id)), nextCursor);
  }

  /**
   * Which department the queue shows: by default ("mine") the staff member's own, with the
   * reports that have none (nobody else's default view would show those); a generalist (no
   * department) and the platform admin see every department. Returns the filter for queueQuery:
   * undefined for all, '' for reports without a department, or a department name.
   */
  private async departmentFilter(actor: AuthUser, municipalityId: string, asked: string | undefined): Promise<QueueDepartment> {
    if (asked === 'all') return undefined;
    if (asked === 'none') return { name: null };
    if (asked !== undefined && asked !== 'mine') return { name: asked, withoutDepartment: false };
    const own = await this.memberships.departmentOf(actor.id, municipalityId);
    return own === null ? undefined : { name: own, withoutDepartment: true };
  }

  /** The queue's SQL without the cursor; also EXPLAINed by the benchmark. */
  queueQuery(municipalityId: string, actorId: string, query: Omit<TriageQueueQueryDto, 'department'> & { department?: QueueDepartment }, limit: number): SelectStatement {
    const order = SORTS[query.sort ?? 'age'];
    const statuses = query.status ? ([...new Set(query.status.split(','))] as ReportStatus[]) : OPEN_STATUSES;
    const q = this.reports.viewQuery(staffViewer(actorId));
    q.where(`r.municipality_id = ${q.param(municipalityId, 'uuid')}`)
      .where(`r.status IN (${statusList(statuses)})`)
      .orderBy(...order.columns.map((column) => `${column} ASC`))
      .limit(limit + 1);
    order.select.forEach((expression, i) => q.select(expression, `cursor_${i}`));

    if (query.category) q.where(`r.category_code = ${q.param(query.category)}`);
    if (query.priority) q.where(`r.priority_rank = ${q.param(3 - REPORT_PRIORITIES.indexOf(query.priority), 'smallint')}`);
    if (query.assignee === 'none') q.where('r.assignee_id IS NULL');
    else if (query.assignee) q.where(`r.assignee_id = ${q.param(query.assignee === 'me' ? actorId : query.assignee, 'uuid')}`);
    // next_due_at is the deadline that can still be missed in the current status ('infinity' if none).
    if (query.overdue === 'true') q.where('r.next_due_at < now()');
    if (query.overdue === 'false') q.where('r.next_due_at >= now()');
    const department = query.department;
    if (department?.name === null) q.where('r.department IS NULL');
    else if (department) {
      const name = q.param(department.name);
      q.where(department.withoutDepartment ? `(r.department = ${name} OR r.department IS NULL)` : `r.department = ${name}`);
    }
    if (query.q) {
      const text = query.q.trim();
      const number = /^#?(\d{1,18})$/.exec(text);
      if (number) q.where(`r.number = ${q.param(number[1], 'bigint')}`);
      else if (text) {
        // The stored search_vector holds both languages' stems (reports_search_idx, GIN); a
        // query matches when either language's reading of it does. The configurations unaccent
        // the words before stemming, so "eclairage" finds "éclairage".
        const p = q.param(text);
        q.where(`r.search_vector @@ (websearch_to_tsquery('civic_fr', ${p}) || websearch_to_tsquery('civic_en', ${p}))`);
      }
    }
    return q;
  }
}

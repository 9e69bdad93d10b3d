import { Injectable } from '@nestjs/common';
import { AuthUser, CursorValueType, decodeCursor, encodeCursor, Page, PreserializedJson, SelectStatement, TransactionService, ValidationError } from '@app/common';
import { AccessService, MunicipalitiesService } from '@app/identity';
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

/** The staff's work queue: a municipality's reports, filtered and sorted, keyset-paginated. */
@Injectable()
export class TriageQueueService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly reports: ReportsService,
  ) {}

  async list(actor: AuthUser, slug: string, query: TriageQueueQueryDto): Promise<PreserializedJson<Page<ReportView>>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, STAFF_ROLES);
    const sort = query.sort ?? 'age';
    const order = SORTS[sort];
    const limit = query.limit ?? 50;
    const q = this.queueQuery(municipality.id, actor.id, query, limit);

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

  /** The queue's SQL without the cursor; also EXPLAINed by the benchmark. */
  queueQuery(municipalityId: string, actorId: string, query: TriageQueueQueryDto, limit: number): SelectStatement {
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
    return q;
  }
}

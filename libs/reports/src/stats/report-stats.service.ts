import { Injectable, Logger } from '@nestjs/common';
import { AuthUser, TransactionService } from '@app/common';
import { AccessService, MunicipalitiesService, UsersService } from '@app/identity';
import { stringify } from 'csv-stringify';
import { Readable, pipeline } from 'node:stream';
import { ExportQueryDto, StatsQueryDto } from '../dto/report-stats.dto';
import { REPORT_KINDS, REPORT_STATUSES, ReportStatus } from '../lifecycle/report-lifecycle';
import { REPORT_SOURCES } from '../reports/report.entity';
import { CSV_COLUMNS, CsvReportSource, toCsvRecord } from './report-csv';
import { DateRange, resolveRange } from './stats-range';

export interface ReportStats {
  from: string;
  to: string;
  total: number;
  byStatus: Record<string, number>;
  byCategory: Record<string, number>;
  byKind: Record<string, number>;
  /** By channel (`source`): self-filed (app, open311) and staff-assisted (phone, counter, mail, third_place). */
  byChannel: Record<string, number>;
  medianSecondsToAcknowledge: number | null;
  medianSecondsToResolve: number | null;
  acknowledgedCount: number;
  resolvedCount: number;
}

/** Rows per query of the export: memory stays flat however many reports there are. */
export const EXPORT_BATCH = 1000;

interface ExportRow {
  number: string;
  id: string;
  created_at: Date;
  cursor_t: string;
  kind: string;
  category_code: string;
  status: string;
  priority: string;
  department: string | null;
  assignee_id: string | null;
  address: string | null;
  lat: number;
  lng: number;
  acknowledged_at: Date | null;
  resolved_at: Date | null;
  closed_at: Date | null;
  support_count: number;
  description: string;
}

/**
 * Figures and the CSV export for a municipality's staff, over reports created in [from, to).
 * Both read the (municipality_id, created_at, id) index (reports_public_list_idx).
 */
@Injectable()
export class ReportStatsService {
  private readonly logger = new Logger(ReportStatsService.name);

  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly users: UsersService,
  ) {}

  async stats(actor: AuthUser, slug: string, query: StatsQueryDto): Promise<ReportStats> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    const range = resolveRange(query.from, query.to);
    const params = [municipality.id, range.from, range.to];
    const where = `municipality_id = $1 AND created_at >= $2 AND created_at < $3`;
    const [groups, medians] = await Promise.all([
      // One scan for the four breakdowns; the grouped-away columns come back NULL (they are NOT NULL otherwise).
      this.tx.manager.query(
        `SELECT status, category_code, kind, source, count(*)::int AS n FROM reports WHERE ${where}
         GROUP BY GROUPING SETS ((status), (category_code), (kind), (source))`,
        params,
      ) as Promise<Array<{ status: string | null; category_code: string | null; kind: string | null; source: string | null; n: number }>>,
      this.tx.manager.query(
        `SELECT count(*)::int AS total,
                count(acknowledged_at)::int AS acknowledged,
                count(resolved_at)::int AS resolved,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM acknowledged_at - created_at)) AS ack_median,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM resolved_at - created_at)) AS resolve_median
         FROM reports WHERE ${where}`,
        params,
      ) as Promise<Array<{ total: number; acknowledged: number; resolved: number; ack_median: number | null; resolve_median: number | null }>>,
    ]);
    const byStatus: Record<string, number> = Object.fromEntries(REPORT_STATUSES.map((s) => [s, 0]));
    const byKind: Record<string, number> = Object.fromEntries(REPORT_KINDS.map((k) => [k, 0]));
    const byChannel: Record<string, number> = Object.fromEntries(REPORT_SOURCES.map((c) => [c, 0]));
    const byCategory: Record<string, number> = {};
    for (const g of groups) {
      if (g.status !== null) byStatus[g.status] = g.n;
      else if (g.source !== null) byChannel[g.source] = g.n;
      else if (g.kind !== null) byKind[g.kind] = g.n;
      else if (g.category_code !== null) byCategory[g.category_code] = g.n;
    }
    const m = medians[0];
    // percentile_cont ignores NULLs: each median is over the reports that reached that step.
    const seconds = (v: number | null) => (v === null ? null : Math.round(Number(v)));
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      total: m.total,
      byStatus,
      byCategory,
      byKind,
      byChannel,
      medianSecondsToAcknowledge: seconds(m.ack_median),
      medianSecondsToResolve: seconds(m.resolve_median),
      acknowledgedCount: m.acknowledged,
      resolvedCount: m.resolved,
    };
  }

  /**
   * The CSV export as a stream: access is checked before the first byte, then rows are read in
   * keyset batches as the client takes them (Readable.from pulls the next batch only when the
   * stringifier wants more), so a 100k-row export holds one batch in memory.
   */
  async exportCsv(actor: AuthUser, slug: string, query: ExportQueryDto): Promise<{ filename: string; stream: Readable }> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    const range = resolveRange(query.from, query.to);
    const statuses = query.status ? ([...new Set(query.status.split(','))] as ReportStatus[]) : null;
    const csv = stringify({ header: true, columns: [...CSV_COLUMNS] });
    const source = Readable.from(this.records(municipality.id, range, statuses));
    pipeline(source, csv, (error) => {
      if (error) this.logger.error({ err: error }, `CSV export of ${slug} stopped: ${error.message}`);
    });
    const day = (d: Date) => d.toISOString().slice(0, 10);
    return { filename: `reports-${municipality.slug}-${day(range.from)}-${day(range.to)}.csv`, stream: csv };
  }

  private async *records(municipalityId: string, range: DateRange, statuses: ReportStatus[] | null): AsyncGenerator<Array<string | number>> {
    let after: { t: string; id: string } | null = null;
    for (;;) {
      const params: unknown[] = [municipalityId, range.from, range.to];
      let sql = `SELECT r.number, r.id, r.created_at, r.created_at::text AS cursor_t, r.kind, r.category_code, r.status, r.priority,
                        r.department, r.assignee_id, r.address, r.lat, r.lng, r.acknowledged_at, r.resolved_at, r.closed_at,
                        r.support_count, r.description
                 FROM reports r
                 WHERE r.municipality_id = $1 AND r.created_at >= $2 AND r.created_at < $3`;
      if (statuses) {
        params.push(statuses);
        sql += ` AND r.status = ANY($${params.length}::text[])`;
      }
      if (after) {
        params.push(after.t, after.id);
        sql += ` AND (r.created_at, r.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
      }
      sql += ` ORDER BY r.created_at, r.id LIMIT ${EXPORT_BATCH}`;
      const rows: ExportRow[] = await this.tx.manager.query(sql, params);
      if (rows.length === 0) return;
      const people = await this.users.summaries(rows.map((r) => r.assignee_id).filter((x): x is string => !!x));
      for (const r of rows) yield toCsvRecord(toSource(r, people.get(r.assignee_id ?? '')?.displayName ?? r.assignee_id));
      if (rows.length < EXPORT_BATCH) return;
      const last = rows[rows.length - 1];
      after = { t: last.cursor_t, id: last.id };
    }
  }
}

function toSource(r: ExportRow, assignee: string | null): CsvReportSource {
  return {
    number: String(r.number),
    id: r.id,
    createdAt: r.created_at,
    kind: r.kind,
    categoryCode: r.category_code,
    status: r.status,
    priority: r.priority,
    department: r.department,
    assignee,
    address: r.address,
    lat: r.lat,
    lng: r.lng,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
    closedAt: r.closed_at,
    supportCount: r.support_count,
    description: r.description,
  };
}

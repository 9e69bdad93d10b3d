import { Injectable } from '@nestjs/common';
import { entityColumnList, hydrateEntity, OutboxService, TransactionService, WriteStatement } from '@app/common';
import { DistrictsService, MunicipalityView } from '@app/identity';
import { FollowsService } from '@app/engagement';
import { EntityManager } from 'typeorm';
import { ReportCategoryEntity } from '../categories/report-category.entity';
import { OPEN_STATUSES } from '../lifecycle/report-lifecycle';
import { ServiceLevelsService } from '../service-levels/service-levels.service';
import { REPORT_SUBJECT } from './report-subject';
import { ReportEntity } from './report.entity';

/** What a caller says of a report it files; the rest comes from the municipality, the category and the calendar. */
export type NewReport = Pick<ReportEntity, 'id' | 'kind' | 'description' | 'lat' | 'lng' | 'address' | 'attributes' | 'reporterId' | 'anonymous' | 'source'> &
  Partial<Pick<ReportEntity, 'contactName' | 'contactEmail' | 'contactPhone' | 'filedById' | 'deviceId' | 'apiKeyId'>>;

/**
 * Writes new reports: the row with its deadlines, its first timeline line, the reporter's follow
 * and `report.created`, in one statement. ReportsService files a citizen's report through it;
 * Open311 and staff-assisted intake call it inside their own transactions.
 */
@Injectable()
export class ReportFiler {
  constructor(
    private readonly tx: TransactionService,
    private readonly serviceLevels: ServiceLevelsService,
    private readonly outbox: OutboxService,
    private readonly follows: FollowsService,
    private readonly districts: DistrictsService,
  ) {}

  /** Writes a new report like `create` does, inside the caller's transaction (Open311, staff-assisted intake). */
  async insertReport(manager: EntityManager, municipality: MunicipalityView, category: ReportCategoryEntity, input: NewReport): Promise<ReportEntity> {
    const statement = new WriteStatement();
    const reportCte = await this.addNewReport(statement, municipality, category, input);
    const [row] = await statement.run(manager, `SELECT * FROM ${reportCte}`);
    return hydrateEntity(manager, ReportEntity, row);
  }

  /**
   * A machine's report (input.deviceId set): while a report of the same device and category is
   * open in the municipality, the send adds to it (occurrence_count + 1, last_seen_at) instead
   * of filing another. One INSERT … ON CONFLICT DO UPDATE on the unique partial index
   * reports_machine_open_key, so concurrent sends serialise on that index entry: exactly one
   * files, the others count. Only a filing writes the timeline line and `report.created`.
   */
  async upsertMachineReport(
    manager: EntityManager,
    municipality: MunicipalityView,
    category: ReportCategoryEntity,
    input: NewReport & { deviceId: string },
  ): Promise<{ report: ReportEntity; created: boolean }> {
    const statement = new WriteStatement();
    const reportCte = await this.addNewReport(statement, municipality, category, input, { machine: true });
    const [row] = await statement.run<Record<string, unknown> & { inserted: boolean }>(manager, `SELECT * FROM ${reportCte}`);
    const { inserted, ...columns } = row;
    return { report: await hydrateEntity(manager, ReportEntity, columns), created: inserted };
  }

  /**
   * Adds a new report with its deadlines, its first timeline line, the reporter's follow and the
   * `report.created` event to a statement; returns the name of the part whose row is the report.
   */
  async addNewReport(
    statement: WriteStatement,
    municipality: MunicipalityView,
    category: ReportCategoryEntity,
    input: NewReport,
    options: { machine?: boolean } = {},
  ): Promise<string> {
    const now = new Date();
    const calendar = await this.serviceLevels.calendarFor(municipality);
    const deadlines = this.serviceLevels.deadlines(calendar, category.serviceLevels, 'normal', now);
    const district = await this.districts.findContaining(municipality.id, input.lng, input.lat);
    const p = (value: unknown, cast: string) => statement.param(value, cast);
    const lat = p(input.lat, 'float8');
    const lng = p(input.lng, 'float8');
    const at = p(now, 'timestamptz');
    const report = statement.uniqueName('report');
    // A machine's repeated send counts on its open report (see upsertMachineReport); the
    // predicate names the unique partial index reports_machine_open_key.
    const upsert = options.machine
      ? `ON CONFLICT (municipality_id, device_id, category_code) WHERE device_id IS NOT NULL AND status IN (${OPEN_STATUSES.map((s) => `'${s}'`).join(', ')})
         DO UPDATE SET occurrence_count = reports.occurrence_count + 1, last_seen_at = ${at}
       RETURNING ${entityColumnList(this.tx.manager, ReportEntity)}, (xmax = 0) AS inserted`
      : `RETURNING ${entityColumnList(this.tx.manager, ReportEntity)}`;
    statement.with(
      report,
      `INSERT INTO reports (id, municipality_id, kind, category_id, category_code, department, description, lat, lng, location, address, district_id,
                            attributes, reporter_id, anonymous, source, contact_name, contact_email, contact_phone, filed_by_id, device_id, api_key_id,
                            acknowledge_due_at, resolve_due_at, created_at, updated_at)
       SELECT ${p(input.id, 'uuid')}, ${p(municipality.id, 'uuid')}, ${p(input.kind, 'text')}, ${p(category.id, 'uuid')}, ${p(category.code, 'text')},
              ${p(category.department, 'text')}, ${p(input.description, 'text')}, ${lat}, ${lng}, point(${lng}, ${lat}), ${p(input.address, 'text')}, ${p(district?.id ?? null, 'uuid')},
              ${p(JSON.stringify(input.attributes ?? {}), 'jsonb')}, ${p(input.reporterId, 'uuid')}, ${p(input.anonymous, 'boolean')}, ${p(input.source, 'text')},
              ${p(input.contactName ?? null, 'text')}, ${p(input.contactEmail ?? null, 'text')}, ${p(input.contactPhone ?? null, 'text')},
              ${p(input.filedById ?? null, 'uuid')}, ${p(input.deviceId ?? null, 'text')}, ${p(input.apiKeyId ?? null, 'uuid')},
              ${p(deadlines.acknowledgeDueAt, 'timestamptz')}, ${p(deadlines.resolveDueAt, 'timestamptz')}, ${at}, ${at}
       WHERE ${statement.guard}
       ${upsert}`,
    );
    // What follows a filing happens only when the row was filed, not counted.
    if (options.machine) statement.onlyIf(`EXISTS (SELECT 1 FROM ${report} WHERE inserted)`);
    statement.with(
      statement.uniqueName('report_created_line'),
      `INSERT INTO report_events (report_id, type, visibility, actor_id, to_status, data, created_at)
       SELECT id, 'created', 'public', reporter_id, 'new', ${p(JSON.stringify({ source: input.source }), 'jsonb')}, ${at} FROM ${report}
       WHERE ${statement.guard}`,
    );
    // The reporter hears of what happens to their report.
    if (input.reporterId) this.follows.followIn(statement, input.reporterId, { type: REPORT_SUBJECT, id: input.id });
    this.outbox.recordIn(
      statement,
      'report.created',
      {
        reportId: input.id,
        municipalityId: municipality.id,
        categoryCode: category.code,
        kind: input.kind,
        status: 'new',
        reporterId: input.reporterId,
        department: category.department,
      },
      { aggregateType: REPORT_SUBJECT, aggregateId: input.id, municipalityId: municipality.id, actorId: input.reporterId ?? input.filedById ?? null },
      // The number comes from the reports sequence, inside this very statement.
      { number: `(SELECT number::text FROM ${report})` },
    );
    return report;
  }
}

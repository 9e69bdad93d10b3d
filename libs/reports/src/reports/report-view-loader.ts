import { Injectable } from '@nestjs/common';
import { concurrentReads, TransactionService } from '@app/common';
import { MunicipalitiesService, UsersService } from '@app/identity';
import { AttachmentsService } from '@app/media';
import { Claim, PresenceService } from '@app/realtime';
import { EntityManager, In } from 'typeorm';
import { CategoriesService } from '../categories/categories.service';
import { Open311ApiKeyEntity } from '../open311/open311-api-key.entity';
import { triageTopic } from '../realtime/report-topics';
import { ReportSupportEntity } from './report-support.entity';
import { REPORT_SUBJECT } from './report-subject';
import { ReportViewRow, reportViewJson, toReportView, Viewer, ViewContext } from './report-views';
import type { ReportView } from './reports.service';
import { ReportEntity } from './report.entity';

/**
 * What report views show that other tables and libraries own — categories, people, photos,
 * supports, duplicates, API keys, triage claims — loaded once for a page or a batch of rows, then
 * each row written for its viewer. ReportsService's views, lists and the live updates go through it.
 */
@Injectable()
export class ReportViewLoader {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly users: UsersService,
    private readonly categories: CategoriesService,
    private readonly attachments: AttachmentsService,
    private readonly presence: PresenceService,
  ) {}

  /**
   * Completes a page of ReportViewRows with what other libraries own (names, photos, claims), as
   * JSON texts; `extra` gives a row's further members as `,"name":value` text.
   */
  async rowViews<R extends ReportViewRow>(rows: R[], viewer: Viewer, extra?: (row: R) => string): Promise<string[]> {
    if (rows.length === 0) return [];
    const withPhotos = rows.filter((r) => r.view_photo_count > 0).map((r) => r.view_id);
    const municipalityIds = [...new Set(rows.map((r) => r.view_municipality_id))];
    const slugsFound = Promise.all(municipalityIds.map((id) => this.municipalities.requireById(id))).then((found) => new Map(found.map((m) => [m.id, m.slug])));
    // The claims (Redis) are read beside the people and photos (PostgreSQL), not after them.
    const [people, photos, slugs, claims] = await Promise.all([
      this.users.summaries(rows.flatMap((r) => [r.view_reporter_id, r.view_assignee_id, r.view_filed_by_id]).filter((x): x is string => !!x)),
      withPhotos.length ? this.attachments.listBySubjects(REPORT_SUBJECT, withPhotos) : new Map(),
      slugsFound,
      viewer.isStaff ? slugsFound.then((bySlug) => this.claimsFor(rows.map((r) => ({ id: r.view_id, municipalityId: r.view_municipality_id })), bySlug)) : undefined,
    ]);
    return rows.map((row) => reportViewJson(row, viewer, { slugs, people, photos, claims }, extra?.(row)));
  }

  /**
   * The same rows as several audiences see them (a live update goes to the public, the staff
   * and the reporter at once), with what the views show loaded once for all of them.
   */
  async audienceViews(rows: ReportEntity[], viewers: Viewer[], manager: EntityManager = this.tx.manager): Promise<ReportView[][]> {
    if (rows.length === 0) return viewers.map(() => []);
    const contextFor = await this.viewContexts(rows, viewers, manager);
    return viewers.map((viewer) => rows.map((r) => toReportView(r, viewer, contextFor(viewer, r))));
  }

  /**
   * Each row as its own audiences see it (`viewers[i]` for `rows[i]`; a row may come twice), with
   * what the views show loaded once for all rows — a batch of live updates in a handful of queries.
   */
  async viewsForEach(rows: ReportEntity[], viewers: Viewer[][], manager: EntityManager = this.tx.manager): Promise<ReportView[][]> {
    if (rows.length === 0) return [];
    const contextFor = await this.viewContexts(rows, viewers.flat(), manager);
    return rows.map((r, i) => viewers[i].map((viewer) => toReportView(r, viewer, contextFor(viewer, r))));
  }

  /** What the rows' views show, loaded once; then each viewer's context for a row. */
  private async viewContexts(rows: ReportEntity[], viewers: Viewer[], manager: EntityManager): Promise<(viewer: Viewer, row: ReportEntity) => ViewContext> {
    const ids = [...new Set(rows.map((r) => r.id))];
    const supporters = [...new Set(viewers.map((v) => v.userId).filter((x): x is string => !!x))];
    const [categories, people, photos, supported, duplicates, slugs] = await concurrentReads(manager, [
      () => this.categories.namesByIds(rows.map((r) => r.categoryId), manager === this.tx.manager ? undefined : manager),
      () => this.users.summaries(rows.flatMap((r) => [r.reporterId, r.assigneeId, r.filedById]).filter((x): x is string => !!x), manager),
      () => this.attachments.listBySubjects(REPORT_SUBJECT, ids, manager),
      () =>
        supporters.length
          ? manager.find(ReportSupportEntity, { where: { userId: In(supporters), reportId: In(ids) }, select: { userId: true, reportId: true } })
          : Promise.resolve([]),
      () => this.duplicateNumbers(rows, manager),
      () => this.slugs(rows),
    ] as const);
    const anyStaff = viewers.some((v) => v.isStaff);
    const claims = anyStaff ? await this.claimsFor(rows, slugs) : undefined;
    const apiKeyNames = anyStaff ? await this.apiKeyNames(rows, manager) : undefined;
    const supportedBy = new Map<string | null, Set<string>>();
    const supportedByViewer = (userId: string | null) => {
      let set = supportedBy.get(userId);
      if (!set) supportedBy.set(userId, (set = new Set(supported.filter((x) => x.userId === userId).map((x) => x.reportId))));
      return set;
    };
    return (viewer, r) => ({
      categoryNames: categories,
      people,
      photos,
      supportedByViewer: supportedByViewer(viewer.userId),
      duplicateNumbers: duplicates,
      claims: viewer.isStaff ? claims : undefined,
      apiKeyNames: viewer.isStaff ? apiKeyNames : undefined,
      municipalitySlug: slugs.get(r.municipalityId) ?? '',
    });
  }

  private async duplicateNumbers(rows: ReportEntity[], manager: EntityManager): Promise<Map<string, string>> {
    const ids = rows.map((r) => r.duplicateOfId).filter((x): x is string => !!x);
    if (!ids.length) return new Map();
    const found = await manager.find(ReportEntity, { where: { id: In(ids) }, select: { id: true, number: true } });
    return new Map(found.map((f) => [f.id, String(f.number)]));
  }

  private async apiKeyNames(rows: ReportEntity[], manager: EntityManager): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.apiKeyId).filter((x): x is string => !!x))];
    if (!ids.length) return new Map();
    const found = await manager.find(Open311ApiKeyEntity, { where: { id: In(ids) }, select: { id: true, name: true } });
    return new Map(found.map((k) => [k.id, k.name]));
  }

  /** Claims on the triage boards of the rows' municipalities (best effort: none if Redis is away). */
  private async claimsFor(rows: Array<Pick<ReportEntity, 'id' | 'municipalityId'>>, slugs: Map<string, string>): Promise<Map<string, Claim>> {
    const byBoard = new Map<string, string[]>();
    for (const r of rows) {
      const board = triageTopic(slugs.get(r.municipalityId) ?? '');
      byBoard.set(board, [...(byBoard.get(board) ?? []), r.id]);
    }
    const found = await Promise.all([...byBoard].map(([board, ids]) => this.presence.claimsFor(board, ids)));
    return new Map(found.flatMap((m) => [...m]));
  }

  private async slugs(rows: ReportEntity[]): Promise<Map<string, string>> {
    const ids = [...new Set(rows.map((r) => r.municipalityId))];
    const found = await Promise.all(ids.map((id) => this.municipalities.requireById(id)));
    return new Map(found.map((m) => [m.id, m.slug]));
  }
}

import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer, selectEntities } from '@app/common';
import { RealtimePublisher, userTopic } from '@app/realtime';
import { EntityManager } from 'typeorm';
import type { Viewer } from '../reports/report-views';
import { ReportEntity } from '../reports/report.entity';
import { ReportsService, ReportView } from '../reports/reports.service';
import { municipalityReportsTopic, reportTopic, triageTopic } from './report-topics';

/** Events the public (and the reporter) hear of; the others are internal triage work. */
const PUBLIC_TYPES = new Set(['report.created', 'report.status_changed', 'report.edited', 'report.updated', 'report.merged', 'report.supported', 'report.photos_changed']);

/** What a live report event carries: the report as that audience sees it over REST, and the update's text for `report.updated`. */
export interface ReportRealtimeData {
  report: ReportView;
  update?: { visibility: 'public' | 'internal'; message: string };
}

/**
 * Live updates of reports, after commit: for each event, the report is read as it stands now
 * and sent to each audience with the view the REST API gives it — the public view to
 * `report:{id}` and the municipality's feed (unless moderation hid the report or the event is
 * internal), the staff view to the triage board, the reporter's own view to `user:{reporterId}`.
 * The message id is the outbox event id, so a redelivered job repeats the same id.
 */
@Injectable()
// Rerunnable: it only publishes live messages whose id is the event's, which clients dedupe.
@EventConsumer({
  name: 'reports-realtime',
  rerunnable: true,
  events: [
    'report.created',
    'report.status_changed',
    'report.edited',
    'report.assigned',
    'report.updated',
    'report.triaged',
    'report.merged',
    'report.supported',
    'report.photos_changed',
  ],
})
export class ReportsRealtimeConsumer implements DomainEventConsumer {
  constructor(
    private readonly reports: ReportsService,
    private readonly publisher: RealtimePublisher,
  ) {}

  handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    return this.handleBatch([event], manager);
  }

  /**
   * The events that share a transaction, in id order: their reports read and their views built
   * together (one set of reads for the batch instead of nine statements an event), then each
   * event's messages published in turn, as one event at a time would.
   */
  async handleBatch(events: DomainEvent[], manager: EntityManager): Promise<void> {
    const plans = events.map((event) => {
      const ids = [event.aggregateId];
      if (event.type === 'report.merged') ids.push((event.payload as { intoId: string }).intoId);
      const update = event.type === 'report.updated' ? (event.payload as { visibility: 'public' | 'internal'; message: string }) : undefined;
      return {
        ids,
        internal: !PUBLIC_TYPES.has(event.type) || update?.visibility === 'internal',
        base: { id: event.id, type: event.type, occurredAt: event.occurredAt.toISOString() },
        extra: update ? { update: { visibility: update.visibility, message: update.message } } : {},
      };
    });
    const found = await selectEntities(manager, ReportEntity, 'id = ANY($1::uuid[])', [[...new Set(plans.flatMap((p) => p.ids))]]);
    const byId = new Map(found.map((r) => [r.id, r]));
    // One item per (event, report): the same report may come in two events with different audiences.
    const items = plans.flatMap((plan) =>
      plan.ids
        .map((id) => byId.get(id))
        .filter((report): report is ReportEntity => !!report)
        .map((report) => {
          const toPublic = !plan.internal && !report.hiddenAt;
          const reporterId = plan.internal ? null : report.reporterId;
          const viewers: Viewer[] = [{ userId: null, isStaff: true }];
          if (toPublic) viewers.push({ userId: null, isStaff: false });
          if (reporterId) viewers.push({ userId: reporterId, isStaff: false });
          return { plan, report, toPublic, reporterId, viewers };
        }),
    );
    const views = await this.reports.viewsForEach(
      items.map((i) => i.report),
      items.map((i) => i.viewers),
      manager,
    );
    for (const [i, { plan, report, toPublic, reporterId }] of items.entries()) {
      const [staffView, ...others] = views[i];
      const { base, extra } = plan;
      const slug = staffView.municipality as string;
      // The widest audience first.
      if (toPublic) {
        const publicView = others.shift()!;
        await this.publisher.publish<ReportRealtimeData>([municipalityReportsTopic(slug), reportTopic(report.id)], { ...base, data: { report: publicView, ...extra } });
      }
      if (reporterId) {
        const ownView = others.shift()!;
        await this.publisher.publish<ReportRealtimeData>(userTopic(reporterId), { ...base, data: { report: ownView, ...extra } });
      }
      await this.publisher.publish<ReportRealtimeData>(triageTopic(slug), { ...base, data: { report: staffView, ...extra } });
    }
  }
}

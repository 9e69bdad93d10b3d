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

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const ids = [event.aggregateId];
    if (event.type === 'report.merged') ids.push((event.payload as { intoId: string }).intoId);
    const update = event.type === 'report.updated' ? (event.payload as { visibility: 'public' | 'internal'; message: string }) : undefined;
    const internal = !PUBLIC_TYPES.has(event.type) || update?.visibility === 'internal';
    const base = { id: event.id, type: event.type, occurredAt: event.occurredAt.toISOString() };
    const extra = update ? { update: { visibility: update.visibility, message: update.message } } : {};
    for (const report of await selectEntities(manager, ReportEntity, 'id = ANY($1::uuid[])', [ids])) {
      const toPublic = !internal && !report.hiddenAt;
      const reporterId = internal ? null : report.reporterId;
      const viewers: Viewer[] = [{ userId: null, isStaff: true }];
      if (toPublic) viewers.push({ userId: null, isStaff: false });
      if (reporterId) viewers.push({ userId: reporterId, isStaff: false });
      const [[staffView], ...others] = await this.reports.audienceViews([report], viewers, manager);
      const slug = staffView.municipality as string;
      // The widest audience first.
      if (toPublic) {
        const [publicView] = others.shift()!;
        await this.publisher.publish<ReportRealtimeData>([municipalityReportsTopic(slug), reportTopic(report.id)], { ...base, data: { report: publicView, ...extra } });
      }
      if (reporterId) {
        const [ownView] = others.shift()!;
        await this.publisher.publish<ReportRealtimeData>(userTopic(reporterId), { ...base, data: { report: ownView, ...extra } });
      }
      await this.publisher.publish<ReportRealtimeData>(triageTopic(slug), { ...base, data: { report: staffView, ...extra } });
    }
  }
}

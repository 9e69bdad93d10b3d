import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer, selectEntities } from '@app/common';
import { CommentsService, CommentView } from '@app/engagement';
import { RealtimePublisher } from '@app/realtime';
import { EntityManager } from 'typeorm';
import { ReportEntity } from '../reports/report.entity';
import { REPORT_SUBJECT } from '../reports/reports.service';
import { reportTopic } from './report-topics';

/**
 * What a live comment event carries on `report:{id}`: the comment exactly as the public list
 * shows it (a deleted one as its placeholder), or null when the public no longer sees it
 * (deleted without replies): remove `commentId` from the thread.
 */
export interface ReportCommentRealtimeData {
  commentId: string;
  comment: CommentView | null;
}

/**
 * Comments on a report reach its topic live, after commit, as status changes do: added, edited,
 * deleted, or taken down and put back by moderation (event types
 * `engagement.comment_added|comment_edited|comment_deleted|comment_moderated`; a taken-down one
 * arrives as `comment: null`). A report hidden by moderation sends nothing.
 */
@Injectable()
// Rerunnable: it only publishes live messages whose id is the event's, which clients dedupe.
@EventConsumer({
  name: 'report-comments-realtime',
  rerunnable: true,
  events: ['engagement.comment_added', 'engagement.comment_edited', 'engagement.comment_deleted', 'engagement.comment_moderated'],
})
export class ReportCommentsRealtimeConsumer implements DomainEventConsumer {
  constructor(
    private readonly comments: CommentsService,
    private readonly publisher: RealtimePublisher,
  ) {}

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const p = event.payload as { commentId: string; subjectType: string; subjectId: string };
    if (p.subjectType !== REPORT_SUBJECT) return;
    const [report] = await selectEntities(manager, ReportEntity, 'id = $1', [p.subjectId]);
    if (!report || report.hiddenAt) return;
    const comment = await this.comments.publicView(p.commentId, manager);
    // Added or edited, but not shown (moderation was quicker): nothing to say to the public.
    // Deleted, or taken down by moderation: the public drops it (comment null).
    if (!comment && event.type !== 'engagement.comment_deleted' && event.type !== 'engagement.comment_moderated') return;
    await this.publisher.publish<ReportCommentRealtimeData>(reportTopic(report.id), {
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      data: { commentId: p.commentId, comment },
    });
  }
}

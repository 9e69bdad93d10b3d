import { Injectable } from '@nestjs/common';
import { AuditService, ModerationChange, OutboxService, ProvidesSubject, SubjectInfo, SubjectProvider } from '@app/common';
import { EntityManager, In } from 'typeorm';
import { CommentEntity, CommentStatus } from '../comment.entity';
import { SubjectRegistry } from './subject-registry';

export const COMMENT_SUBJECT_TYPE = 'comment';

/**
 * Comments are subjects themselves, so they can be flagged through the same route as anything
 * else (POST /api/v1/comments/:id/flags). A comment is public while it is visible, not deleted
 * by its author, and what it is about is public.
 */
@Injectable()
@ProvidesSubject({ type: COMMENT_SUBJECT_TYPE, collection: 'comments' })
export class CommentSubjectProvider implements SubjectProvider {
  constructor(
    private readonly registry: SubjectRegistry,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async describe(id: string, manager: EntityManager): Promise<SubjectInfo | null> {
    const comment = await manager.findOne(CommentEntity, {
      where: { id },
      select: { id: true, subjectType: true, subjectId: true, municipalityId: true, authorId: true, status: true, deletedAt: true },
    });
    if (!comment) return null;
    // A comment its author deleted is no longer there to flag or follow.
    let isPublic = comment.status === 'visible' && !comment.deletedAt;
    if (isPublic) {
      const parent = this.registry.types().includes(comment.subjectType)
        ? await this.registry.byType(comment.subjectType).provider.describe(comment.subjectId, manager)
        : null;
      isPublic = parent?.isPublic ?? false;
    }
    return { municipalityId: comment.municipalityId, isPublic, ownerId: comment.authorId };
  }

  /** An upheld flag on a comment removes it for good; the row stays for the record. */
  async hide(id: string, actorId: string, manager: EntityManager): Promise<void> {
    const comment = await manager.findOne(CommentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!comment || comment.status === 'removed') return;
    await manager.update(CommentEntity, { id }, { status: 'removed' });
    if (comment.status === 'visible' && !comment.deletedAt) {
      await this.outbox.record(
        manager,
        'engagement.comment_moderated',
        { commentId: id, subjectType: comment.subjectType, subjectId: comment.subjectId, municipalityId: comment.municipalityId, authorId: comment.authorId, shown: false },
        { aggregateType: COMMENT_SUBJECT_TYPE, aggregateId: id, municipalityId: comment.municipalityId, actorId },
      );
    }
    await this.audit.record(manager, {
      actorId,
      municipalityId: comment.municipalityId,
      action: 'comment.removed',
      targetType: COMMENT_SUBJECT_TYPE,
      targetId: id,
      before: { status: comment.status },
      after: { status: 'removed' },
    });
  }

  /**
   * Moderation decided (libs/engagement's own hook, as any library's): released or put back, the
   * comment shows — a released one is announced then (`engagement.comment_added`: live threads,
   * notifications), as if just written; hidden by flags pending review; rejected, removed. A shown
   * comment leaving view, or coming back, is announced (`engagement.comment_moderated`) for live threads.
   */
  async moderate(id: string, change: ModerationChange, manager: EntityManager): Promise<void> {
    const comment = await manager.findOne(CommentEntity, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!comment) return;
    const next: Record<ModerationChange['action'], { from: CommentStatus[]; to: CommentStatus }> = {
      release: { from: ['held', 'removed'], to: 'visible' },
      hide: { from: ['visible'], to: 'hidden' },
      unhide: { from: ['hidden', 'removed'], to: 'visible' },
      reject: { from: ['held', 'hidden', 'visible'], to: 'removed' },
    };
    const { from, to } = next[change.action];
    if (!from.includes(comment.status)) return;
    await manager.update(CommentEntity, { id }, { status: to });
    const wasShown = comment.status === 'visible';
    if (change.action !== 'release' && wasShown !== (to === 'visible') && !comment.deletedAt) {
      await this.outbox.record(
        manager,
        'engagement.comment_moderated',
        { commentId: id, subjectType: comment.subjectType, subjectId: comment.subjectId, municipalityId: comment.municipalityId, authorId: comment.authorId, shown: to === 'visible' },
        { aggregateType: COMMENT_SUBJECT_TYPE, aggregateId: id, municipalityId: comment.municipalityId, actorId: change.actorId },
      );
    }
    if (change.action === 'release' && !comment.deletedAt) {
      await this.outbox.record(
        manager,
        'engagement.comment_added',
        {
          commentId: id,
          subjectType: comment.subjectType,
          subjectId: comment.subjectId,
          municipalityId: comment.municipalityId,
          authorId: comment.authorId,
          inReplyToId: comment.inReplyToId,
        },
        // The author is the one who "adds" it, so they are not told of their own comment.
        { aggregateType: COMMENT_SUBJECT_TYPE, aggregateId: id, municipalityId: comment.municipalityId, actorId: comment.authorId },
      );
    }
  }

  /** The comments' texts (their first 500 characters) for the moderation queue. */
  async moderationPreviews(ids: string[], manager: EntityManager): Promise<Map<string, string>> {
    const rows = await manager.find(CommentEntity, { where: { id: In(ids) }, select: { id: true, body: true } });
    return new Map(rows.filter((r) => r.body !== '').map((r) => [r.id, Array.from(r.body).slice(0, 500).join('')]));
  }
}

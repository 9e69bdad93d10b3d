import { Injectable } from '@nestjs/common';
import { AuditService, ProvidesSubject, SubjectInfo, SubjectProvider } from '@app/common';
import { EntityManager } from 'typeorm';
import { CommentEntity } from '../comment.entity';
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
}

import { Injectable } from '@nestjs/common';
import { AuditService, ForbiddenError, OutboxService, TransactionService, UnauthenticatedError } from '@app/common';
import { AccessService, Actor, isOwner, UsersService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { CommentEntity } from '../comment.entity';
import { CommentVersionEntity, CommentVersionReason } from '../comment-version.entity';
import { CommentNotEditableError, CommentNotFoundError, NotCommentAuthorError } from '../engagement.errors';
import { COMMENT_SUBJECT_TYPE } from '../subjects/comment-subject.provider';
import { ModerationService } from '../moderation/moderation.service';
import { SubjectRegistry } from '../subjects/subject-registry';
import { COMMENT_VIEW_COLUMNS, CommentRow, CommentView, toCommentView } from './comment-views';
import { MODERATOR_ROLES, validBody } from './comments.service';

export interface CommentVersionView {
  body: string;
  writtenAt: Date;
  replacedAt: Date;
  reason: CommentVersionReason;
}

export interface CommentHistory {
  comment: CommentView;
  /** Moderators see who wrote it even once it is deleted (null after an erasure). */
  authorId: string | null;
  /** Oldest first; the current text is the comment's own. */
  versions: CommentVersionView[];
}

/**
 * Authors change their own comments: an edit keeps the replaced text, a deletion keeps the last
 * one (both in comment_versions, for the municipality's moderators), and both are audited and
 * announced (engagement.comment_edited / comment_deleted) so live threads follow.
 */
@Injectable()
export class CommentChangesService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly registry: SubjectRegistry,
    private readonly access: AccessService,
    private readonly users: UsersService,
    private readonly moderation: ModerationService,
  ) {}

  async edit(actor: Actor | undefined, commentId: string, body: string): Promise<CommentView> {
    if (!actor) throw new UnauthenticatedError();
    const text = validBody(body);
    await this.tx.run(async (manager) => {
      const comment = await this.lockOwn(manager, actor, commentId);
      if (comment.deletedAt) throw new CommentNotEditableError('deleted');
      if (comment.status !== 'visible') throw new CommentNotEditableError(comment.status);
      if (comment.body === text) return;
      const now = new Date();
      const versionId = await this.keepVersion(manager, comment, 'edited', now);
      await manager.update(CommentEntity, { id: commentId }, { body: text, editedAt: now });
      await this.record(manager, comment, actor, 'edited', { versionId }, { editedAt: now.toISOString() });
    });
    return this.view(commentId);
  }

  /** Idempotent: deleting a deleted comment changes nothing. */
  async delete(actor: Actor | undefined, commentId: string): Promise<void> {
    if (!actor) throw new UnauthenticatedError();
    await this.tx.run(async (manager) => {
      const comment = await this.lockOwn(manager, actor, commentId);
      if (comment.deletedAt) return;
      const now = new Date();
      const versionId = await this.keepVersion(manager, comment, 'deleted', now);
      await manager.update(CommentEntity, { id: commentId }, { body: '', deletedAt: now });
      // A held comment was never announced: its deletion is not either, and nothing is left to review.
      if (comment.status === 'held') await this.moderation.withdraw(manager, { type: COMMENT_SUBJECT_TYPE, id: commentId });
      await this.record(manager, comment, actor, 'deleted', { versionId }, { deletedAt: now.toISOString() }, comment.status !== 'held');
    });
  }

  /** The comment and every text it showed before, for the municipality's moderators only. */
  async history(actor: Actor | undefined, commentId: string): Promise<CommentHistory> {
    const comment = await this.tx.manager.findOne(CommentEntity, { where: { id: commentId }, select: { id: true, municipalityId: true, authorId: true } });
    if (!comment) throw new CommentNotFoundError();
    if (!(await this.access.hasRole(actor, comment.municipalityId, MODERATOR_ROLES))) {
      if (!actor) throw new UnauthenticatedError();
      const info = await this.registry.describe({ type: COMMENT_SUBJECT_TYPE, id: commentId });
      if (!info.isPublic && !isOwner(comment.authorId, actor.id)) throw new CommentNotFoundError();
      throw new ForbiddenError("Only the municipality's staff and admins see a comment's earlier texts");
    }
    const versions = await this.tx.manager.find(CommentVersionEntity, { where: { commentId }, order: { id: 'ASC' }, take: 500 });
    return {
      comment: await this.view(commentId),
      authorId: comment.authorId,
      versions: versions.map((v) => ({ body: v.body, writtenAt: v.writtenAt, replacedAt: v.replacedAt, reason: v.reason })),
    };
  }

  /**
   * The comment, locked, when the actor wrote it. Someone else gets 403 on a comment they can
   * see and 404 on one they cannot; an erased author (null) is nobody's.
   */
  private async lockOwn(manager: EntityManager, actor: Actor, commentId: string): Promise<CommentEntity> {
    const comment = await manager.findOne(CommentEntity, { where: { id: commentId }, lock: { mode: 'pessimistic_write' } });
    if (!comment) throw new CommentNotFoundError();
    if (isOwner(comment.authorId, actor.id)) return comment;
    const info = await this.registry.describe({ type: COMMENT_SUBJECT_TYPE, id: commentId }, manager);
    const seen = info.isPublic || (await this.access.hasRole(actor, comment.municipalityId, MODERATOR_ROLES, manager));
    throw seen ? new NotCommentAuthorError() : new CommentNotFoundError();
  }

  /**
   * Keeps the text being replaced; returns its row id, which the audit entry names instead of
   * repeating the text (so the text lives in one place, which erasure can reach).
   */
  private async keepVersion(manager: EntityManager, comment: CommentEntity, reason: CommentVersionReason, now: Date): Promise<string> {
    const inserted = await manager.insert(CommentVersionEntity, { commentId: comment.id, body: comment.body, writtenAt: comment.editedAt ?? comment.createdAt, replacedAt: now, reason });
    return String((inserted.identifiers[0] as { id: string | number }).id);
  }

  private async record(manager: EntityManager, comment: CommentEntity, actor: Actor, what: 'edited' | 'deleted', before: object, after: object, announce = true): Promise<void> {
    await this.audit.record(manager, {
      actorId: actor.id,
      municipalityId: comment.municipalityId,
      action: `comment.${what}`,
      targetType: COMMENT_SUBJECT_TYPE,
      targetId: comment.id,
      before,
      after,
    });
    if (!announce) return;
    await this.outbox.record(
      manager,
      what === 'edited' ? 'engagement.comment_edited' : 'engagement.comment_deleted',
      { commentId: comment.id, subjectType: comment.subjectType, subjectId: comment.subjectId, municipalityId: comment.municipalityId, authorId: actor.id },
      { aggregateType: COMMENT_SUBJECT_TYPE, aggregateId: comment.id, municipalityId: comment.municipalityId, actorId: actor.id },
    );
  }

  private async view(commentId: string): Promise<CommentView> {
    const [row] = (await this.tx.manager.query(`SELECT ${COMMENT_VIEW_COLUMNS} FROM comments c WHERE c.id = $1`, [commentId])) as CommentRow[];
    const authors = await this.users.summaries(row.author_id ? [row.author_id] : []);
    return toCommentView(row, authors);
  }
}

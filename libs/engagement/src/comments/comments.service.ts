import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { FieldError, OutboxService, Page, TransactionService, UnauthenticatedError, ValidationError } from '@app/common';
import { AccessService, Actor, isOwner, UsersService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { CommentEntity } from '../comment.entity';
import { InvalidReplyError, SubjectNotFoundError } from '../engagement.errors';
import { FollowEntity } from '../follow.entity';
import { cursorAtSql, decodeTimeCursor, encodeTimeCursor, NO_CONTROL_CHARACTERS_EXCEPT_LINES, PageRequest, pageSize } from '../keyset';
import { COMMENT_SUBJECT_TYPE } from '../subjects/comment-subject.provider';
import { ModerationService } from '../moderation/moderation.service';
import { MODERATOR_ROLES } from '../moderation/moderator-roles';
import { SubjectRef, SubjectRegistry } from '../subjects/subject-registry';
import { COMMENT_VIEW_COLUMNS, CommentRow, CommentView, PUBLIC_COMMENT_SQL, toCommentView } from './comment-views';

export type { CommentAuthor, CommentView } from './comment-views';

export const COMMENT_MAX_LENGTH = 2000;

export { MODERATOR_ROLES };

/**
 * Public comments on any subject. Comments are public text: the author shows by display name,
 * never by email. Commenting follows the subject. Moderators (the municipality's staff and admins) also see what moderation took
 * out of view.
 */
@Injectable()
export class CommentsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly registry: SubjectRegistry,
    private readonly access: AccessService,
    private readonly users: UsersService,
    private readonly moderation: ModerationService,
  ) {}

  /**
   * The town's pre-moderation rules apply (ModerationService.screen): a held comment is shown to
   * its author (`awaitingReview`) and the town's staff only, and announced
   * (`engagement.comment_added`: live, notifications) when staff release it.
   * `inReplyToId` answers a visible comment of the same thread; its author hears of it (the
   * reply rule, see comment-reply.rule.ts).
   */
  async add(actor: Actor | undefined, subject: SubjectRef, body: string, options: { inReplyToId?: string } = {}): Promise<CommentView> {
    if (!actor) throw new UnauthenticatedError();
    const text = validBody(body);
    // Comments are not subjects of comments: a conversation hangs on what it is about, and a
    // reply is a comment on that same subject naming the comment it answers.
    if (subject.type === COMMENT_SUBJECT_TYPE) throw new SubjectNotFoundError();
    const inReplyToId = options.inReplyToId ?? null;
    const comment = await this.tx.run(async (manager) => {
      const info = await this.registry.describePublic(subject, manager);
      if (inReplyToId) await this.assertAnswerable(manager, subject, inReplyToId);
      const id = randomUUID();
      const screened = await this.moderation.screen(manager, {
        municipalityId: info.municipalityId,
        authorId: actor.id,
        subjectType: COMMENT_SUBJECT_TYPE,
        subjectId: id,
        text,
      });
      const status = screened.held ? 'held' : 'visible';
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(CommentEntity)
        .values({ id, subjectType: subject.type, subjectId: subject.id, municipalityId: info.municipalityId, authorId: actor.id, body: text, inReplyToId, status })
        .returning(['id', 'created_at'])
        .execute();
      const [raw] = inserted.raw as Array<{ id: string; created_at: Date }>;
      const row = { id: raw.id, createdAt: raw.created_at, status } as const;
      // Taking part in a conversation is asking to hear how it goes on; unfollowing stays possible.
      await manager
        .createQueryBuilder()
        .insert()
        .into(FollowEntity)
        .values({ subjectType: subject.type, subjectId: subject.id, userId: actor.id })
        .orIgnore()
        .execute();
      // A held comment is announced when released (CommentSubjectProvider.moderate).
      if (status === 'visible') {
        await this.outbox.record(
          manager,
          'engagement.comment_added',
          { commentId: row.id, subjectType: subject.type, subjectId: subject.id, municipalityId: info.municipalityId, authorId: actor.id, inReplyToId },
          { aggregateType: COMMENT_SUBJECT_TYPE, aggregateId: row.id, municipalityId: info.municipalityId, actorId: actor.id },
        );
      }
      return row;
    });
    const names = await this.users.displayNames([actor.id]);
    return {
      id: comment.id,
      subjectType: subject.type,
      subjectId: subject.id,
      inReplyToId,
      body: text,
      status: comment.status,
      awaitingReview: comment.status === 'held',
      author: names.has(actor.id) ? { id: actor.id, displayName: names.get(actor.id)! } : null,
      editedAt: null,
      deletedAt: null,
      createdAt: comment.createdAt,
    };
  }

  /** A reply answers a comment of the same thread that is still shown (not hidden, not deleted). */
  private async assertAnswerable(manager: EntityManager, subject: SubjectRef, inReplyToId: string): Promise<void> {
    const parent = await manager.findOne(CommentEntity, {
      where: { id: inReplyToId },
      select: { id: true, subjectType: true, subjectId: true, status: true, deletedAt: true },
    });
    if (!parent || parent.subjectType !== subject.type || parent.subjectId !== subject.id) throw new InvalidReplyError('inReplyToId must be a comment of this same thread');
    if (parent.status !== 'visible' || parent.deletedAt) throw new InvalidReplyError('The comment answered is no longer shown');
  }

  /** Who wrote a comment (null: unknown, or the author erased their account), for the notification rules. */
  async authorOf(commentId: string, manager: EntityManager = this.tx.manager): Promise<string | null> {
    const found = await manager.findOne(CommentEntity, { where: { id: commentId }, select: { id: true, authorId: true } });
    return found?.authorId ?? null;
  }

  /**
   * One comment as the public sees it in its thread (a deleted one as its placeholder), or null
   * when the public does not see it: for live updates of the subject's topic.
   */
  async publicView(commentId: string, manager: EntityManager = this.tx.manager): Promise<CommentView | null> {
    const [row] = (await manager.query(`SELECT ${COMMENT_VIEW_COLUMNS} FROM comments c WHERE c.id = $1 AND ${PUBLIC_COMMENT_SQL}`, [commentId])) as CommentRow[];
    if (!row) return null;
    const authors = await this.users.summaries(row.author_id ? [row.author_id] : [], manager);
    // As the list shows it: the subject's owner who chose not to be named on it stays unnamed.
    const info = await this.registry.providerOf(row.subject_type)?.describe(row.subject_id, manager);
    return toCommentView(row, authors, info?.ownerNameHidden === true && isOwner(info.ownerId, row.author_id));
  }

  /**
   * Oldest first, keyset on (created_at, id). The public sees visible comments on public
   * subjects, and each signed-in person their own comments awaiting review (held, or hidden by
   * flags: `awaitingReview`); the municipality's moderators see every comment, with its status. Authors show by
   * name, except the subject's owner when they chose not to be named on it (moderators see all).
   */
  async list(subject: SubjectRef, page: PageRequest = {}, viewer?: Actor): Promise<Page<CommentView>> {
    if (subject.type === COMMENT_SUBJECT_TYPE) throw new SubjectNotFoundError();
    const limit = pageSize(page.limit);
    const info = await this.registry.describe(subject);
    const moderator = await this.access.hasRole(viewer, info.municipalityId, MODERATOR_ROLES);
    if (!info.isPublic && !moderator) throw new SubjectNotFoundError();

    const params: unknown[] = [subject.type, subject.id];
    const where = ['c.subject_type = $1', 'c.subject_id = $2'];
    // Moderators see every comment, deleted ones as placeholders too (their texts: /versions).
    if (!moderator && viewer) {
      params.push(viewer.id);
      where.push(`(${PUBLIC_COMMENT_SQL} OR (c.author_id = $${params.length} AND c.status IN ('held', 'hidden') AND c.deleted_at IS NULL))`);
    } else if (!moderator) where.push(PUBLIC_COMMENT_SQL);
    if (page.cursor) {
      const key = decodeTimeCursor(page.cursor);
      params.push(key.at, key.id);
      where.push(`(c.created_at, c.id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: Array<CommentRow & { cursor_at: string }> = await this.tx.manager.query(
      `SELECT ${COMMENT_VIEW_COLUMNS}, ${cursorAtSql('c.created_at')} AS cursor_at
       FROM comments c WHERE ${where.join(' AND ')}
       ORDER BY c.created_at, c.id LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit);
    const authors = await this.users.summaries(items.flatMap((r) => (r.author_id ? [r.author_id] : [])));
    const last = items[items.length - 1];
    return {
      // The subject's owner who chose not to be named on it stays unnamed in its conversation too.
      items: items.map((r) =>
        toCommentView(r, authors, !moderator && info.ownerNameHidden === true && isOwner(info.ownerId, r.author_id)),
      ),
      nextCursor: rows.length > limit ? encodeTimeCursor({ at: last.cursor_at, id: last.id }) : null,
    };
  }
}

/** The DTO checks the same; services are also called by other libraries, so they check again. */
export function validBody(body: string): string {
  const text = typeof body === 'string' ? body.trim() : '';
  const length = Array.from(text).length;
  const problems: FieldError[] = [];
  if (length < 1) problems.push({ field: 'body', code: 'IS_NOT_EMPTY', message: 'body must not be empty' });
  if (length > COMMENT_MAX_LENGTH) {
    problems.push({ field: 'body', code: 'MAX_LENGTH', message: `body must be at most ${COMMENT_MAX_LENGTH} characters`, params: { max: COMMENT_MAX_LENGTH } });
  }
  if (!NO_CONTROL_CHARACTERS_EXCEPT_LINES.test(text)) problems.push({ field: 'body', code: 'CONTROL_CHARACTERS', message: 'body must not contain control characters' });
  if (problems.length > 0) throw new ValidationError('Invalid body', problems);
  return text;
}

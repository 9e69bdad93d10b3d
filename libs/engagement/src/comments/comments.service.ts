import { Injectable } from '@nestjs/common';
import { FieldError, OutboxService, Page, TransactionService, UnauthenticatedError, ValidationError } from '@app/common';
import { AccessService, Actor, UsersService } from '@app/identity';
import { CommentEntity, CommentStatus } from '../comment.entity';
import { SubjectNotFoundError } from '../engagement.errors';
import { FollowEntity } from '../follow.entity';
import { cursorAtSql, decodeTimeCursor, encodeTimeCursor, NO_CONTROL_CHARACTERS_EXCEPT_LINES, PageRequest, pageSize } from '../keyset';
import { COMMENT_SUBJECT_TYPE } from '../subjects/comment-subject.provider';
import { SubjectRef, SubjectRegistry } from '../subjects/subject-registry';

export const COMMENT_MAX_LENGTH = 2000;

export interface CommentAuthor {
  id: string;
  displayName: string;
}

export interface CommentView {
  id: string;
  subjectType: string;
  subjectId: string;
  body: string;
  status: CommentStatus;
  /** Null when the author erased their account. */
  author: CommentAuthor | null;
  createdAt: Date;
}

interface CommentRow {
  id: string;
  subject_type: string;
  subject_id: string;
  author_id: string | null;
  body: string;
  status: CommentStatus;
  created_at: Date;
  cursor_at: string;
}

/** Roles that moderate a municipality's public conversation. */
export const MODERATOR_ROLES = ['staff', 'admin'] as const;

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
  ) {}

  async add(actor: Actor | undefined, subject: SubjectRef, body: string): Promise<CommentView> {
    if (!actor) throw new UnauthenticatedError();
    const text = validBody(body);
    // Comments do not nest: a conversation hangs on what it is about.
    if (subject.type === COMMENT_SUBJECT_TYPE) throw new SubjectNotFoundError();
    const comment = await this.tx.run(async (manager) => {
      const info = await this.registry.describePublic(subject, manager);
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(CommentEntity)
        .values({ subjectType: subject.type, subjectId: subject.id, municipalityId: info.municipalityId, authorId: actor.id, body: text })
        .returning(['id', 'created_at'])
        .execute();
      const [raw] = inserted.raw as Array<{ id: string; created_at: Date }>;
      const row = { id: raw.id, createdAt: raw.created_at };
      // Taking part in a conversation is asking to hear how it goes on; unfollowing stays possible.
      await manager
        .createQueryBuilder()
        .insert()
        .into(FollowEntity)
        .values({ subjectType: subject.type, subjectId: subject.id, userId: actor.id })
        .orIgnore()
        .execute();
      await this.outbox.record(
        manager,
        'engagement.comment_added',
        { commentId: row.id, subjectType: subject.type, subjectId: subject.id, municipalityId: info.municipalityId, authorId: actor.id },
        { aggregateType: COMMENT_SUBJECT_TYPE, aggregateId: row.id, municipalityId: info.municipalityId, actorId: actor.id },
      );
      return row;
    });
    const names = await this.users.displayNames([actor.id]);
    return {
      id: comment.id,
      subjectType: subject.type,
      subjectId: subject.id,
      body: text,
      status: 'visible',
      author: names.has(actor.id) ? { id: actor.id, displayName: names.get(actor.id)! } : null,
      createdAt: comment.createdAt,
    };
  }

  /**
   * Oldest first, keyset on (created_at, id). The public sees visible comments on public
   * subjects; the municipality's moderators see every comment, with its status.
   */
  async list(subject: SubjectRef, page: PageRequest = {}, viewer?: Actor): Promise<Page<CommentView>> {
    if (subject.type === COMMENT_SUBJECT_TYPE) throw new SubjectNotFoundError();
    const limit = pageSize(page.limit);
    const info = await this.registry.describe(subject);
    const moderator = await this.access.hasRole(viewer, info.municipalityId, MODERATOR_ROLES);
    if (!info.isPublic && !moderator) throw new SubjectNotFoundError();

    const params: unknown[] = [subject.type, subject.id];
    const where = ['subject_type = $1', 'subject_id = $2'];
    if (!moderator) where.push(`status = 'visible'`);
    if (page.cursor) {
      const key = decodeTimeCursor(page.cursor);
      params.push(key.at, key.id);
      where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(limit + 1);
    const rows: CommentRow[] = await this.tx.manager.query(
      `SELECT id, subject_type, subject_id, author_id, body, status, created_at, ${cursorAtSql('created_at')} AS cursor_at
       FROM comments WHERE ${where.join(' AND ')}
       ORDER BY created_at, id LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit);
    const authors = await this.users.summaries(items.flatMap((r) => (r.author_id ? [r.author_id] : [])));
    const last = items[items.length - 1];
    return {
      items: items.map((r) => {
        const author = r.author_id ? authors.get(r.author_id) : undefined;
        return {
          id: r.id,
          subjectType: r.subject_type,
          subjectId: r.subject_id,
          body: r.body,
          status: r.status,
          author: author && !author.erased ? { id: author.id, displayName: author.displayName } : null,
          createdAt: r.created_at,
        };
      }),
      nextCursor: rows.length > limit ? encodeTimeCursor({ at: last.cursor_at, id: last.id }) : null,
    };
  }
}

/** The DTO checks the same; services are also called by other libraries, so they check again. */
function validBody(body: string): string {
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

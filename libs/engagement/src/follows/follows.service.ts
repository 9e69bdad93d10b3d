import { Injectable } from '@nestjs/common';
import { Page, preparedQuery, TransactionService, WriteStatement } from '@app/common';
import { isOwner } from '@app/identity';
import { EntityManager } from 'typeorm';
import { SubjectNotFoundError } from '../engagement.errors';
import { FollowEntity } from '../follow.entity';
import { cursorAtSql, decodeTimeCursor, encodeTimeCursor, PageRequest, pageSize } from '../keyset';
import { SubjectRef, SubjectRegistry } from '../subjects/subject-registry';
import { COMMENT_SUBJECT_TYPE } from '../subjects/comment-subject.provider';

export interface FollowView {
  subjectType: string;
  /** The URL segment of the subject's collection; null if its library is no longer installed. */
  collection: string | null;
  subjectId: string;
  createdAt: Date;
}

interface FollowRow {
  subject_type: string;
  subject_id: string;
  created_at: Date;
  cursor_at: string;
}

/**
 * Who wants to hear about a subject. Other libraries call this inside their own transaction
 * (a reporter follows their report, a supporter the report they support), so every method takes
 * the caller's EntityManager when it has one.
 */
@Injectable()
export class FollowsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly registry: SubjectRegistry,
  ) {}

  /**
   * Idempotent. The subject must exist and be public, or be the person's own (a reporter follows
   * their report before anyone else may see it).
   */
  async follow(userId: string, subject: SubjectRef, manager?: EntityManager): Promise<void> {
    const m = manager ?? this.tx.manager;
    await this.requireFollowable(userId, subject, m);
    await m
      .createQueryBuilder()
      .insert()
      .into(FollowEntity)
      .values({ subjectType: subject.type, subjectId: subject.id, userId })
      .orIgnore()
      .execute();
  }

  /**
   * For the library that owns the subject, in the statement that creates it (a reporter follows
   * the report being filed): no existence check, since the subject is being written beside it.
   */
  followIn(statement: WriteStatement, userId: string, subject: SubjectRef): void {
    this.registry.byType(subject.type);
    statement.with(
      statement.uniqueName('follow'),
      `INSERT INTO follows (subject_type, subject_id, user_id)
       SELECT ${statement.param(subject.type, 'text')}, ${statement.param(subject.id, 'uuid')}, ${statement.param(userId, 'uuid')}
       WHERE ${statement.guard}
       ON CONFLICT DO NOTHING`,
    );
  }

  /** Idempotent; works on a subject that no longer exists, so nobody stays stuck following it. */
  async unfollow(userId: string, subject: SubjectRef, manager?: EntityManager): Promise<void> {
    this.registry.byType(subject.type);
    await (manager ?? this.tx.manager).delete(FollowEntity, { subjectType: subject.type, subjectId: subject.id, userId });
  }

  async isFollowing(userId: string, subject: SubjectRef, manager?: EntityManager): Promise<boolean> {
    return (manager ?? this.tx.manager).exists(FollowEntity, { where: { subjectType: subject.type, subjectId: subject.id, userId } });
  }

  /** Everyone following the subject, earliest first (what notifications fan out to). */
  async followerIds(subject: SubjectRef, manager?: EntityManager): Promise<string[]> {
    // Prepared: the notification rules ask once per event.
    const rows = await preparedQuery<{ user_id: string }>(
      manager ?? this.tx.manager,
      `SELECT user_id FROM follows WHERE subject_type = $1 AND subject_id = $2 ORDER BY created_at, user_id`,
      [subject.type, subject.id],
    );
    return rows.map((r) => r.user_id);
  }

  /**
   * The followers of several subjects of one type at once (one statement for a batch of events),
   * by subject id, each list in `followerIds`' order; a subject nobody follows maps to [].
   */
  async followerIdsMany(type: SubjectRef['type'], ids: readonly string[], manager?: EntityManager): Promise<Map<string, string[]>> {
    const out = new Map<string, string[]>(ids.map((id) => [id, []]));
    if (ids.length === 0) return out;
    const rows = await preparedQuery<{ subject_id: string; user_id: string }>(
      manager ?? this.tx.manager,
      `SELECT subject_id, user_id FROM follows WHERE subject_type = $1 AND subject_id = ANY($2::uuid[]) ORDER BY created_at, user_id`,
      [type, [...new Set(ids)]],
    );
    for (const row of rows) out.get(row.subject_id)?.push(row.user_id);
    return out;
  }

  /** What a person follows, most recent first. */
  async listForUser(userId: string, page: PageRequest = {}): Promise<Page<FollowView>> {
    const limit = pageSize(page.limit);
    const params: unknown[] = [userId];
    let after = '';
    if (page.cursor) {
      const key = decodeTimeCursor(page.cursor);
      // The id half of the key is the subject id: a person follows a subject once, and two
      // subjects of different types share an id only by a one-in-2^122 chance.
      params.push(key.at, key.id);
      after = `AND (created_at, subject_id) < ($2::timestamptz, $3::uuid)`;
    }
    params.push(limit + 1);
    const rows: FollowRow[] = await this.tx.manager.query(
      `SELECT subject_type, subject_id, created_at, ${cursorAtSql('created_at')} AS cursor_at
       FROM follows WHERE user_id = $1 ${after}
       ORDER BY created_at DESC, subject_id DESC LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({
        subjectType: r.subject_type,
        collection: this.registry.collectionOf(r.subject_type),
        subjectId: r.subject_id,
        createdAt: r.created_at,
      })),
      nextCursor: rows.length > limit ? encodeTimeCursor({ at: last.cursor_at, id: last.subject_id }) : null,
    };
  }

  private async requireFollowable(userId: string, subject: SubjectRef, manager: EntityManager): Promise<void> {
    // Comments are followed through what they are about, not one by one.
    if (subject.type === COMMENT_SUBJECT_TYPE) throw new SubjectNotFoundError();
    const info = await this.registry.describe(subject, manager);
    if (!info.isPublic && !isOwner(info.ownerId, userId)) throw new SubjectNotFoundError();
  }
}

import type { UserSummary } from '@app/identity';
import type { CommentStatus } from '../comment.entity';

export interface CommentAuthor {
  id: string;
  displayName: string;
}

export interface CommentView {
  id: string;
  subjectType: string;
  subjectId: string;
  /** The comment this one answers (same subject), or null. */
  inReplyToId: string | null;
  /** Null once its author deleted it (a placeholder kept while replies to it are shown). */
  body: string | null;
  status: CommentStatus;
  /**
   * Held by the town's pre-moderation rules, or hidden by flags, and not decided yet: shown only
   * to its author and the town's staff.
   */
  awaitingReview: boolean;
  /** Null when the author erased their account, or deleted the comment. */
  author: CommentAuthor | null;
  /** Set when its author changed the text ("edited"); moderators can read the earlier texts. */
  editedAt: Date | null;
  deletedAt: Date | null;
  createdAt: Date;
}

/** The columns every comment view is read from (alias `c`). */
export const COMMENT_VIEW_COLUMNS = `c.id, c.subject_type, c.subject_id, c.in_reply_to_id, c.author_id, c.body, c.status, c.edited_at, c.deleted_at, c.created_at`;

export interface CommentRow {
  id: string;
  subject_type: string;
  subject_id: string;
  in_reply_to_id: string | null;
  author_id: string | null;
  body: string;
  status: CommentStatus;
  edited_at: Date | null;
  deleted_at: Date | null;
  created_at: Date;
}

/**
 * What the public reads of a thread: visible comments, and deleted ones only as placeholders
 * while a visible reply to them is shown (so the reply still says what it answers).
 */
export const PUBLIC_COMMENT_SQL = `c.status = 'visible' AND (c.deleted_at IS NULL OR EXISTS (
  SELECT 1 FROM comments reply WHERE reply.in_reply_to_id = c.id AND reply.status = 'visible' AND reply.deleted_at IS NULL))`;

/** `unnamed`: the author is shown as nobody (the subject's owner who chose not to be named on it). */
export function toCommentView(r: CommentRow, authors: Map<string, UserSummary>, unnamed = false): CommentView {
  const deleted = r.deleted_at !== null;
  const author = !deleted && !unnamed && r.author_id ? authors.get(r.author_id) : undefined;
  return {
    id: r.id,
    subjectType: r.subject_type,
    subjectId: r.subject_id,
    inReplyToId: r.in_reply_to_id,
    body: deleted ? null : r.body,
    status: r.status,
    awaitingReview: !deleted && (r.status === 'held' || r.status === 'hidden'),
    author: author && !author.erased ? { id: author.id, displayName: author.displayName } : null,
    editedAt: r.edited_at,
    deletedAt: r.deleted_at,
    createdAt: r.created_at,
  };
}

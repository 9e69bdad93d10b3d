import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type CommentVersionReason = 'edited' | 'deleted';

/**
 * A text a comment no longer shows: the one its author replaced by an edit, or the last one before
 * they deleted it. Moderators read them (GET /api/v1/comments/:id/versions); nobody else does.
 */
@Entity('comment_versions')
@Index('comment_versions_comment_idx', ['commentId', 'id'])
export class CommentVersionEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  commentId: string;

  @Column({ type: 'text' })
  body: string;

  /** Since when the comment showed this text (its creation, or the edit that wrote it). */
  @Column({ type: 'timestamptz' })
  writtenAt: Date;

  /** When it stopped showing it. */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  replacedAt: Date;

  @Column({ type: 'text' })
  reason: CommentVersionReason;
}

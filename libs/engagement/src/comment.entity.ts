import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type CommentStatus = 'visible' | 'held' | 'hidden' | 'removed';

/** A comment on anything citizens discuss: a report, a proposal, a workshop. */
@Entity('comments')
@Index('comments_subject_idx', ['subjectType', 'subjectId', 'createdAt', 'id'])
@Index('comments_author_idx', ['authorId'])
// "Does this deleted comment still have replies?" and the reply rule's parent lookups.
@Index('comments_reply_idx', ['inReplyToId'], { where: 'in_reply_to_id IS NOT NULL' })
export class CommentEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  subjectType: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  /** Null once the author erased their account; the comment stays, anonymised. */
  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  /**
   * The comment this one answers, on the same subject (threads are one list, each reply naming
   * what it answers). Null for a comment on the subject itself.
   */
  @Column({ type: 'uuid', nullable: true })
  inReplyToId: string | null;

  /** Empty once its author deleted it (the last text is kept in comment_versions for staff). */
  @Column({ type: 'text' })
  body: string;

  /** When its author last changed the text; the earlier texts are in comment_versions. */
  @Column({ type: 'timestamptz', nullable: true })
  editedAt: Date | null;

  /**
   * When its author deleted it: it leaves the thread, or stays as a "deleted" placeholder while
   * replies to it are shown. Independent of moderation's `status`.
   */
  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  /**
   * held: by the town's pre-moderation rules, never shown yet; hidden: by flags, pending review;
   * removed: by moderation, final (unless staff put it back).
   */
  @Column({ type: 'text', default: 'visible' })
  status: CommentStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type CommentStatus = 'visible' | 'hidden' | 'removed';

/** A comment on anything citizens discuss: a report, a proposal, a workshop. */
@Entity('comments')
@Index('comments_subject_idx', ['subjectType', 'subjectId', 'createdAt', 'id'])
@Index('comments_author_idx', ['authorId'])
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

  @Column({ type: 'text' })
  body: string;

  /** hidden: by moderation, pending review; removed: by moderation, final. */
  @Column({ type: 'text', default: 'visible' })
  status: CommentStatus;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

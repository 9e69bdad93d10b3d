import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** Someone who wants to hear about a subject (a reporter, a supporter, a participant). */
@Entity('follows')
@Index('follows_user_idx', ['userId'])
export class FollowEntity {
  @PrimaryColumn({ type: 'text' })
  subjectType: string;

  @PrimaryColumn({ type: 'uuid' })
  subjectId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

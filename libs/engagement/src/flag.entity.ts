import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const FLAG_REASONS = ['spam', 'abusive', 'personal_data', 'off_topic', 'other'] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];
export type FlagStatus = 'open' | 'upheld' | 'dismissed';

/** A signed-in person's report of abusive content, for the municipality's moderators. */
@Entity('flags')
@Index('flags_subject_reporter_key', ['subjectType', 'subjectId', 'reporterId'], { unique: true })
@Index('flags_queue_idx', ['municipalityId', 'status', 'createdAt'])
export class FlagEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  subjectType: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'uuid', nullable: true })
  reporterId: string | null;

  @Column({ type: 'text' })
  reason: FlagReason;

  @Column({ type: 'text', nullable: true })
  note: string | null;

  @Column({ type: 'text', default: 'open' })
  status: FlagStatus;

  @Column({ type: 'uuid', nullable: true })
  resolvedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** Why content is on the moderation queue. */
export const HOLD_REASONS = ['new_account', 'word_list', 'everything'] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];
export const MODERATION_REASONS = [...HOLD_REASONS, 'flags'] as const;
export type ModerationReason = (typeof MODERATION_REASONS)[number];

/** held: stopped before anyone saw it (pre-moderation); flagged: hidden once flags reached the threshold. */
export const MODERATION_KINDS = ['held', 'flagged'] as const;
export type ModerationKind = (typeof MODERATION_KINDS)[number];

/** reinstated: rejected, then put back by staff (unhide); withdrawn: its author took it back before a decision. */
export const MODERATION_STATUSES = ['pending', 'approved', 'rejected', 'reinstated', 'withdrawn'] as const;
export type ModerationStatus = (typeof MODERATION_STATUSES)[number];

/** A municipality's moderation rules; a town without a row has the defaults. */
@Entity('moderation_settings')
export class ModerationSettingsEntity {
  @PrimaryColumn({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'int', default: 3 })
  flagThreshold: number;

  @Column({ type: 'int', default: 0 })
  holdFirstContributions: number;

  @Column({ type: 'boolean', default: false })
  holdAll: boolean;

  @Column({ type: 'text', array: true, default: () => `'{}'` })
  heldWords: string[];

  @Column({ type: 'uuid', nullable: true })
  updatedById: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** How many contributions a person made in a town (screened ones), for "hold the first N". */
@Entity('moderation_contributors')
@Index('moderation_contributors_user_idx', ['userId'])
export class ModerationContributorEntity {
  @PrimaryColumn({ type: 'uuid' })
  municipalityId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'int', default: 0 })
  contributions: number;
}

/** One review of one subject: content held before publication, or hidden by flags. */
@Entity('moderation_items')
@Index('moderation_items_pending_key', ['subjectType', 'subjectId'], { unique: true, where: `status = 'pending'` })
@Index('moderation_items_queue_idx', ['municipalityId', 'status', 'createdAt', 'id'])
@Index('moderation_items_kind_idx', ['municipalityId', 'status', 'kind', 'createdAt', 'id'])
@Index('moderation_items_reason_idx', ['municipalityId', 'status', 'reason', 'createdAt', 'id'])
@Index('moderation_items_subject_idx', ['subjectType', 'subjectId', 'createdAt'])
@Index('moderation_items_author_idx', ['authorId'], { where: 'author_id IS NOT NULL' })
export class ModerationItemEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  subjectType: string;

  @Column({ type: 'uuid' })
  subjectId: string;

  /** Who wrote the content (told of the decision); null once they erased their account. */
  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  @Column({ type: 'text' })
  kind: ModerationKind;

  @Column({ type: 'text' })
  reason: ModerationReason;

  /** The list's entries found in the text (reason word_list, or alongside another reason). */
  @Column({ type: 'text', array: true, default: () => `'{}'` })
  matchedWords: string[];

  @Column({ type: 'text', default: 'pending' })
  status: ModerationStatus;

  /** What the moderator told the author. */
  @Column({ type: 'text', nullable: true })
  decisionReason: string | null;

  @Column({ type: 'uuid', nullable: true })
  decidedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  decidedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { ProposalLanguage, ProposalStatus } from './lifecycle/proposal-lifecycle';

/**
 * A citizen proposal. The list, search, trigram and spatial indexes are partial or GIN/GiST and
 * created by the migration (migrations/1765000000000-Proposals.ts), so marked synchronize:false.
 */
@Entity('proposals')
@Index('proposals_newest_idx', { synchronize: false })
@Index('proposals_supported_idx', { synchronize: false })
@Index('proposals_commented_idx', { synchronize: false })
@Index('proposals_shuffle_idx', { synchronize: false })
@Index('proposals_author_idx', { synchronize: false })
@Index('proposals_search_idx', { synchronize: false })
@Index('proposals_title_trgm_idx', { synchronize: false })
@Index('proposals_location_idx', { synchronize: false })
@Index('proposals_answer_due_idx', { synchronize: false })
@Index('proposals_report_idx', { synchronize: false })
@Index('proposals_held_idx', { synchronize: false })
export class ProposalEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  /** Null once the author erased their account. */
  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  @Column({ type: 'uuid' })
  topicId: string;

  @Column({ type: 'text' })
  title: string;

  /** The Markdown as written. */
  @Column({ type: 'text' })
  body: string;

  /** The body rendered and sanitized (content/markdown.ts): the only HTML ever served. */
  @Column({ type: 'text' })
  bodyHtml: string;

  /** Chooses the stemmer of the search vector. */
  @Column({ type: 'text' })
  language: ProposalLanguage;

  @Column({ type: 'text', default: 'draft' })
  status: ProposalStatus;

  /** The public state moderation hid it from, so unhiding puts it back there. */
  @Column({ type: 'text', nullable: true })
  hiddenFrom: ProposalStatus | null;

  /** Why moderation refused held content (told to the author). */
  @Column({ type: 'text', nullable: true })
  moderationNote: string | null;

  @Column({ type: 'text', nullable: true })
  withdrawnReason: string | null;

  @Column({ type: 'double precision', nullable: true })
  lat: number | null;

  @Column({ type: 'double precision', nullable: true })
  lng: number | null;

  /** point(lng, lat), kept by the service; GiST-indexed. */
  @Column({ type: 'point', nullable: true, select: false })
  location: string | null;

  @Column({ type: 'uuid', nullable: true })
  districtId: string | null;

  @Column({ type: 'int', default: 0 })
  supportCount: number;

  @Column({ type: 'int', default: 0 })
  commentCount: number;

  /** A random number fixed at creation; the `random` sort rotates this permutation (see the migration). */
  @Column({ type: 'int', insert: false, update: false })
  shuffle: number;

  @Column({ type: 'uuid', nullable: true })
  promotedFromReportId: string | null;

  /** The workshop board note its author made into this proposal (one proposal per note). */
  @Column({ type: 'uuid', nullable: true })
  fromWorkshopIdeaId: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  /** End of the support period. */
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  thresholdReachedAt: Date | null;

  /** When the town's answer is due (working calendar), once the threshold is reached. */
  @Column({ type: 'timestamptz', nullable: true })
  answerDueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  answeredAt: Date | null;

  /** Set when the answer deadline passed unanswered (the deadline job): the staff queue shows it. */
  @Column({ type: 'timestamptz', nullable: true })
  answerOverdueAt: Date | null;

  /** Editing stops at the first support. */
  @Column({ type: 'timestamptz', nullable: true })
  firstSupportedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A municipality's proposal topics, managed by its admin. */
@Entity('proposal_topics')
@Index('proposal_topics_municipality_code_key', ['municipalityId', 'code'], { unique: true })
export class ProposalTopicEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  nameFr: string;

  @Column({ type: 'text' })
  nameEn: string;

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

/** A municipality's participation settings; a town without a row has the defaults. */
@Entity('proposal_settings')
export class ProposalSettingsEntity {
  @PrimaryColumn({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'boolean', default: true })
  residencyRequired: boolean;

  @Column({ type: 'int', default: 100 })
  supportThreshold: number;

  @Column({ type: 'int', default: 90 })
  supportPeriodDays: number;

  /** Working days (the municipality's calendar) the town has to answer once the threshold is reached. */
  @Column({ type: 'int', default: 30 })
  answerDeadlineDays: number;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** Someone the author invited to co-sign; shown once they accept. */
@Entity('proposal_coauthors')
@Index('proposal_coauthors_user_idx', ['userId'])
export class ProposalCoauthorEntity {
  @PrimaryColumn({ type: 'uuid' })
  proposalId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'timestamptz', nullable: true })
  acceptedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  invitedAt: Date;
}

/** One support per (proposal, person): the primary key is what makes the count exact. */
@Entity('proposal_supports')
@Index('proposal_supports_user_idx', ['userId', 'proposalId'])
export class ProposalSupportEntity {
  @PrimaryColumn({ type: 'uuid' })
  proposalId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

export type AnswerStatus = 'evaluating' | 'accepted' | 'rejected';
export const ANSWER_STATUSES: readonly AnswerStatus[] = ['evaluating', 'accepted', 'rejected'];

/** The town's official answer: drafted by staff, public once published. */
@Entity('proposal_answers')
export class ProposalAnswerEntity {
  @PrimaryColumn({ type: 'uuid' })
  proposalId: string;

  @Column({ type: 'text' })
  status: AnswerStatus;

  @Column({ type: 'text' })
  body: string;

  @Column({ type: 'text' })
  bodyHtml: string;

  @Column({ type: 'bigint', nullable: true })
  estimatedCost: string | null;

  @Column({ type: 'text', nullable: true })
  timeline: string | null;

  @Column({ type: 'uuid', nullable: true })
  draftedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  publishedAt: Date | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

export const PROPOSAL_ENTITIES = [ProposalEntity, ProposalTopicEntity, ProposalSettingsEntity, ProposalCoauthorEntity, ProposalSupportEntity, ProposalAnswerEntity];

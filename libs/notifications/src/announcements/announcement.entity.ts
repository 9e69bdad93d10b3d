import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const ANNOUNCEMENT_STATUSES = ['sending', 'sent', 'cancelled'] as const;
export type AnnouncementStatus = (typeof ANNOUNCEMENT_STATUSES)[number];

/**
 * One message to an audience (every resident of a town, a panel's volunteers…). Its outbox event
 * is the source event of every notification it makes; `fanoutCursor` is the last user id of the
 * audience already stored, so a fan-out killed half-way resumes there; `jobsCursor` the same for
 * the walk that starts the live messages and mails once everyone is stored.
 */
@Entity('announcements')
@Index('announcements_municipality_idx', { synchronize: false })
@Index('announcements_fanout_idx', { synchronize: false })
@Index('announcements_jobs_idx', { synchronize: false })
export class AnnouncementEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'uuid', nullable: true })
  createdBy: string | null;

  /** The notification type people set preferences on (`announcement.published` for staff's). */
  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  audienceKind: string;

  @Column({ type: 'text', nullable: true })
  audienceTarget: string | null;

  /** The audience's size when it was sent (the preview's figure). */
  @Column({ type: 'int' })
  audienceSize: number;

  @Column({ type: 'jsonb' })
  title: { fr: string; en: string };

  @Column({ type: 'jsonb' })
  body: { fr: string; en: string };

  @Column({ type: 'text', nullable: true })
  path: string | null;

  @Column({ type: 'text', array: true })
  channels: string[];

  @Column({ type: 'text', default: 'sending' })
  status: AnnouncementStatus;

  @Column({ type: 'bigint', unique: true })
  sourceEventId: string;

  @Column({ type: 'text', nullable: true })
  fanoutCursor: string | null;

  /** People stored so far (notifications made). */
  @Column({ type: 'int', default: 0 })
  recipients: number;

  @Column({ type: 'timestamptz', nullable: true })
  fannedOutAt: Date | null;

  /** The second walk, once everyone is stored: the last person whose live message and jobs were started. */
  @Column({ type: 'uuid', nullable: true })
  jobsCursor: string | null;

  /** Every live message and bulk job of the audience started (the second walk's end). */
  @Column({ type: 'timestamptz', nullable: true })
  jobsQueuedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  cancelledBy: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

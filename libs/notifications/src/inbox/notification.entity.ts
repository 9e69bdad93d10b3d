import type { Locale } from '@app/identity';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One thing a person is told, once per (source event, person, type). */
@Entity('notifications')
// A rule that fires twice for the same event (a redelivered job) cannot tell anyone twice.
@Index('notifications_source_key', ['sourceEventId', 'userId', 'type'], { unique: true })
// The inbox, newest first, and its unread filter/count (partial indexes from the migration).
@Index('notifications_inbox_idx', { synchronize: false })
@Index('notifications_unread_idx', { synchronize: false })
// A contact without an account is told once per (event, e-mail, type) (migrations/*-ContactNotifications.ts).
@Index('notifications_contact_source_key', { synchronize: false })
@Index('notifications_contact_email_idx', { synchronize: false })
export class NotificationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** The person told; null for a contact without an account (then contactEmail is set). */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  /** Someone without an account (a report filed for them at the counter): e-mail only. */
  @Column({ type: 'text', nullable: true })
  contactEmail: string | null;

  @Column({ type: 'text', nullable: true })
  contactName: string | null;

  @Column({ type: 'text', nullable: true })
  contactLocale: Locale | null;

  @Column({ type: 'uuid', nullable: true })
  municipalityId: string | null;

  @Column({ type: 'text' })
  type: string;

  @Column({ type: 'text' })
  subjectType: string;

  @Column({ type: 'text' })
  subjectId: string;

  /** The outbox event it came from. */
  @Column({ type: 'bigint' })
  sourceEventId: string;

  @Column({ type: 'jsonb', default: {} })
  data: Record<string, unknown>;

  /** False when the person turned the in-app channel off for this type: kept for email/push only. */
  @Column({ type: 'boolean', default: true })
  inApp: boolean;

  @Column({ type: 'timestamptz', nullable: true })
  readAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

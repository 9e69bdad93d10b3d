import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { DeliveryStatus, QueuedChannel } from '../notification.types';

/**
 * One channel of one notification that the worker sends (email, web push). The row, not the
 * queue, is the source of truth: a job only names it, and whatever Redis loses the sweeper finds here.
 */
@Entity('notification_deliveries')
@Index('notification_deliveries_channel_key', ['notificationId', 'channel'], { unique: true })
@Index('notification_deliveries_dispatch_idx', { synchronize: false })
@Index('notification_deliveries_pending_idx', { synchronize: false })
@Index('notification_deliveries_sending_idx', { synchronize: false })
@Index('notification_deliveries_digest_idx', { synchronize: false })
@Index('notification_deliveries_failed_idx', { synchronize: false })
export class NotificationDeliveryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  notificationId: string;

  /** The recipient, copied from the notification: digests are gathered per person. Null for a contact without an account. */
  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'text' })
  channel: QueuedChannel;

  @Column({ type: 'text', default: 'pending' })
  status: DeliveryStatus;

  @Column({ type: 'int', default: 0 })
  attempts: number;

  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  /** Set for email in daily-digest mode: the digest that will carry it, not a job of its own. */
  @Column({ type: 'timestamptz', nullable: true })
  digestAt: Date | null;

  /** When a job was last handed to the queue for it. */
  @Column({ type: 'timestamptz', nullable: true })
  enqueuedAt: Date | null;

  /** When a sender last claimed it ('sending'); a claim older than the send timeout is dead. */
  @Column({ type: 'timestamptz', nullable: true })
  claimedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** When an admin last put it back after it failed: its retry window starts again there. */
  @Column({ type: 'timestamptz', nullable: true })
  retryFrom: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

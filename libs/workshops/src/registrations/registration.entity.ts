import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export const REGISTRATION_STATUSES = ['registered', 'waitlisted', 'offered', 'cancelled'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** A person's place at a session (or a walk-in added at the door by name). */
@Entity('workshop_registrations')
@Index('workshop_registrations_user', ['userId', 'createdAt'])
export class RegistrationEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  sessionId: string;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'text', nullable: true })
  walkInName: string | null;

  @Column({ type: 'text' })
  status: RegistrationStatus;

  /** Arrival order (a sequence): the waitlist is served by it. */
  @Column({ type: 'bigint', insert: false, update: false })
  arrival: string;

  /** Shown at the door, as text and as a QR code. Unique within the session. */
  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'timestamptz', nullable: true })
  offerExpiresAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  checkedInAt: Date | null;

  @Column({ type: 'uuid', nullable: true })
  checkedInById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  cancelledAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** The secret of a person's private calendar feed, hashed. */
@Entity('workshop_feed_tokens')
export class FeedTokenEntity {
  @Column({ type: 'uuid', primary: true })
  userId: string;

  @Column({ type: 'text' })
  tokenHash: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}


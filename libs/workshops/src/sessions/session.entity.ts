import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type SessionStatus = 'scheduled' | 'cancelled';

/**
 * One session of a workshop. A room is never booked twice at overlapping times: the exclusion
 * constraint `workshop_sessions_room_overlap` (see the migration) refuses it in the database.
 */
@Entity('workshop_sessions')
@Index('workshop_sessions_workshop', ['workshopId', 'startsAt', 'id'])
export class WorkshopSessionEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  workshopId: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'timestamptz' })
  startsAt: Date;

  @Column({ type: 'timestamptz' })
  endsAt: Date;

  @Column({ type: 'uuid', nullable: true })
  venueId: string | null;

  @Column({ type: 'uuid', nullable: true })
  roomId: string | null;

  @Column({ type: 'int' })
  capacity: number;

  @Column({ type: 'timestamptz' })
  registrationCutoffAt: Date;

  @Column({ type: 'text', default: 'scheduled' })
  status: SessionStatus;

  /** Registered and offered seats: kept in step under the session's row lock. */
  @Column({ type: 'int', default: 0 })
  seatsTaken: number;

  /** iCalendar SEQUENCE: bumped each time the session moves, changes place or is cancelled. */
  @Column({ type: 'int', default: 0 })
  sequence: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

/** A facilitator booked for a session; `workshop_facilitator_overlap` refuses overlapping bookings. */
@Entity('workshop_facilitator_bookings')
export class FacilitatorBookingEntity {
  @PrimaryColumn({ type: 'uuid' })
  sessionId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'tstzrange' })
  during: string;
}

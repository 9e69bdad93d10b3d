import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/** A place workshops happen: a town hall, a library, a third place. */
@Entity('workshop_venues')
@Index('workshop_venues_municipality', ['municipalityId', 'name', 'id'])
export class VenueEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  address: string;

  /** PostgreSQL point, read as "(lng,lat)". */
  @Column({ type: 'point', nullable: true })
  location: string | null;

  /** The district holding the location, found when the venue is saved. */
  @Column({ type: 'uuid', nullable: true })
  districtId: string | null;

  @Column({ type: 'text', default: '' })
  accessibility: string;

  @Column({ type: 'boolean', default: false })
  isThirdPlace: boolean;

  /** iCalendar SEQUENCE of the venue's feed entries is the session's; this one counts venue edits. */
  @Column({ type: 'int', default: 0 })
  sequence: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('workshop_rooms')
@Unique(['venueId', 'name'])
export class RoomEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  venueId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'int' })
  capacity: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

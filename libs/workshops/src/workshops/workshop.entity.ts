import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export interface LocalizedText {
  fr: string;
  en: string;
}

export const WORKSHOP_FORMATS = ['in_person', 'online', 'hybrid'] as const;
export type WorkshopFormat = (typeof WORKSHOP_FORMATS)[number];

/** A workshop: what it is about and who runs it; its sessions say when and where. */
@Entity('workshops')
@Index('workshops_municipality', ['municipalityId', 'createdAt', 'id'])
@Index('workshops_topic', ['municipalityId', 'topic'])
export class WorkshopEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'jsonb' })
  title: LocalizedText;

  @Column({ type: 'jsonb' })
  description: LocalizedText;

  @Column({ type: 'text' })
  topic: string;

  @Column({ type: 'text' })
  format: WorkshopFormat;

  /** The link to join, for online and hybrid workshops. */
  @Column({ type: 'text', nullable: true })
  onlineUrl: string | null;

  /** People with this many no-shows in the town may no longer register (null: no limit). */
  @Column({ type: 'int', nullable: true })
  maxNoShows: number | null;

  /** How long a freed seat is held for the next person on the waitlist. */
  @Column({ type: 'int', default: 24 })
  offerHours: number;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

@Entity('workshop_facilitators')
@Index('workshop_facilitators_user', ['userId'])
export class WorkshopFacilitatorEntity {
  @PrimaryColumn({ type: 'uuid' })
  workshopId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

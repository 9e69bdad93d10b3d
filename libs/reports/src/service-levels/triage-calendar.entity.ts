import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { WeeklyHours } from './working-calendar';

/** A municipality's working hours and closures, on which deadlines are counted. */
@Entity('triage_calendars')
export class TriageCalendarEntity {
  @PrimaryColumn({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'jsonb' })
  weeklyHours: WeeklyHours;

  /** Local closures ("YYYY-MM-DD") on top of the country's public holidays. */
  @Column({ type: 'text', array: true, default: '{}' })
  closures: string[];

  /** ISO 3166-2 subdivision code for regional holidays, if any. */
  @Column({ type: 'text', nullable: true })
  region: string | null;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

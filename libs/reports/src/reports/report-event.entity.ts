import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type ReportEventType =
  | 'created'
  | 'status_changed'
  | 'assigned'
  | 'triaged'
  | 'update'
  | 'merged_into'
  | 'merged_from'
  | 'reopened'
  | 'confirmed'
  | 'auto_closed'
  | 'sla_warning'
  /** The reporter took the report back while it was new. */
  | 'withdrawn'
  /** The reporter changed the description while it was new; `data.previousDescription` (staff only: an internal line). */
  | 'description_edited'
  | 'corrected'
  | 'transferred';

/** One line of a report's timeline; `internal` lines are shown to that municipality's staff only. */
@Entity('report_events')
@Index('report_events_report_idx', ['reportId', 'id'])
// An erasure at the person's request finds their lines (migrations/*-PrivacyAndAccounts.ts).
@Index('report_events_actor_idx', ['actorId'], { where: 'actor_id IS NOT NULL' })
export class ReportEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  reportId: string;

  @Column({ type: 'text' })
  type: ReportEventType;

  @Column({ type: 'text', default: 'public' })
  visibility: 'public' | 'internal';

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  /** Whether the actor acted as staff (shown as "the city"), rather than as a citizen. */
  @Column({ type: 'boolean', default: false })
  byStaff: boolean;

  @Column({ type: 'text', nullable: true })
  fromStatus: string | null;

  @Column({ type: 'text', nullable: true })
  toStatus: string | null;

  @Column({ type: 'text', nullable: true })
  message: string | null;

  @Column({ type: 'jsonb', default: {} })
  data: Record<string, unknown>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

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
  | 'corrected'
  | 'transferred';

/** One line of a report's timeline; `internal` lines are shown to that municipality's staff only. */
@Entity('report_events')
@Index('report_events_report_idx', ['reportId', 'id'])
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

import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { ReportPriority } from '../categories/report-category.entity';
import type { RejectReason, ReportKind, ReportStatus } from '../lifecycle/report-lifecycle';

export type ReportSource = 'app' | 'open311';

/**
 * A citizen's report. The spatial and list indexes are created by the migration (GiST on the
 * `location` point; see migrations/*-Reports.ts) and marked synchronize:false here.
 */
@Entity('reports')
@Index('reports_number_key', ['number'], { unique: true })
@Index('reports_public_list_idx', { synchronize: false })
@Index('reports_location_idx', { synchronize: false })
@Index('reports_nearby_idx', { synchronize: false })
@Index('reports_reporter_idx', { synchronize: false })
@Index('reports_triage_idx', { synchronize: false })
@Index('reports_assignee_idx', { synchronize: false })
@Index('reports_due_idx', { synchronize: false })
@Index('reports_duplicate_of_idx', { synchronize: false })
// Triage queue orders over open reports, and the auto-close (migrations/*-ReportTriage.ts).
@Index('reports_triage_age_idx', { synchronize: false })
@Index('reports_triage_priority_idx', { synchronize: false })
@Index('reports_triage_next_due_idx', { synchronize: false })
@Index('reports_triage_category_idx', { synchronize: false })
@Index('reports_resolved_at_idx', { synchronize: false })
export class ReportEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Short public reference ("#1042") that people read out on the phone. */
  @Column({ type: 'bigint' })
  @Generated('increment')
  number: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  kind: ReportKind;

  @Column({ type: 'uuid' })
  categoryId: string;

  @Column({ type: 'text' })
  categoryCode: string;

  @Column({ type: 'text', default: 'new' })
  status: ReportStatus;

  @Column({ type: 'text', nullable: true })
  rejectReason: RejectReason | null;

  @Column({ type: 'uuid', nullable: true })
  duplicateOfId: string | null;

  @Column({ type: 'text' })
  description: string;

  @Column({ type: 'double precision' })
  lat: number;

  @Column({ type: 'double precision' })
  lng: number;

  /** point(lng, lat), kept by the service; GiST-indexed for maps and "nearby". */
  @Column({ type: 'point', select: false })
  location: string;

  @Column({ type: 'text', nullable: true })
  address: string | null;

  @Column({ type: 'jsonb', default: {} })
  attributes: Record<string, unknown>;

  /** Null for Open311 submissions without an account, and after the reporter erased theirs. */
  @Column({ type: 'uuid', nullable: true })
  reporterId: string | null;

  /**
   * Hides the reporter's name publicly, never from staff. True unless the reporter chose to show
   * it at filing (showName): names are not public by default.
   */
  @Column({ type: 'boolean', default: true })
  anonymous: boolean;

  /** Contact given through Open311 by people without an account; staff-only. */
  @Column({ type: 'text', nullable: true })
  contactName: string | null;

  @Column({ type: 'text', nullable: true })
  contactEmail: string | null;

  @Column({ type: 'text', default: 'app' })
  source: ReportSource;

  @Column({ type: 'text', default: 'normal' })
  priority: ReportPriority;

  @Column({ type: 'uuid', nullable: true })
  assigneeId: string | null;

  @Column({ type: 'text', nullable: true })
  department: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgeDueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolveDueAt: Date | null;

  /** Set by staff to override the service-level deadline. */
  @Column({ type: 'timestamptz', nullable: true })
  dueAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  acknowledgedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  resolvedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  closedAt: Date | null;

  @Column({ type: 'smallint', nullable: true })
  rating: number | null;

  @Column({ type: 'int', default: 0 })
  supportCount: number;

  @Column({ type: 'int', default: 0 })
  photoCount: number;

  /** Set when moderation or a spam rejection takes it out of public view; staff still see it. */
  @Column({ type: 'timestamptz', nullable: true })
  hiddenAt: Date | null;

  /** Kept by PostgreSQL (generated): urgent 0, high 1, normal 2, low 3; the queue's priority order. */
  @Column({
    type: 'smallint',
    generatedType: 'STORED',
    asExpression: `CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'normal' THEN 2 ELSE 3 END`,
    insert: false,
    update: false,
    select: false,
  })
  readonly priorityRank?: number;

  /**
   * Kept by PostgreSQL (generated): the next deadline the report can still miss in its status
   * ('infinity' when none); overdue means next_due_at < now(). See migrations/*-ReportTriage.ts.
   */
  @Column({
    type: 'timestamptz',
    generatedType: 'STORED',
    asExpression: `COALESCE(CASE WHEN status = 'new' THEN LEAST(acknowledge_due_at, COALESCE(due_at, resolve_due_at)) WHEN status IN ('acknowledged', 'in_progress') THEN COALESCE(due_at, resolve_due_at) END, 'infinity'::timestamptz)`,
    insert: false,
    update: false,
    select: false,
  })
  readonly nextDueAt?: Date;

  /** Optimistic concurrency: triage requests carry the version they saw. */
  @VersionColumn({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

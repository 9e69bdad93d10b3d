import { Column, CreateDateColumn, Entity, Generated, Index, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn } from 'typeorm';
import type { ReportPriority } from '../categories/report-category.entity';
import type { RejectReason, ReportKind, ReportStatus } from '../lifecycle/report-lifecycle';

/** How a report reached the town: filed by the person (app, Open311), or by staff for them. */
export const SELF_FILED_SOURCES = ['app', 'open311'] as const;
/** Staff-assisted intake: someone phoned, came to the counter, wrote, or was helped at a third place. */
export const ASSISTED_CHANNELS = ['phone', 'counter', 'mail', 'third_place'] as const;
export type AssistedChannel = (typeof ASSISTED_CHANNELS)[number];
export const REPORT_SOURCES = [...SELF_FILED_SOURCES, ...ASSISTED_CHANNELS] as const;
export type ReportSource = (typeof REPORT_SOURCES)[number];

/** What the text search reads (the stored search_vector); French and English, accents ignored. */
export const SEARCH_TEXT_SQL = `coalesce(description, '') || ' ' || coalesce(address, '')`;

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
// Staff tools (migrations/*-StaffReportTools.ts): one open report per device and problem, text
// search, the queue by department.
@Index('reports_machine_open_key', { synchronize: false })
@Index('reports_search_idx', { synchronize: false })
@Index('reports_triage_department_idx', { synchronize: false })
@Index('reports_contact_email_idx', { synchronize: false })
@Index('reports_district_idx', { synchronize: false })
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

  /** The district (identity) containing the point when it was filed; null outside every district. */
  @Column({ type: 'uuid', nullable: true })
  districtId: string | null;

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

  @Column({ type: 'text', nullable: true })
  contactPhone: string | null;

  /** The channel: self-filed (app, open311) or staff-assisted (phone, counter, mail, third_place). */
  @Column({ type: 'text', default: 'app' })
  source: ReportSource;

  /** The staff member who filed it for someone (staff-assisted intake); null when self-filed. */
  @Column({ type: 'uuid', nullable: true })
  filedById: string | null;

  /** Machine reports (Open311 `device_id`): the device and the API key that sent it. */
  @Column({ type: 'text', nullable: true })
  deviceId: string | null;

  @Column({ type: 'uuid', nullable: true })
  apiKeyId: string | null;

  /** How many times the device sent this problem while the report was open (1: once). */
  @Column({ type: 'int', default: 1 })
  occurrenceCount: number;

  /** When the device last sent it (null: never again after filing). */
  @Column({ type: 'timestamptz', nullable: true })
  lastSeenAt: Date | null;

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

  /** Kept by PostgreSQL (generated): the French and English text search vector, unaccented. */
  @Column({
    type: 'tsvector',
    generatedType: 'STORED',
    asExpression: `to_tsvector('civic_fr'::regconfig, ${SEARCH_TEXT_SQL}) || to_tsvector('civic_en'::regconfig, ${SEARCH_TEXT_SQL})`,
    insert: false,
    update: false,
    select: false,
  })
  readonly searchVector?: string;

  /** Optimistic concurrency: triage requests carry the version they saw. */
  @VersionColumn({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

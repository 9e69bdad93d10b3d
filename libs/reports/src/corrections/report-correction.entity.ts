import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const CORRECTION_KINDS = ['correction', 'transfer', 'hidden', 'unhidden'] as const;
export type CorrectionKind = (typeof CORRECTION_KINDS)[number];

/**
 * What staff changed in what a report says (its pin, category, description, municipality, public
 * visibility) with the values before: the original is never lost. Staff only; also audited.
 */
@Entity('report_corrections')
@Index('report_corrections_report_idx', ['reportId', 'id'])
export class ReportCorrectionEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column({ type: 'uuid' })
  reportId: string;

  @Column({ type: 'text' })
  kind: CorrectionKind;

  @Column({ type: 'uuid', nullable: true })
  actorId: string | null;

  /** Field → {from, to}. */
  @Column({ type: 'jsonb' })
  changes: Record<string, { from: unknown; to: unknown }>;

  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

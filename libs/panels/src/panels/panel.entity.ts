import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { PoolMember } from '../selection/selection.types';

/** A value of a feature and its seats on the panel. */
export interface PanelFeatureValue {
  code: string;
  label: string;
  min: number;
  max: number;
  /** Share of the population with this value (post-stratification target); null when not given. */
  populationShare?: number | null;
}

/** A demographic feature that matters for this panel (age band, gender, district, occupation...). */
export interface PanelFeature {
  code: string;
  label: string;
  values: PanelFeatureValue[];
}

export const PANEL_STATUSES = ['recruiting', 'pool_closed', 'drawn'] as const;
export type PanelStatus = (typeof PANEL_STATUSES)[number];

/** A citizens' panel of one municipality: its rules of selection and where recruitment stands. */
@Entity('panels')
@Index('panels_municipality_keyset', ['municipalityId', 'createdAt', 'id'])
export class PanelEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  purpose: string;

  @Column({ type: 'int' })
  size: number;

  @Column({ type: 'int' })
  termMonths: number;

  /** At most one member per household (address). */
  @Column({ type: 'boolean', default: true })
  householdRule: boolean;

  @Column({ type: 'jsonb' })
  features: PanelFeature[];

  /** The consent text volunteers accept, and its version (a new text needs a new version). */
  @Column({ type: 'text' })
  consentVersion: string;

  @Column({ type: 'text' })
  consentText: string;

  @Column({ type: 'text', default: 'recruiting' })
  status: PanelStatus;

  /** Published commitment to the pool (see the draw protocol in the README). */
  @Column({ type: 'text', nullable: true })
  poolHash: string | null;

  @Column({ type: 'text', nullable: true })
  rulesHash: string | null;

  /**
   * The pool as it was when it closed, pseudonymous (selection id, feature values, hashed
   * household key): the draw runs on it, so a withdrawal after the close cannot change the
   * committed pool. Loaded only by the draw.
   */
  @Column({ type: 'jsonb', nullable: true, select: false })
  poolSnapshot: PoolMember[] | null;

  @Column({ type: 'timestamptz', nullable: true })
  poolClosedAt: Date | null;

  /** Days a selected person has to confirm before the seat goes to a replacement draw. */
  @Column({ type: 'int', default: 14 })
  confirmationDays: number;

  /** Share of the seats redrawn when a term ends (rounded up). */
  @Column({ type: 'double precision', default: 0.5 })
  rotationShare: number;

  /** 0 before the first term; each rotation starts the next. */
  @Column({ type: 'int', default: 0 })
  termNumber: number;

  @Column({ type: 'timestamptz', nullable: true })
  termStartedAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  termEndsAt: Date | null;

  /** The term has ended: a rotation draw (with a new public seed) is due. */
  @Column({ type: 'boolean', default: false })
  rotationDue: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { Duration } from '../service-levels/working-calendar';

export type LocalizedText = { fr?: string; en?: string };

export const ATTRIBUTE_DATATYPES = ['string', 'number', 'datetime', 'text', 'singlevaluelist', 'multivaluelist'] as const;
export type AttributeDatatype = (typeof ATTRIBUTE_DATATYPES)[number];

/** An Open311 service attribute definition. */
export interface CategoryAttribute {
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  description: string;
  /** Open311 `order`: display order in the client. */
  order?: number;
  values?: Array<{ key: string; name: string }>;
}

export type ReportPriority = 'low' | 'normal' | 'high' | 'urgent';
export const REPORT_PRIORITIES: ReportPriority[] = ['low', 'normal', 'high', 'urgent'];

/** Per priority: how long to acknowledge and to resolve, in working time. */
export type ServiceLevels = Partial<Record<ReportPriority, { acknowledgeWithin?: Duration; resolveWithin?: Duration }>>;

/** What a citizen can report: an Open311 "service" of one municipality. */
@Entity('report_categories')
@Index('report_categories_code_key', ['municipalityId', 'code'], { unique: true })
export class ReportCategoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'jsonb' })
  name: LocalizedText;

  @Column({ type: 'jsonb', default: {} })
  description: LocalizedText;

  /** The department that handles it; staff of that department are told of new reports. */
  @Column({ type: 'text', nullable: true })
  department: string | null;

  @Column({ type: 'text', array: true, default: '{}' })
  keywords: string[];

  @Column({ type: 'boolean', default: true })
  active: boolean;

  @Column({ type: 'jsonb', default: [] })
  attributes: CategoryAttribute[];

  @Column({ type: 'jsonb', default: {} })
  serviceLevels: ServiceLevels;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

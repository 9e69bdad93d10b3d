import { AreaGeometry } from '@app/common';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A town's district (quartier): proposals, budgets and panels are divided by them. */
@Entity('districts')
// Serves the list (keyset by code) and makes a code unique within its town.
@Index('districts_municipality_code_key', ['municipalityId', 'code'], { unique: true })
// GiST on (municipality_id, bbox), created by the migration (TypeORM cannot declare it): locate.
@Index('districts_bbox_idx', { synchronize: false })
export class DistrictEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  code: string;

  @Column({ type: 'text' })
  nameFr: string;

  @Column({ type: 'text' })
  nameEn: string;

  @Column({ type: 'jsonb', nullable: true })
  boundary: AreaGeometry | null;

  @Column({ type: 'box', nullable: true, select: false })
  bbox: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

import { AreaGeometry } from '@app/common';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

@Entity('municipalities')
@Index('municipalities_slug_key', ['slug'], { unique: true })
// GiST index on the bounding box, created by the migration (TypeORM cannot declare it).
@Index('municipalities_bbox_idx', { synchronize: false })
export class MunicipalityEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  slug: string;

  @Column({ type: 'text' })
  name: string;

  /** IANA zone: working hours, digests and deadlines are counted in it. */
  @Column({ type: 'text' })
  timezone: string;

  @Column({ type: 'text', default: 'fr' })
  locale: string;

  /** ISO 3166-1 alpha-2, for public holidays. */
  @Column({ type: 'text', default: 'FR' })
  countryCode: string;

  @Column({ type: 'jsonb', nullable: true })
  boundary: AreaGeometry | null;

  /** Bounding box of the boundary as a PostgreSQL box, to find candidates by index. */
  @Column({ type: 'box', nullable: true, select: false })
  bbox: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

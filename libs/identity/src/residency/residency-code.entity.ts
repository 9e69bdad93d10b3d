import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** One-time codes mailed on paper to residents; stored hashed, shown once at generation. */
@Entity('residency_codes')
@Index('residency_codes_hash_key', ['codeHash'], { unique: true })
@Index('residency_codes_municipality_idx', ['municipalityId', 'createdAt'])
export class ResidencyCodeEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  municipalityId: string;

  @Column({ type: 'text' })
  codeHash: string;

  @Column({ type: 'uuid', nullable: true })
  createdById: string | null;

  /** The district of the addresses the code was mailed to; the resident who redeems it lives there. */
  @Column({ type: 'uuid', nullable: true })
  districtId: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'uuid', nullable: true })
  redeemedById: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  redeemedAt: Date | null;
}

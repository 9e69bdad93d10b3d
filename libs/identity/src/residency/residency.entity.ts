import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

export type ResidencyMethod = 'code' | 'staff';

/** A person verified as resident of a municipality: eligibility for votes and panels. */
@Entity('residencies')
@Index('residencies_user_idx', ['userId'])
// A town's residents, newest first, keyset-paginated (migrations/*-PrivacyAndAccounts.ts).
@Index('residencies_municipality_verified_idx', { synchronize: false })
export class ResidencyEntity {
  @PrimaryColumn({ type: 'uuid' })
  municipalityId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  method: ResidencyMethod;

  @Column({ type: 'uuid', nullable: true })
  verifiedById: string | null;

  @Column({ type: 'uuid', nullable: true })
  codeId: string | null;

  /** The district they live in, when known (a code mailed to a district, or staff). */
  @Column({ type: 'uuid', nullable: true })
  districtId: string | null;

  /** Asked at verification where a vote has a minimum age; nothing else reads it. */
  @Column({ type: 'smallint', nullable: true })
  birthYear: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  verifiedAt: Date;
}

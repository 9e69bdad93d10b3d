import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';

export type MunicipalityRole = 'staff' | 'facilitator' | 'admin';
export const MUNICIPALITY_ROLES: MunicipalityRole[] = ['staff', 'facilitator', 'admin'];

/** Roles are granted per municipality; accounts are global. */
@Entity('municipality_members')
@Index('municipality_members_user_idx', ['userId'])
export class MembershipEntity {
  @PrimaryColumn({ type: 'uuid' })
  municipalityId: string;

  @PrimaryColumn({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text', array: true })
  roles: MunicipalityRole[];

  @Column({ type: 'text', nullable: true })
  department: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

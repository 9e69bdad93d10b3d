import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export interface ContactPreferences {
  email: boolean;
  post: boolean;
  phone: string | null;
}

/**
 * One person in a panel's pool: a resident who volunteered (user_id, consent, address) or a
 * resident invited by post and imported from a CSV (external_id, household key).
 */
@Entity('panel_pool_members')
@Index('panel_pool_members_panel', ['panelId', 'id'])
@Index('panel_pool_members_volunteer_key', ['panelId', 'userId'], { unique: true, where: '"user_id" IS NOT NULL' })
@Index('panel_pool_members_external_key', ['panelId', 'externalId'], { unique: true, where: '"external_id" IS NOT NULL' })
@Index('panel_pool_members_user', ['userId'], { where: '"user_id" IS NOT NULL' })
export class PoolMemberEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  panelId: string;

  @Column({ type: 'uuid', nullable: true })
  userId: string | null;

  @Column({ type: 'text', nullable: true })
  externalId: string | null;

  /** feature code → value code. */
  @Column({ type: 'jsonb' })
  features: Record<string, string>;

  /** Volunteers: the address they gave, used for the household rule only. */
  @Column({ type: 'text', nullable: true })
  address: string | null;

  /** Imported: the household key of the CSV. */
  @Column({ type: 'text', nullable: true })
  household: string | null;

  @Column({ type: 'text', nullable: true })
  consentVersion: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  consentedAt: Date | null;

  @Column({ type: 'jsonb', nullable: true })
  contact: ContactPreferences | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

export type Locale = 'fr' | 'en';
export const LOCALES: Locale[] = ['fr', 'en'];

@Entity('users')
@Index('users_email_key', ['email'], { unique: true })
export class UserEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased and trimmed; unique. Replaced by a placeholder when the account is erased. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'timestamptz', nullable: true })
  emailVerifiedAt: Date | null;

  /** argon2id; null once the account is erased. */
  @Column({ type: 'text', nullable: true })
  passwordHash: string | null;

  @Column({ type: 'text' })
  displayName: string;

  @Column({ type: 'text', default: 'fr' })
  locale: Locale;

  @Column({ type: 'boolean', default: false })
  isPlatformAdmin: boolean;

  /** Access tokens issued before this instant are refused (password reset, account erasure). */
  @Column({ type: 'timestamptz', default: () => 'now()' })
  sessionsValidAfter: Date;

  @Column({ type: 'timestamptz', nullable: true })
  deletedAt: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}

import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type UserTokenPurpose = 'verify_email' | 'reset_password' | 'change_email';

/** Single-use tokens mailed to a person (email verification, password reset, a new address to confirm). */
@Entity('user_tokens')
@Index('user_tokens_hash_key', ['tokenHash'], { unique: true })
@Index('user_tokens_user_idx', ['userId', 'purpose'])
export class UserTokenEntity {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  userId: string;

  @Column({ type: 'text' })
  purpose: UserTokenPurpose;

  @Column({ type: 'text' })
  tokenHash: string;

  @Column({ type: 'timestamptz' })
  expiresAt: Date;

  @Column({ type: 'timestamptz', nullable: true })
  usedAt: Date | null;

  /** For change_email only: the address the account moves to once the token is used. */
  @Column({ type: 'text', nullable: true })
  newEmail: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}

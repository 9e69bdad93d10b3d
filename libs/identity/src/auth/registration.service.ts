import { Injectable } from '@nestjs/common';
import { OutboxService, TransactionService } from '@app/common';
import { EntityManager } from 'typeorm';
import { EmailTakenError, UserNotFoundError } from '../identity.errors';
import { Locale, UserEntity } from '../users/user.entity';
import { EmailAlreadyVerifiedError, InvalidUserTokenError } from './auth.errors';
import { EmailChangeService } from './email-change.service';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { truncateToSecond } from './tokens';
import { UserTokensService } from './user-tokens.service';
import { userMeta } from './user-meta';

export { userMeta };

export interface RegistrationInput {
  /** Already normalised (trimmed, lower-cased). */
  email: string;
  password: string;
  displayName: string;
  locale?: Locale;
}

/** Sign-up and email verification. */
@Injectable()
export class RegistrationService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly tokens: UserTokensService,
    private readonly emailChanges: EmailChangeService,
  ) {}

  /** Creates the account and, in the same transaction, the events that mail its verification link. */
  async register(input: RegistrationInput): Promise<UserEntity> {
    this.policy.assertAcceptable(input.password, { email: input.email, displayName: input.displayName });
    // Hashing is slow on purpose: done before the transaction opens.
    const passwordHash = await this.hasher.hash(input.password);
    return this.tx.run(async (manager) => {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO users (email, password_hash, display_name, locale, sessions_valid_after)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (email) DO NOTHING
         RETURNING id`,
        [input.email, passwordHash, input.displayName, input.locale ?? 'fr', truncateToSecond(new Date())],
      );
      if (inserted.length === 0) throw new EmailTakenError();
      const user = await manager.findOneOrFail(UserEntity, { where: { id: inserted[0].id } });
      await this.outbox.record(manager, 'identity.user_registered', { userId: user.id }, userMeta(user.id));
      await this.requestVerificationMail(manager, user);
      return user;
    });
  }

  /**
   * Accounts created by an operator rather than by their owner (the demo seed): the address is
   * taken as verified, so no verification mail goes out. Idempotent by email: an existing account
   * is returned untouched, with `created: false`.
   */
  async provisionAccount(input: RegistrationInput & { isPlatformAdmin?: boolean }): Promise<{ user: UserEntity; created: boolean }> {
    const existing = await this.tx.manager.findOne(UserEntity, { where: { email: input.email } });
    if (existing) return { user: existing, created: false };
    this.policy.assertAcceptable(input.password, { email: input.email, displayName: input.displayName });
    const passwordHash = await this.hasher.hash(input.password);
    return this.tx.run(async (manager) => {
      const inserted: Array<{ id: string }> = await manager.query(
        `INSERT INTO users (email, password_hash, display_name, locale, is_platform_admin, email_verified_at, sessions_valid_after)
         VALUES ($1, $2, $3, $4, $5, now(), $6)
         ON CONFLICT (email) DO NOTHING
         RETURNING id`,
        [input.email, passwordHash, input.displayName, input.locale ?? 'fr', input.isPlatformAdmin ?? false, truncateToSecond(new Date())],
      );
      if (inserted.length === 0) return { user: await manager.findOneOrFail(UserEntity, { where: { email: input.email } }), created: false };
      const user = await manager.findOneOrFail(UserEntity, { where: { id: inserted[0].id } });
      await this.outbox.record(manager, 'identity.user_registered', { userId: user.id }, userMeta(user.id));
      return { user, created: true };
    });
  }

  /**
   * Uses up a token mailed to confirm an address: a verification marks it verified; a change of
   * address (mailed to the new one, to the same /verify-email link) moves the account there.
   */
  async verifyEmail(token: string): Promise<void> {
    const changed = await this.tx.run(async (manager) => {
      const userId = await this.tokens.consume(manager, token, 'verify_email');
      if (userId) {
        await manager.query(`UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1`, [userId]);
        return null;
      }
      const moved = await this.emailChanges.confirm(manager, token);
      if (!moved) throw new InvalidUserTokenError();
      return moved;
    });
    if (changed) this.emailChanges.afterCommit(changed.userId);
  }

  /** Mails a fresh verification link to a signed-in person whose address is not verified yet. */
  async resendVerification(userId: string): Promise<void> {
    await this.tx.run(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user || user.deletedAt) throw new UserNotFoundError();
      if (user.emailVerifiedAt) throw new EmailAlreadyVerifiedError();
      await this.requestVerificationMail(manager, user);
    });
  }

  private async requestVerificationMail(manager: EntityManager, user: UserEntity): Promise<void> {
    const { sealedToken } = await this.tokens.issue(manager, user.id, 'verify_email');
    await this.outbox.record(
      manager,
      'identity.verification_mail_requested',
      { userId: user.id, email: user.email, displayName: user.displayName, locale: user.locale, sealedToken },
      userMeta(user.id),
    );
  }
}

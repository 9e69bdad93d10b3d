import { Injectable } from '@nestjs/common';
import { AuditService, OutboxService, TransactionService, ValidationError } from '@app/common';
import { EntityManager } from 'typeorm';
import { EmailTakenError } from '../identity.errors';
import { UserEntity } from '../users/user.entity';
import { InvalidUserTokenError } from './auth.errors';
import { PasswordConfirmation } from './password-confirmation';
import { userMeta } from './user-meta';
import { SessionCheckCache } from './session-check-cache';
import { UserTokensService } from './user-tokens.service';

/** What the old address is told once the account has moved to a new one. */
export interface EmailChangedNotice {
  userId: string;
  /** Where the notice goes: the address the account just left. */
  email: string;
  newEmail: string;
  displayName: string;
  locale: UserEntity['locale'];
}

/**
 * A signed-in person moves their account to another address: with their password, a
 * single-use link goes to the new address (the same mailed tokens as the verification, of
 * purpose change_email, carrying the address); the account moves only when that link is used,
 * and the old address is then told. Nobody can take an account to an address they do not read,
 * and its owner hears of it at the address they knew.
 */
@Injectable()
export class EmailChangeService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly passwords: PasswordConfirmation,
    private readonly tokens: UserTokensService,
    private readonly sessionChecks: SessionCheckCache,
  ) {}

  /** `newEmail` already normalised (trimmed, lower-cased). Earlier pending links stop working. */
  async request(userId: string, newEmail: string, password: string, ip?: string): Promise<void> {
    const user = await this.passwords.confirm(userId, password, ip);
    if (newEmail === user.email) {
      throw new ValidationError('This is already your address', [{ field: 'newEmail', messages: ['newEmail is already your address'] }]);
    }
    await this.tx.run(async (manager) => {
      await this.assertFree(manager, newEmail, userId);
      await this.tokens.retireAll(manager, userId, 'change_email');
      const { sealedToken } = await this.tokens.issue(manager, userId, 'change_email', newEmail);
      await this.outbox.record(
        manager,
        'identity.email_change_requested',
        { userId, email: newEmail, displayName: user.displayName, locale: user.locale, sealedToken },
        userMeta(userId),
      );
    });
  }

  /**
   * Uses a change_email token inside the caller's transaction and moves the account; false when
   * `token` is no usable change_email token (the caller may try it as another kind). The new
   * address counts as verified (the link was opened from it); links mailed to the old one stop
   * working. Call `afterCommit` once the transaction has committed.
   */
  async confirm(manager: EntityManager, token: string): Promise<{ userId: string } | null> {
    const used = await this.tokens.consumeEmailChange(manager, token);
    if (!used) return null;
    const user = await manager.findOne(UserEntity, { where: { id: used.userId }, lock: { mode: 'pessimistic_write' } });
    if (!user || user.deletedAt) throw new InvalidUserTokenError();
    await this.assertFree(manager, used.newEmail, user.id);
    await manager.update(UserEntity, { id: user.id }, { email: used.newEmail, emailVerifiedAt: new Date() });
    for (const purpose of ['verify_email', 'reset_password', 'change_email'] as const) await this.tokens.retireAll(manager, user.id, purpose);
    const notice: EmailChangedNotice = { userId: user.id, email: user.email, newEmail: used.newEmail, displayName: user.displayName, locale: user.locale };
    await this.outbox.record(manager, 'identity.email_changed', notice, userMeta(user.id));
    // Addresses stay out of the audit trail (it outlives an erasure); the event says what changed.
    await this.audit.record(manager, { actorId: user.id, municipalityId: null, action: 'user.email_changed', targetType: 'user', targetId: user.id });
    return { userId: user.id };
  }

  /** The person's next request must carry their new address (see SessionCheckCache). */
  afterCommit(userId: string): void {
    this.sessionChecks.forget(userId);
  }

  private async assertFree(manager: EntityManager, email: string, userId: string): Promise<void> {
    const taken: unknown[] = await manager.query(`SELECT 1 FROM users WHERE email = $1 AND id <> $2`, [email, userId]);
    if (taken.length > 0) throw new EmailTakenError();
  }
}

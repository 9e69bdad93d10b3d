import { Injectable } from '@nestjs/common';
import { OutboxService, TransactionService } from '@app/common';
import { UserEntity } from '../users/user.entity';
import { AuthService } from './auth.service';
import { InvalidUserTokenError } from './auth.errors';
import { LoginAttemptsService } from './login-attempts.service';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { SessionCheckCache } from './session-check-cache';
import { userMeta } from './user-meta';
import { truncateToSecond } from './tokens';
import { UserTokensService } from './user-tokens.service';

/** "Forgot password": a mailed single-use link that sets a new password and signs out everywhere. */
@Injectable()
export class PasswordResetService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly tokens: UserTokensService,
    private readonly auth: AuthService,
    private readonly attempts: LoginAttemptsService,
    private readonly sessionChecks: SessionCheckCache,
  ) {}

  /**
   * Mails a reset link when the account exists, and does nothing otherwise: the caller answers the
   * same either way, so nobody learns which addresses are registered.
   */
  async requestReset(email: string): Promise<void> {
    await this.tx.run(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { email } });
      if (!user || user.deletedAt || !user.passwordHash) return;
      const { sealedToken } = await this.tokens.issue(manager, user.id, 'reset_password');
      await this.outbox.record(
        manager,
        'identity.password_reset_requested',
        { userId: user.id, email: user.email, displayName: user.displayName, locale: user.locale, sealedToken },
        userMeta(user.id),
      );
    });
  }

  async resetPassword(token: string, password: string): Promise<void> {
    // Check the token and the new password before using the token up, so a refused password
    // leaves the link usable for a second try.
    const userId = await this.tokens.peek(this.tx.manager, token, 'reset_password');
    const user = userId ? await this.tx.manager.findOne(UserEntity, { where: { id: userId } }) : null;
    if (!user || user.deletedAt) throw new InvalidUserTokenError();
    this.policy.assertAcceptable(password, { email: user.email, displayName: user.displayName });
    const passwordHash = await this.hasher.hash(password);

    await this.tx.run(async (manager) => {
      const consumedBy = await this.tokens.consume(manager, token, 'reset_password');
      if (consumedBy !== user.id) throw new InvalidUserTokenError();
      await this.tokens.retireAll(manager, user.id, 'reset_password');
      // Whole seconds, as a JWT's `iat`: tokens signed from this second on stay valid (older ones
      // of the same second die with their revoked session). Following the mailed link also proves
      // the address, so it counts as verified.
      await manager.update(
        UserEntity,
        { id: user.id },
        { passwordHash, sessionsValidAfter: truncateToSecond(new Date()), emailVerifiedAt: user.emailVerifiedAt ?? new Date() },
      );
      await this.auth.revokeAllSessions(manager, user.id, 'password_reset');
    });
    this.sessionChecks.forget(user.id);
    // The mailbox owner proved who they are: an earlier lockout no longer applies.
    await this.attempts.clearAccount(user.email);
  }
}

import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, TransactionService } from '@app/common';
import { PasswordConfirmation } from './password-confirmation';
import { PasswordHasher } from './password-hasher';
import { PasswordPolicy } from './password-policy';
import { SessionCheckCache } from './session-check-cache';
import { UserTokensService } from './user-tokens.service';

/**
 * A signed-in person sets a new password with their current one. Every other session ends (a
 * device someone else holds is signed out); the one that asked goes on, its tokens still good.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly passwords: PasswordConfirmation,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly tokens: UserTokensService,
    private readonly sessionChecks: SessionCheckCache,
  ) {}

  async change(caller: Pick<AuthUser, 'id' | 'sessionId'>, currentPassword: string, newPassword: string, ip?: string): Promise<void> {
    const user = await this.passwords.confirm(caller.id, currentPassword, ip, 'currentPassword');
    this.policy.assertAcceptable(newPassword, { email: user.email, displayName: user.displayName }, 'newPassword');
    const passwordHash = await this.hasher.hash(newPassword);
    await this.tx.run(async (manager) => {
      await manager.query(`UPDATE users SET password_hash = $2 WHERE id = $1`, [user.id, passwordHash]);
      // Not sessions_valid_after: that would end this session's access tokens too. Revoking the
      // other sessions ends theirs (each request checks its session).
      await manager.query(
        `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'password_changed' WHERE user_id = $1 AND id <> $2 AND revoked_at IS NULL`,
        [user.id, caller.sessionId],
      );
      // A reset link mailed earlier would undo the change.
      await this.tokens.retireAll(manager, user.id, 'reset_password');
      await this.audit.record(manager, { actorId: user.id, municipalityId: null, action: 'user.password_changed', targetType: 'user', targetId: user.id });
    });
    this.sessionChecks.forget(user.id);
  }
}

import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '@app/common';
import { EntityManager } from 'typeorm';
import { MailTokenSeal } from './mail-token-seal';
import { UserTokenEntity, UserTokenPurpose } from './user-token.entity';
import { generateSecret, isWellFormedSecret, sha256 } from './tokens';

export const VERIFY_EMAIL_TTL_HOURS = 48;
export const RESET_PASSWORD_TTL_HOURS = 1;
export const CHANGE_EMAIL_TTL_HOURS = 24;

const TTL_HOURS: Record<UserTokenPurpose, number> = {
  verify_email: VERIFY_EMAIL_TTL_HOURS,
  reset_password: RESET_PASSWORD_TTL_HOURS,
  change_email: CHANGE_EMAIL_TTL_HOURS,
};

export interface IssuedUserToken {
  /** The token, sealed for the outbox event that asks for its mail (see MailTokenSeal). */
  sealedToken: string;
  expiresAt: Date;
}

/**
 * Single-use tokens that travel by mail. Only their sha256 is stored; the token itself leaves
 * here sealed, and only the mail composed from it (open) carries it in clear.
 */
@Injectable()
export class UserTokensService {
  private readonly seal: MailTokenSeal;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.seal = new MailTokenSeal(config.jwtSecret);
  }

  /** `newEmail`: for change_email only, the address the token moves the account to. */
  async issue(manager: EntityManager, userId: string, purpose: UserTokenPurpose, newEmail: string | null = null): Promise<IssuedUserToken> {
    const token = generateSecret();
    const expiresAt = new Date(Date.now() + TTL_HOURS[purpose] * 3600_000);
    await manager.insert(UserTokenEntity, { userId, purpose, tokenHash: sha256(token), expiresAt, newEmail });
    return { sealedToken: this.seal.seal(token, { userId, purpose }), expiresAt };
  }

  /** The token `issue` sealed for this person and purpose, or null if it cannot be opened. */
  open(sealedToken: unknown, userId: string, purpose: UserTokenPurpose): string | null {
    return this.seal.open(sealedToken, { userId, purpose });
  }

  /** The owner of a still usable token, without using it up. */
  async peek(manager: EntityManager, token: string, purpose: UserTokenPurpose): Promise<string | null> {
    if (!isWellFormedSecret(token)) return null;
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT user_id FROM user_tokens
       WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()`,
      [sha256(token), purpose],
    );
    return rows[0]?.user_id ?? null;
  }

  /**
   * Uses the token up and returns its owner, or null when it is unknown, used or expired. One
   * conditional UPDATE, so two concurrent uses cannot both succeed.
   */
  async consume(manager: EntityManager, token: string, purpose: UserTokenPurpose): Promise<string | null> {
    return (await this.use(manager, token, purpose))?.userId ?? null;
  }

  /** Like consume, for a change_email token: its owner and the address it moves them to. */
  async consumeEmailChange(manager: EntityManager, token: string): Promise<{ userId: string; newEmail: string } | null> {
    const used = await this.use(manager, token, 'change_email');
    return used?.newEmail ? { userId: used.userId, newEmail: used.newEmail } : null;
  }

  private async use(manager: EntityManager, token: string, purpose: UserTokenPurpose): Promise<{ userId: string; newEmail: string | null } | null> {
    if (!isWellFormedSecret(token)) return null;
    const [rows]: [Array<{ user_id: string; new_email: string | null }>, number] = await manager.query(
      `UPDATE user_tokens SET used_at = now()
       WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL AND expires_at > now()
       RETURNING user_id, new_email`,
      [sha256(token), purpose],
    );
    return rows[0] ? { userId: rows[0].user_id, newEmail: rows[0].new_email } : null;
  }

  /** Retires every other open token of that purpose (after a reset, older reset links must not work). */
  async retireAll(manager: EntityManager, userId: string, purpose: UserTokenPurpose): Promise<void> {
    await manager.query(`UPDATE user_tokens SET used_at = now() WHERE user_id = $1 AND purpose = $2 AND used_at IS NULL`, [userId, purpose]);
  }
}

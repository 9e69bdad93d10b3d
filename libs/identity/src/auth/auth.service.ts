import { Inject, Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, AuthUser, PgChannelListener, preparedQuery, TransactionService, UnauthenticatedError } from '@app/common';
import { EntityManager } from 'typeorm';
import { UserEntity } from '../users/user.entity';
import { AuthSessionEntity } from './auth-session.entity';
import { InvalidCredentialsError, InvalidRefreshTokenError, RefreshTokenReusedError } from './auth.errors';
import { LoginAttemptsService } from './login-attempts.service';
import { PasswordHasher } from './password-hasher';
import { RefreshTokenEntity } from './refresh-token.entity';
import { SessionCheckCache, SessionCheckRow } from './session-check-cache';
import { newRefreshToken, parseRefreshToken, sameHash, sha256 } from './tokens';

/** Claims of our access JWT. */
export interface AccessTokenClaims {
  sub: string;
  sid: string;
  adm?: boolean;
  iat: number;
  exp: number;
}

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  tokenType: 'Bearer';
}

/** Where a sign-in comes from: kept on the session so the person can recognise their devices. */
export interface ClientInfo {
  ip?: string;
  userAgent?: string;
}

export type SessionRevocationReason = 'logout' | 'reuse_detected' | 'password_reset' | 'password_changed' | 'account_deleted';

/**
 * The channel on which a trigger on auth_sessions announces, at commit, the id of each session
 * revoked — by any process or statement (migrations/*-SessionRevokedNotify.ts).
 */
export const SESSION_REVOKED_CHANNEL = 'auth_sessions_revoked';

export interface SessionRevocationWatch {
  stop(): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const USER_AGENT_MAX = 512;

type RefreshOutcome =
  | { kind: 'rotated'; userId: string; sessionId: string; isPlatformAdmin: boolean; refreshToken: string }
  | { kind: 'invalid' }
  | { kind: 'reused'; userId: string };

/**
 * Sessions: sign-in, refresh-token rotation with reuse detection, sign-out, and the check every
 * authenticated request makes on its access token.
 */
@Injectable()
export class AuthService {
  private readonly logger = new Logger(AuthService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly jwt: JwtService,
    private readonly hasher: PasswordHasher,
    private readonly attempts: LoginAttemptsService,
    private readonly sessionChecks: SessionCheckCache,
  ) {}

  async login(email: string, password: string, client: ClientInfo = {}): Promise<TokenPair> {
    await this.attempts.begin(email, client.ip);
    const user = await this.tx.manager.findOne(UserEntity, { where: { email } });
    const ok =
      user && user.passwordHash && !user.deletedAt
        ? await this.hasher.verify(user.passwordHash, password)
        : await this.hasher.verifyDummy(password);
    if (!ok || !user) throw new InvalidCredentialsError();
    await this.attempts.succeeded(email, client.ip);

    const { sessionId, refreshToken } = await this.tx.run(async (manager) => {
      const session = await manager.save(
        manager.create(AuthSessionEntity, {
          userId: user.id,
          ip: client.ip ?? null,
          userAgent: client.userAgent?.slice(0, USER_AGENT_MAX) ?? null,
        }),
      );
      return { sessionId: session.id, refreshToken: await this.issueRefreshToken(manager, session.id) };
    });
    return this.tokenPair(user.id, sessionId, user.isPlatformAdmin, refreshToken);
  }

  /**
   * Exchanges a refresh token for a new pair. The token row is locked for the whole exchange, so
   * of two concurrent uses one rotates and the other sees a rotated token, i.e. reuse: a stolen
   * token and its legitimate holder can never both keep going.
   */
  async refresh(rawToken: string): Promise<TokenPair> {
    const parts = parseRefreshToken(rawToken);
    if (!parts) throw new InvalidRefreshTokenError();
    const outcome = await this.tx.run(async (manager): Promise<RefreshOutcome> => {
      const token = await manager
        .createQueryBuilder(RefreshTokenEntity, 't')
        .setLock('pessimistic_write')
        .where('t.id = :id', { id: parts.id })
        .getOne();
      if (!token || !sameHash(token.tokenHash, sha256(parts.secret))) return { kind: 'invalid' };
      const rows: Array<{ revoked_at: Date | null; user_id: string; is_platform_admin: boolean; deleted_at: Date | null }> =
        await manager.query(
          `SELECT s.revoked_at, s.user_id, u.is_platform_admin, u.deleted_at
           FROM auth_sessions s JOIN users u ON u.id = s.user_id WHERE s.id = $1`,
          [token.sessionId],
        );
      const session = rows[0];
      if (!session) return { kind: 'invalid' };
      if (token.rotatedAt) {
        // Revoked in this transaction, which commits: the error is thrown after it.
        await this.revokeSession(manager, token.sessionId, 'reuse_detected');
        return { kind: 'reused', userId: session.user_id };
      }
      if (session.revoked_at || session.deleted_at || token.expiresAt.getTime() <= Date.now()) return { kind: 'invalid' };

      await manager.update(RefreshTokenEntity, { id: token.id }, { rotatedAt: new Date() });
      await manager.update(AuthSessionEntity, { id: token.sessionId }, { lastRefreshedAt: new Date() });
      return {
        kind: 'rotated',
        userId: session.user_id,
        sessionId: token.sessionId,
        isPlatformAdmin: session.is_platform_admin,
        refreshToken: await this.issueRefreshToken(manager, token.sessionId),
      };
    });
    if (outcome.kind === 'reused') {
      this.sessionChecks.forget(outcome.userId);
      throw new RefreshTokenReusedError();
    }
    if (outcome.kind === 'invalid') throw new InvalidRefreshTokenError();
    return this.tokenPair(outcome.userId, outcome.sessionId, outcome.isPlatformAdmin, outcome.refreshToken);
  }

  /** Ends the caller's session: its refresh token and its access tokens stop working at once. */
  async logout(caller: AuthUser): Promise<void> {
    await this.tx.manager.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'logout'
       WHERE id = $1 AND user_id = $2 AND revoked_at IS NULL`,
      [caller.sessionId, caller.id],
    );
    this.sessionChecks.forget(caller.id);
  }

  /**
   * Makes sure the account and the session of a token still stand (the signature and expiry are
   * already checked). One query. For sockets and other long-lived users of a token.
   */
  async resolveAccessToken(claims: AccessTokenClaims): Promise<AuthUser> {
    const row = await this.sessionRow(claims, false);
    return { id: claims.sub, sessionId: claims.sid, isPlatformAdmin: row.is_platform_admin };
  }

  /**
   * The same check for one HTTP request, reading in the same query what the request will ask
   * next: the person's roles per municipality and their profile (see AuthUser).
   */
  async resolveRequestUser(claims: AccessTokenClaims): Promise<AuthUser> {
    const row = await this.sessionRow(claims, true);
    return {
      id: claims.sub,
      sessionId: claims.sid,
      isPlatformAdmin: row.is_platform_admin,
      memberships: row.memberships ?? {},
      profile: { displayName: row.display_name!, email: row.email!, locale: row.locale! },
    };
  }

  private async sessionRow(claims: AccessTokenClaims, withPerson: boolean): Promise<Readonly<SessionCheckRow>> {
    if (typeof claims.sub !== 'string' || typeof claims.sid !== 'string' || !UUID.test(claims.sub) || !UUID.test(claims.sid)) {
      throw new UnauthenticatedError();
    }
    // Requests reuse a recent check of their session (see SessionCheckCache); sockets check once
    // per connection and are told of revocations, so they always read.
    const cached = withPerson ? this.sessionChecks.get(claims.sub, claims.sid) : undefined;
    if (cached) return this.issuedAfterCutOff(claims, cached);
    const mark = withPerson ? this.sessionChecks.mark() : -1;
    const person = withPerson
      ? `, u.display_name, u.email, u.locale,
         (SELECT json_object_agg(m.municipality_id, m.roles) FROM municipality_members m WHERE m.user_id = u.id) AS memberships`
      : '';
    const rows: SessionCheckRow[] = await preparedQuery(
      this.tx.manager,
      `SELECT u.is_platform_admin, u.deleted_at, u.sessions_valid_after, s.revoked_at${person}
       FROM users u JOIN auth_sessions s ON s.user_id = u.id
       WHERE u.id = $1 AND s.id = $2`,
      [claims.sub, claims.sid],
    );
    const row = rows[0];
    if (!row || row.deleted_at || row.revoked_at) throw new UnauthenticatedError('Session has ended', 'SESSION_REVOKED');
    if (withPerson) this.sessionChecks.store(mark, claims.sub, claims.sid, row);
    return this.issuedAfterCutOff(claims, row);
  }

  /**
   * A token signed before the account's cut-off (a password reset) is refused even if its session
   * stands. `iat` has one-second granularity, so the cut-off is compared in whole seconds: a token
   * issued in the same second as a password reset is accepted here, and an older one from that
   * second is still refused because the reset revoked its session.
   */
  private issuedAfterCutOff(claims: AccessTokenClaims, row: Readonly<SessionCheckRow>): Readonly<SessionCheckRow> {
    if (typeof claims.iat !== 'number' || claims.iat < Math.floor(row.sessions_valid_after.getTime() / 1000)) {
      throw new UnauthenticatedError('Session has ended', 'SESSION_REVOKED');
    }
    return row;
  }

  /**
   * For long-lived users of a token (sockets): calls `onRevoked` with the id of each session
   * revoked from now on, right after its commit, and `onMaybeMissed` whenever announcements may
   * have been lost (when the watch connects, and again after it lost its connection) — then check
   * the sessions in hand with `endedSessions`. Holds a PostgreSQL connection of its own until stopped.
   */
  async watchRevocations(onRevoked: (sessionId: string) => void, onMaybeMissed: () => void): Promise<SessionRevocationWatch> {
    const listener = new PgChannelListener({
      databaseUrl: this.config.databaseUrl,
      channel: SESSION_REVOKED_CHANNEL,
      applicationName: 'civic-session-revocations',
      onNotify: (sessionId) => (sessionId ? onRevoked(sessionId) : onMaybeMissed()),
      logger: this.logger,
    });
    await listener.start();
    return { stop: () => listener.stop() };
  }

  /** Which of these sessions no longer stand: revoked, unknown, or their account deleted. One query. */
  async endedSessions(sessionIds: readonly string[]): Promise<string[]> {
    const ids = [...new Set(sessionIds)].filter((id) => UUID.test(id));
    if (ids.length === 0) return [];
    const rows: Array<{ id: string }> = await this.tx.manager.query(
      `SELECT t.id FROM unnest($1::uuid[]) AS t(id)
       WHERE NOT EXISTS (SELECT 1 FROM auth_sessions s JOIN users u ON u.id = s.user_id
                         WHERE s.id = t.id AND s.revoked_at IS NULL AND u.deleted_at IS NULL)`,
      [ids],
    );
    return rows.map((r) => r.id);
  }

  /** Revokes every open session of a person (password reset, account erasure), in the caller's transaction. */
  async revokeAllSessions(manager: EntityManager, userId: string, reason: SessionRevocationReason): Promise<void> {
    await manager.query(
      `UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, reason],
    );
  }

  private async revokeSession(manager: EntityManager, sessionId: string, reason: SessionRevocationReason): Promise<void> {
    await manager.query(`UPDATE auth_sessions SET revoked_at = now(), revoked_reason = $2 WHERE id = $1 AND revoked_at IS NULL`, [
      sessionId,
      reason,
    ]);
  }

  private async issueRefreshToken(manager: EntityManager, sessionId: string): Promise<string> {
    const { id, secret, token } = newRefreshToken();
    const expiresAt = new Date(Date.now() + this.config.refreshTokenTtlDays * 86400_000);
    await manager.insert(RefreshTokenEntity, { id, sessionId, tokenHash: sha256(secret), expiresAt });
    return token;
  }

  private async tokenPair(userId: string, sessionId: string, isPlatformAdmin: boolean, refreshToken: string): Promise<TokenPair> {
    const accessToken = await this.jwt.signAsync({ sub: userId, sid: sessionId, adm: isPlatformAdmin });
    return { accessToken, refreshToken, expiresIn: this.config.accessTokenTtlSeconds, tokenType: 'Bearer' };
  }
}

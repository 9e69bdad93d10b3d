import { Injectable } from '@nestjs/common';
import { AuthUser, DomainException, UnauthenticatedError } from '@app/common';
import { AccessTokenClaims, AuthService } from '@app/identity';
import { AccessTokenVerifier } from '../auth/access-token-verifier';

/**
 * Who opens a socket: nobody (no token: public topics only) or the holder of a valid access
 * token whose session still stands. A token that is present but bad or expired is refused —
 * never downgraded to an anonymous connection. Verifies the JWT itself rather than through
 * passport, whose strategy registry is global to the process.
 */
@Injectable()
export class HandshakeAuthenticator {
  constructor(
    private readonly auth: AuthService,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  /** The signed-in user and when their token expires (ms), or null for no token. */
  async authenticate(token: unknown): Promise<{ user: AuthUser; expiresAt: number } | null> {
    if (token === undefined || token === null || token === '') return null;
    if (typeof token !== 'string' || token.length > 4096) throw new UnauthenticatedError('The access token must be a string', 'INVALID_TOKEN');
    const raw = token.startsWith('Bearer ') ? token.slice(7) : token;
    let claims: AccessTokenClaims;
    try {
      claims = this.tokens.verify(raw);
    } catch (error) {
      if ((error as Error).name === 'TokenExpiredError') throw new UnauthenticatedError('Access token expired', 'TOKEN_EXPIRED');
      throw new UnauthenticatedError('Invalid access token', 'INVALID_TOKEN');
    }
    try {
      return { user: await this.auth.resolveAccessToken(claims), expiresAt: claims.exp * 1000 };
    } catch (error) {
      if (error instanceof DomainException) throw error;
      throw new UnauthenticatedError('Invalid access token', 'INVALID_TOKEN');
    }
  }
}

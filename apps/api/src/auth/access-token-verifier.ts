import { createSecretKey, KeyObject } from 'node:crypto';
import type { AccessTokenClaims } from '@app/identity';
import { JsonWebTokenError, TokenExpiredError, verify } from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';

const MAX_REMEMBERED = 10_000;

/**
 * Checks the signature and expiry of our access tokens (HS256). A client sends the same token
 * with every request until it refreshes, so a token whose signature was checked once is
 * remembered by its exact text, and only its expiry is checked again; a token is only ever
 * remembered after jsonwebtoken accepted it. Whether its session still stands is the identity
 * library's check, made on every use.
 */
export class AccessTokenVerifier {
  private readonly key: KeyObject;
  private readonly verified = new LRUCache<string, Readonly<AccessTokenClaims>>({ max: MAX_REMEMBERED });

  constructor(secret: string) {
    // A KeyObject made once: jsonwebtoken would otherwise build one from the string per call.
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  /** The token's claims; throws jsonwebtoken's TokenExpiredError or JsonWebTokenError. */
  verify(token: string): Readonly<AccessTokenClaims> {
    const known = this.verified.get(token);
    if (known) {
      // jsonwebtoken's own rule: expired from the second `exp` on.
      if (Math.floor(Date.now() / 1000) >= known.exp) {
        this.verified.delete(token);
        throw new TokenExpiredError('jwt expired', new Date(known.exp * 1000));
      }
      return known;
    }
    const claims = verify(token, this.key, { algorithms: ['HS256'] });
    if (typeof claims !== 'object' || typeof claims.exp !== 'number') throw new JsonWebTokenError('jwt has no expiry');
    const accepted = Object.freeze(claims as AccessTokenClaims);
    this.verified.set(token, accepted);
    return accepted;
  }
}

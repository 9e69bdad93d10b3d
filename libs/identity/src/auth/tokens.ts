import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';

/**
 * Secrets we hand out (refresh tokens, mailed links) are 32 random bytes in base64url; only their
 * sha256 is stored, so a database leak does not let anyone sign in or reset a password.
 */
const SECRET_BYTES = 32;
const SECRET_PATTERN = /^[A-Za-z0-9_-]{43}$/;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function generateSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export function sha256(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** Compares two hex digests in constant time. */
export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

export function isWellFormedSecret(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

export interface RefreshTokenParts {
  id: string;
  secret: string;
}

/** `<refreshTokenId>.<secret>`: the id finds the row in one indexed lookup, the secret proves possession. */
export function newRefreshToken(): RefreshTokenParts & { token: string } {
  const id = randomUUID();
  const secret = generateSecret();
  return { id, secret, token: `${id}.${secret}` };
}

/** Null when the token cannot be one of ours, so callers answer 401 without touching the database. */
export function parseRefreshToken(token: string): RefreshTokenParts | null {
  const dot = token.indexOf('.');
  if (dot < 0) return null;
  const id = token.slice(0, dot).toLowerCase();
  const secret = token.slice(dot + 1);
  if (!UUID_PATTERN.test(id) || !isWellFormedSecret(secret)) return null;
  return { id, secret };
}

/** `now` truncated to the second, the granularity of a JWT's `iat`. */
export function truncateToSecond(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

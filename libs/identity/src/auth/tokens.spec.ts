import { generateSecret, isWellFormedSecret, newRefreshToken, parseRefreshToken, sameHash, sha256, truncateToSecond } from './tokens';

describe('tokens', () => {
  it('generates 32-byte base64url secrets, different every time', () => {
    const a = generateSecret();
    const b = generateSecret();
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(a, 'base64url')).toHaveLength(32);
    expect(a).not.toBe(b);
    expect(isWellFormedSecret(a)).toBe(true);
  });

  it('hashes with sha256 (hex) and compares digests safely', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(sameHash(sha256('x'), sha256('x'))).toBe(true);
    expect(sameHash(sha256('x'), sha256('y'))).toBe(false);
    expect(sameHash(sha256('x'), 'abcd')).toBe(false);
    expect(sameHash('', '')).toBe(false);
  });

  it('builds refresh tokens as <uuid>.<secret> and parses them back', () => {
    const { id, secret, token } = newRefreshToken();
    expect(token).toBe(`${id}.${secret}`);
    expect(parseRefreshToken(token)).toEqual({ id, secret });
  });

  it.each([
    ['empty', ''],
    ['no dot', 'abc'],
    ['not a uuid', `not-a-uuid.${generateSecret()}`],
    ['short secret', '3f1c2a9e-5b7d-4c1e-9a2b-0c4d6e8f1a3b.short'],
    ['extra part', `3f1c2a9e-5b7d-4c1e-9a2b-0c4d6e8f1a3b.${generateSecret()}.x`],
    ['bad characters', `3f1c2a9e-5b7d-4c1e-9a2b-0c4d6e8f1a3b.${'+'.repeat(43)}`],
  ])('refuses a malformed refresh token (%s)', (_case, token) => {
    expect(parseRefreshToken(token)).toBeNull();
  });

  it('truncates instants to the second, like a JWT iat', () => {
    expect(truncateToSecond(new Date('2025-01-02T03:04:05.987Z')).toISOString()).toBe('2025-01-02T03:04:05.000Z');
  });
});

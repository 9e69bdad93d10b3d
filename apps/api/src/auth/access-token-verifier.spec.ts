import { randomUUID } from 'node:crypto';
import { sign } from 'jsonwebtoken';
import { AccessTokenVerifier } from './access-token-verifier';

const SECRET = 'a-test-secret-that-is-long-enough-0123456789';

function token(claims: Record<string, unknown>, secret = SECRET, expiresIn: number | null = 60): string {
  return sign({ sub: randomUUID(), sid: randomUUID(), ...claims }, secret, { algorithm: 'HS256', ...(expiresIn === null ? {} : { expiresIn }) });
}

describe('AccessTokenVerifier', () => {
  afterEach(() => jest.restoreAllMocks());

  it('accepts our token and answers the same claims when it comes again', () => {
    const verifier = new AccessTokenVerifier(SECRET);
    const raw = token({ adm: true });
    const first = verifier.verify(raw);
    expect(first).toMatchObject({ adm: true, exp: expect.any(Number), iat: expect.any(Number) });
    expect(verifier.verify(raw)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
  });

  it('refuses a remembered token from the second it expires', () => {
    const verifier = new AccessTokenVerifier(SECRET);
    const raw = token({}, SECRET, 30);
    const { exp } = verifier.verify(raw);
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000 - 1);
    expect(() => verifier.verify(raw)).not.toThrow();
    jest.spyOn(Date, 'now').mockReturnValue(exp * 1000);
    expect(() => verifier.verify(raw)).toThrow(expect.objectContaining({ name: 'TokenExpiredError' }));
  });

  it('refuses a token signed with another secret, a tampered one, an unsigned one and one without expiry', () => {
    const verifier = new AccessTokenVerifier(SECRET);
    const genuine = token({});
    verifier.verify(genuine);
    const [header, payload, signature] = genuine.split('.');
    const tampered = `${header}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload, 'base64url').toString()), adm: true })).toString('base64url')}.${signature}`;
    const unsigned = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    for (const bad of [token({}, 'another-secret-that-is-long-enough-9876543210'), tampered, unsigned, token({}, SECRET, null), 'not-a-jwt']) {
      expect(() => verifier.verify(bad)).toThrow(expect.objectContaining({ name: 'JsonWebTokenError' }));
    }
  });
});

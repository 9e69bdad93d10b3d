import { randomUUID } from 'node:crypto';
import { ALL_TYPES, UnsubscribeTokens } from './unsubscribe-token';

describe('UnsubscribeTokens', () => {
  const tokens = new UnsubscribeTokens('a'.repeat(64));
  const claim = { userId: randomUUID(), type: 'report.status_changed', channel: 'email' as const };

  it('round-trips a claim in a URL-safe token', () => {
    const token = tokens.sign(claim);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(tokens.verify(token)).toEqual(claim);
    expect(tokens.verify(tokens.sign({ ...claim, type: ALL_TYPES }))).toEqual({ ...claim, type: ALL_TYPES });
  });

  it('refuses a token signed with another secret, tampered, truncated or malformed', () => {
    const token = tokens.sign(claim);
    expect(new UnsubscribeTokens('b'.repeat(64)).verify(token)).toBeNull();
    const otherUser = tokens.sign({ ...claim, userId: randomUUID() });
    // Someone else's payload under this token's signature.
    expect(tokens.verify(token.slice(0, 43) + otherUser.slice(43))).toBeNull();
    expect(tokens.verify(token.slice(0, 50))).toBeNull();
    expect(tokens.verify('')).toBeNull();
    expect(tokens.verify('not a token!')).toBeNull();
    expect(tokens.verify('x'.repeat(600))).toBeNull();
  });
});

import { randomUUID } from 'node:crypto';
import { MailTokenSeal } from './mail-token-seal';
import { generateSecret } from './tokens';

describe('MailTokenSeal', () => {
  const seal = new MailTokenSeal('a-test-secret-of-at-least-32-characters!');
  const context = { userId: randomUUID(), purpose: 'reset_password' as const };

  it('opens what it sealed, and the sealed form does not contain the token', () => {
    const token = generateSecret();
    const sealed = seal.seal(token, context);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(token);
    expect(seal.open(sealed, context)).toBe(token);
  });

  it('seals the same token differently every time', () => {
    const token = generateSecret();
    expect(seal.seal(token, context)).not.toBe(seal.seal(token, context));
  });

  it('opens nothing for another person, another purpose or another secret', () => {
    const sealed = seal.seal(generateSecret(), context);
    expect(seal.open(sealed, { ...context, userId: randomUUID() })).toBeNull();
    expect(seal.open(sealed, { ...context, purpose: 'verify_email' })).toBeNull();
    expect(new MailTokenSeal('another-secret-of-at-least-32-characters').open(sealed, context)).toBeNull();
  });

  it('opens nothing altered, truncated or malformed', () => {
    const sealed = seal.seal(generateSecret(), context);
    const body = Buffer.from(sealed.slice(3), 'base64url');
    body[body.length - 20] ^= 1;
    expect(seal.open(`v1.${body.toString('base64url')}`, context)).toBeNull();
    expect(seal.open(sealed.slice(0, 30), context)).toBeNull();
    for (const bad of [undefined, null, 42, '', 'v1.', 'v2.' + sealed.slice(3), sealed.slice(3), 'v1.' + 'A'.repeat(600)]) {
      expect(seal.open(bad, context)).toBeNull();
    }
  });
});

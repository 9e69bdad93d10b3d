import { API_KEY_PREFIX, generateApiKey, hashApiKey } from './api-keys.service';

describe('Open311 API keys', () => {
  it('are 32 random bytes in base64url behind a recognisable prefix', () => {
    const key = generateApiKey();
    expect(key).toMatch(/^o311_[A-Za-z0-9_-]{43}$/);
    expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
    expect(Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    expect(generateApiKey()).not.toBe(key);
  });

  it('are stored as their SHA-256 only', () => {
    expect(hashApiKey('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hashApiKey('o311_abc')).not.toBe(hashApiKey('o311_abd'));
  });
});

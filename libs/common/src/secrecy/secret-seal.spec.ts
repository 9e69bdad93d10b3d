import { cryptoShuffle, SecretSeal } from './secret-seal';

describe('SecretSeal', () => {
  const seal = new SecretSeal('a secret of the app', { seal: 'test-seal-v1', lookup: 'test-lookup-v1' });

  it('opens what it sealed, in its scope only', () => {
    const sealed = seal.seal({ q1: 'yes' }, 'scope-a');
    expect(sealed).not.toContain('yes');
    expect(seal.open(sealed, 'scope-a')).toEqual({ q1: 'yes' });
    expect(() => seal.open(sealed, 'scope-b')).toThrow();
  });

  it('seals the same value differently each time (random IV)', () => {
    expect(seal.seal('x', 's')).not.toBe(seal.seal('x', 's'));
  });

  it('derives other keys for another purpose or secret', () => {
    const other = new SecretSeal('a secret of the app', { seal: 'other-seal-v1', lookup: 'other-lookup-v1' });
    expect(() => other.open(seal.seal('x', 's'), 's')).toThrow();
    expect(other.lookup('u', 's')).not.toBe(seal.lookup('u', 's'));
    expect(seal.lookup('u', 's')).toBe(seal.lookup('u', 's'));
    expect(new SecretSeal('another secret', { seal: 'test-seal-v1', lookup: 'test-lookup-v1' }).lookup('u', 's')).not.toBe(seal.lookup('u', 's'));
  });

  it('shuffles into a permutation', () => {
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect([...cryptoShuffle([...items])].sort((a, b) => a - b)).toEqual(items);
  });
});

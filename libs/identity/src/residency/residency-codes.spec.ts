import { createHash } from 'node:crypto';
import {
  formatResidencyCode,
  generateResidencyCode,
  hashResidencyCode,
  normalizeResidencyCode,
  RESIDENCY_CODE_ALPHABET,
  RESIDENCY_CODE_LENGTH,
} from './residency-codes';

describe('residency codes', () => {
  it('uses an alphabet without look-alikes (0/O, 1/I/L)', () => {
    for (const ambiguous of ['0', 'O', '1', 'I', 'L']) expect(RESIDENCY_CODE_ALPHABET).not.toContain(ambiguous);
    expect(new Set(RESIDENCY_CODE_ALPHABET).size).toBe(RESIDENCY_CODE_ALPHABET.length);
  });

  it('generates 12 characters of the alphabet grouped XXXX-XXXX-XXXX', () => {
    const shape = new RegExp(`^[${RESIDENCY_CODE_ALPHABET}]{4}-[${RESIDENCY_CODE_ALPHABET}]{4}-[${RESIDENCY_CODE_ALPHABET}]{4}$`);
    for (let i = 0; i < 200; i++) expect(generateResidencyCode()).toMatch(shape);
  });

  it('does not repeat itself and spreads over the whole alphabet', () => {
    const codes = Array.from({ length: 2000 }, generateResidencyCode);
    expect(new Set(codes).size).toBe(codes.length);
    const seen = new Set(codes.join('').replace(/-/g, ''));
    expect(seen.size).toBe(RESIDENCY_CODE_ALPHABET.length);
  });

  it('normalises case, dashes and spaces to the 12 bare characters', () => {
    const code = generateResidencyCode();
    const bare = code.replace(/-/g, '');
    expect(normalizeResidencyCode(code)).toBe(bare);
    expect(normalizeResidencyCode(code.toLowerCase())).toBe(bare);
    expect(normalizeResidencyCode(` ${bare.slice(0, 4)} ${bare.slice(4, 8)}  ${bare.slice(8)}\t`)).toBe(bare);
    expect(normalizeResidencyCode(`${bare.slice(0, 6)}–${bare.slice(6)}`)).toBe(bare);
    expect(normalizeResidencyCode(bare)).toBe(bare);
  });

  it.each([
    ['too short', 'ABCD-EFGH-JKM'],
    ['too long', 'ABCD-EFGH-JKMN-P'],
    ['with an ambiguous character', 'ABCD-EFGH-JKM0'],
    ['with an I', 'ABCD-EFGH-JKMI'],
    ['with punctuation', 'ABCD.EFGH.JKMN'],
    ['empty', ''],
    ['non-Latin', 'АВСD-EFGH-JKMN'],
  ])('refuses input that cannot be a code: %s', (_why, input) => {
    expect(normalizeResidencyCode(input)).toBeNull();
  });

  it('groups a normalised code for display', () => {
    expect(formatResidencyCode('ABCDEFGHJKMN')).toBe('ABCD-EFGH-JKMN');
    expect(RESIDENCY_CODE_LENGTH).toBe(12);
  });

  it('stores the sha256 of the normalised code, the same whichever way it was typed', () => {
    const code = generateResidencyCode();
    const expected = createHash('sha256').update(code.replace(/-/g, '')).digest('hex');
    expect(hashResidencyCode(normalizeResidencyCode(code)!)).toBe(expected);
    expect(hashResidencyCode(normalizeResidencyCode(code.toLowerCase().replace(/-/g, ' '))!)).toBe(expected);
    expect(expected).not.toContain(code.replace(/-/g, ''));
  });
});

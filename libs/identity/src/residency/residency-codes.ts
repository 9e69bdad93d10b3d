import { createHash, randomInt } from 'node:crypto';

/** No 0/O, 1/I/L: codes are typed from paper, so nothing that reads as something else. */
export const RESIDENCY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
export const RESIDENCY_CODE_LENGTH = 12;
const GROUP = 4;
const CODE_SHAPE = new RegExp(`^[${RESIDENCY_CODE_ALPHABET}]{${RESIDENCY_CODE_LENGTH}}$`);

/** A fresh code, XXXX-XXXX-XXXX, from crypto randomness (31^12 ≈ 2^59 possibilities). */
export function generateResidencyCode(): string {
  let raw = '';
  // randomInt draws without modulo bias.
  for (let i = 0; i < RESIDENCY_CODE_LENGTH; i++) raw += RESIDENCY_CODE_ALPHABET[randomInt(RESIDENCY_CODE_ALPHABET.length)];
  return formatResidencyCode(raw);
}

export function formatResidencyCode(normalized: string): string {
  return normalized.match(new RegExp(`.{1,${GROUP}}`, 'g'))!.join('-');
}

/**
 * What a person typed, as stored: upper-cased, without dashes and white space. Null when it
 * cannot be a code at all (wrong length or characters outside the alphabet).
 */
export function normalizeResidencyCode(input: string): string | null {
  const normalized = input.toUpperCase().replace(/[\s\-\u2010-\u2015]/g, '');
  return CODE_SHAPE.test(normalized) ? normalized : null;
}

/** Only this is stored: the code is shown once, at generation. */
export function hashResidencyCode(normalized: string): string {
  return createHash('sha256').update(normalized, 'utf8').digest('hex');
}

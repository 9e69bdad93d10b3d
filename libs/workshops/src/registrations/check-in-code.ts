import { randomInt } from 'node:crypto';

// No 0/O, 1/I/L: read aloud or typed at the door without mistakes.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/**
 * A registration's door code: 8 characters, about 40 bits. Unique per session by constraint; at
 * thousands of people per session a collision is one in millions, and fails the request cleanly.
 */
export function newCheckInCode(): string {
  let code = '';
  for (let i = 0; i < 8; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** What people type: case and separators do not matter. */
export function normalizeCode(input: string): string {
  return input.toUpperCase().replace(/[^A-Z0-9]/g, '');
}

import { ValidationError } from '../errors/domain.exception';

/**
 * Opaque keyset cursors: the client hands back what we gave it and never learns (or depends on)
 * what is inside. Tampered or foreign cursors are a 400 naming `cursor`, never a 500: every value
 * is checked against the SQL type it will be cast to before it reaches PostgreSQL.
 */
export function encodeCursor(values: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The PostgreSQL types cursor values are cast to. */
export type CursorValueType = 'timestamptz' | 'uuid' | 'smallint' | 'integer' | 'text';

export const invalidCursor = (): ValidationError =>
  new ValidationError('Invalid cursor', [{ field: 'cursor', code: 'INVALID_CURSOR', message: 'cursor is invalid' }]);

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// PostgreSQL's own text (`2026-03-01 10:00:00.123456+00`) or ISO 8601 (`2026-03-01T10:00:00.123456Z`).
const TIMESTAMP_SHAPE = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?(Z|[+-]\d{2}(:?\d{2})?)$/;
const SMALLINT_MAX = 32767;
const INTEGER_MAX = 2147483647;
/** NUL and lone surrogates: PostgreSQL refuses them in text, so they would be a 500. */
const UNSAFE_TEXT = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** A real instant PostgreSQL takes: February 31st, hour 25 or year 0 are not (JavaScript would roll them over). */
export function isCursorTimestamp(value: string): boolean {
  const m = TIMESTAMP_SHAPE.exec(value);
  if (!m) return false;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number);
  if (year < 1 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return false;
  const date = new Date(Date.UTC(year, month - 1, day));
  date.setUTCFullYear(year); // Date.UTC reads years 0-99 as 1900-1999
  return date.getUTCDate() === day && date.getUTCMonth() === month - 1;
}

function fits(value: string, type: CursorValueType): boolean {
  switch (type) {
    case 'timestamptz':
      return isCursorTimestamp(value);
    case 'uuid':
      return UUID_SHAPE.test(value);
    case 'smallint':
    case 'integer':
      return /^-?\d{1,10}$/.test(value) && Math.abs(Number(value)) <= (type === 'smallint' ? SMALLINT_MAX : INTEGER_MAX);
    case 'text':
      return true;
  }
}

/**
 * Decodes a cursor into its `keys`, each checked against its SQL type in `types` (unlisted keys
 * are text). Any value with a NUL or a lone surrogate is refused whatever its type.
 */
export function decodeCursor<K extends string>(cursor: string, keys: readonly K[], types: Partial<Record<K, CursorValueType>> = {}): Record<K, string> {
  if (cursor.length > 512) throw invalidCursor();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalidCursor();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalidCursor();
  const out = {} as Record<K, string>;
  for (const key of keys) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value !== 'string' && typeof value !== 'number') throw invalidCursor();
    const text = String(value);
    if (UNSAFE_TEXT.test(text) || !fits(text, types[key] ?? 'text')) throw invalidCursor();
    out[key] = text;
  }
  return out;
}

export interface Page<T> {
  /** This page's items, in the list's order. */
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

import { ValidationError } from '../errors/domain.exception';

/**
 * Opaque keyset cursors: the client hands back what we gave it and never learns (or depends on)
 * what is inside. Tampered or foreign cursors are a 400, never a 500.
 */
export function encodeCursor(values: Record<string, string | number>): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor<K extends string>(cursor: string, keys: readonly K[]): Record<K, string> {
  const invalid = () => new ValidationError('Invalid cursor', [{ field: 'cursor', code: 'INVALID_CURSOR', message: 'cursor is invalid' }]);
  if (cursor.length > 512) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const out = {} as Record<K, string>;
  for (const key of keys) {
    const value = (parsed as Record<string, unknown>)[key];
    if (typeof value !== 'string' && typeof value !== 'number') throw invalid();
    out[key] = String(value);
  }
  return out;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: string | null;
}

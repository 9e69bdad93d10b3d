import { decodeCursor, encodeCursor, invalidCursor } from './cursor';

/**
 * Keyset cursors on (time, id). PostgreSQL keeps microseconds and a JS Date only milliseconds,
 * so the time travels as PostgreSQL's own text (UTC, 6 decimals): rows written in the same
 * millisecond are neither skipped nor repeated.
 */
export const cursorAtSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const AT_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;

export interface TimeKey {
  at: string;
  id: string;
}

export function encodeTimeCursor(key: TimeKey): string {
  return encodeCursor({ at: key.at, id: key.id });
}

/** A cursor we did not make (or made for another list shape) is a 400, never a SQL error. */
export function decodeTimeCursor(cursor: string): TimeKey {
  const { at, id } = decodeCursor(cursor, ['at', 'id'] as const, { at: 'timestamptz', id: 'uuid' });
  if (!AT_SHAPE.test(at)) throw invalidCursor();
  return { at, id };
}

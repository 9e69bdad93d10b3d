import { decodeCursor, encodeCursor, ValidationError } from '@app/common';

/**
 * Keyset cursors on (created_at, id). PostgreSQL keeps microseconds and a JS Date only
 * milliseconds, so the timestamp travels as PostgreSQL's own text (UTC, 6 decimals): rows
 * written in the same millisecond are neither skipped nor repeated.
 */
export const cursorAtSql = (column: string): string => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

const AT_SHAPE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface TimeKey {
  at: string;
  id: string;
}

export function encodeTimeCursor(key: TimeKey): string {
  return encodeCursor({ at: key.at, id: key.id });
}

/** A cursor we did not make (or made for another list shape) is a 400, never a SQL error. */
export function decodeTimeCursor(cursor: string): TimeKey {
  const { at, id } = decodeCursor(cursor, ['at', 'id'] as const);
  if (!AT_SHAPE.test(at) || !UUID_SHAPE.test(id) || Number.isNaN(Date.parse(at))) {
    throw new ValidationError('Invalid cursor', [{ field: 'cursor', messages: ['cursor is invalid'] }]);
  }
  return { at, id };
}

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError('Invalid limit', [{ field: 'limit', messages: [`limit must be between 1 and ${MAX_PAGE_SIZE}`] }]);
  }
  return limit;
}

export interface PageRequest {
  cursor?: string;
  limit?: number;
}

/**
 * Text people type (comments, notes): line breaks and tabs allowed, other control characters
 * refused (PostgreSQL rejects NUL in text, and the rest only ever hides things).
 */
export const NO_CONTROL_CHARACTERS_EXCEPT_LINES = /^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/;

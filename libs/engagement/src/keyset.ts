import { MAX_PAGE_SIZE, DEFAULT_PAGE_SIZE, ValidationError } from '@app/common';

export { cursorAtSql, decodeTimeCursor, encodeTimeCursor } from '@app/common';
export type { TimeKey } from '@app/common';


export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE_SIZE) {
    throw new ValidationError('Invalid limit', [{ field: 'limit', code: 'MAX', message: `limit must be between 1 and ${MAX_PAGE_SIZE}`, params: { max: MAX_PAGE_SIZE } }]);
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

// Keyset helpers shared by every library live in @app/common.
export { cursorAtSql, decodeTimeCursor, DEFAULT_PAGE_SIZE, encodeTimeCursor, MAX_PAGE_SIZE } from '@app/common';
export type { TimeKey } from '@app/common';

import { decodeCursor, encodeCursor, isCursorTimestamp } from './cursor';
import { decodeTimeCursor, encodeTimeCursor } from './time-cursor';

const forged = (values: Record<string, unknown>) => Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
const ID = '0b6f3c2e-8a4d-4f7e-9c1b-2d3e4f5a6b7c';

describe('keyset cursors', () => {
  it('round-trips what it encoded', () => {
    expect(decodeCursor(encodeCursor({ t: '2026-03-01 10:00:00.123456+00', id: ID }), ['t', 'id'], { t: 'timestamptz', id: 'uuid' })).toEqual({
      t: '2026-03-01 10:00:00.123456+00',
      id: ID,
    });
    expect(decodeTimeCursor(encodeTimeCursor({ at: '2026-03-01T10:00:00.123456Z', id: ID }))).toEqual({ at: '2026-03-01T10:00:00.123456Z', id: ID });
  });

  it.each([
    ['February 31st', '2026-02-31 10:00:00+00'],
    ['month 13', '2026-13-01 10:00:00+00'],
    ['hour 25', '2026-03-01 25:00:00+00'],
    ['year 0', '0000-01-01 00:00:00+00'],
    ['not a date', 'yesterday'],
    ['no zone', '2026-03-01 10:00:00'],
  ])('refuses a forged cursor whose date is %s, naming cursor', (_case, t) => {
    expect(() => decodeCursor(forged({ t, id: ID }), ['t', 'id'], { t: 'timestamptz', id: 'uuid' })).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', fieldErrors: [expect.objectContaining({ field: 'cursor', code: 'INVALID_CURSOR' })] }),
    );
  });

  it('refuses bad uuids, out-of-range integers, NUL and lone surrogates in any value', () => {
    const bad = [
      forged({ t: '2026-03-01 10:00:00+00', id: 'nope' }),
      forged({ t: '2026-03-01 10:00:00+00', id: ID, n: '99999' }),
      forged({ t: '2026-03-01 10:00:00+00', id: ID, n: '1', name: 'a\u0000b' }),
      forged({ t: '2026-03-01 10:00:00+00', id: ID, n: '1', name: 'a\uD800b' }),
      'not base64 json at all',
      forged({ t: null, id: ID }),
    ];
    for (const cursor of bad) {
      expect(() => decodeCursor(cursor, ['t', 'id', 'n', 'name'], { t: 'timestamptz', id: 'uuid', n: 'smallint' })).toThrow(
        expect.objectContaining({ fieldErrors: [expect.objectContaining({ field: 'cursor' })] }),
      );
    }
  });

  it('knows real instants from rolled-over ones', () => {
    expect(isCursorTimestamp('2024-02-29T23:59:59.999999Z')).toBe(true);
    expect(isCursorTimestamp('2023-02-29T00:00:00Z')).toBe(false);
    expect(isCursorTimestamp('2026-12-05 23:49:33.123456+01:00')).toBe(true);
  });
});

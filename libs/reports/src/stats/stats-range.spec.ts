import { MAX_STATS_DAYS, resolveRange } from './stats-range';

describe('resolveRange', () => {
  const now = new Date('2026-06-30T12:00:00Z');

  it('defaults to the last 30 days', () => {
    expect(resolveRange(undefined, undefined, now)).toEqual({ from: new Date('2026-05-31T12:00:00Z'), to: now });
  });

  it('takes either end alone', () => {
    expect(resolveRange('2026-06-01', undefined, now)).toEqual({ from: new Date('2026-06-01T00:00:00Z'), to: now });
    expect(resolveRange(undefined, '2026-06-01T00:00:00Z', now).from).toEqual(new Date('2026-05-02T00:00:00Z'));
  });

  it('refuses an empty, inverted or too long range with a 400', () => {
    expect(() => resolveRange('2026-06-01', '2026-06-01', now)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED', kind: 'invalid' }));
    expect(() => resolveRange('2026-06-02', '2026-06-01', now)).toThrow('Invalid range');
    expect(() => resolveRange('2020-01-01', '2026-01-01', now)).toThrow(`Range too long`);
    expect(MAX_STATS_DAYS).toBeGreaterThanOrEqual(730);
  });
});

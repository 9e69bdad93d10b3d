import { nextDigestAt } from './digest-time';

describe('nextDigestAt', () => {
  it('is today at the hour when it is still ahead, in the municipality time zone', () => {
    // 05:30 in Paris (UTC+1 in winter) → 08:00 Paris = 07:00 UTC.
    expect(nextDigestAt(new Date('2026-01-15T04:30:00Z'), 'Europe/Paris', 8).toISOString()).toBe('2026-01-15T07:00:00.000Z');
  });

  it('is tomorrow once the hour has passed', () => {
    expect(nextDigestAt(new Date('2026-01-15T07:00:00Z'), 'Europe/Paris', 8).toISOString()).toBe('2026-01-16T07:00:00.000Z');
    expect(nextDigestAt(new Date('2026-01-15T12:00:00Z'), 'Europe/Paris', 8).toISOString()).toBe('2026-01-16T07:00:00.000Z');
  });

  it('follows daylight saving time', () => {
    // Summer: Paris is UTC+2, so 08:00 local is 06:00 UTC.
    expect(nextDigestAt(new Date('2026-07-01T03:00:00Z'), 'Europe/Paris', 8).toISOString()).toBe('2026-07-01T06:00:00.000Z');
    // The night of the spring change (29 March 2026), the next 08:00 is already UTC+2.
    expect(nextDigestAt(new Date('2026-03-28T12:00:00Z'), 'Europe/Paris', 8).toISOString()).toBe('2026-03-29T06:00:00.000Z');
  });

  it('works in other zones and falls back to UTC for an unknown zone', () => {
    expect(nextDigestAt(new Date('2026-01-15T04:30:00Z'), 'America/Montreal', 8).toISOString()).toBe('2026-01-15T13:00:00.000Z');
    expect(nextDigestAt(new Date('2026-01-15T04:30:00Z'), 'Not/AZone', 8).toISOString()).toBe('2026-01-15T08:00:00.000Z');
  });
});

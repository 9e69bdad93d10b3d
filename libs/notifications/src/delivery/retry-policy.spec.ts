import { cappedBackoffMs, DELIVERY_JOB_ATTEMPTS, retryWindowPassed } from './retry-policy';

const HOUR = 3_600_000;
const CAP = 15 * 60_000;

describe('delivery retry policy', () => {
  it('doubles from one second and stays at the cap', () => {
    expect([1, 2, 3, 4, 5].map((n) => cappedBackoffMs(n, CAP))).toEqual([1000, 2000, 4000, 8000, 16000]);
    expect(cappedBackoffMs(10, CAP)).toBe(512_000);
    expect(cappedBackoffMs(11, CAP)).toBe(CAP);
    expect(cappedBackoffMs(5000, CAP)).toBe(CAP);
    expect(cappedBackoffMs(0, CAP)).toBe(1000);
  });

  it('keeps retrying for the whole 48 h window with the time driven explicitly', () => {
    const created = new Date('2026-12-01T08:00:00Z');
    // Walk a 48 h outage attempt by attempt on an explicit clock.
    let now = created.getTime();
    let attempts = 0;
    while (!retryWindowPassed(created, new Date(now), 48 * HOUR)) {
      attempts++;
      now += cappedBackoffMs(attempts, CAP);
    }
    // Far more than the 10 attempts that used to give up after ~8.5 minutes, and far fewer than the ceiling.
    expect(attempts).toBeGreaterThan(195);
    expect(attempts).toBeLessThan(205);
    expect(attempts).toBeLessThan(DELIVERY_JOB_ATTEMPTS);
    expect(now - created.getTime()).toBeGreaterThanOrEqual(48 * HOUR);
    expect(now - created.getTime()).toBeLessThan(48 * HOUR + CAP);
  });

  it('gives up only once the window has passed', () => {
    const created = new Date('2026-12-01T08:00:00Z');
    expect(retryWindowPassed(created, new Date('2026-12-03T07:59:59Z'), 48 * HOUR)).toBe(false);
    expect(retryWindowPassed(created, new Date('2026-12-03T08:00:00Z'), 48 * HOUR)).toBe(true);
  });
});

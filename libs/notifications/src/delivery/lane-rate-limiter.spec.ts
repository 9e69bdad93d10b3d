import { AppConfig, loadConfig } from '@app/common';
import { LaneRateLimiter } from './lane-rate-limiter';

describe('NOTIFICATION_RATE_LIMITS', () => {
  it('parses <lane>.<channel>=<per second>, defaults to the bulk lane at 200/s, and "none" turns them off', () => {
    expect(loadConfig({}).notifications.rateLimits).toEqual({ 'bulk.email': 200, 'bulk.push': 200 });
    expect(loadConfig({ NOTIFICATION_RATE_LIMITS: 'bulk.email=20, personal.push=5' }).notifications.rateLimits).toEqual({ 'bulk.email': 20, 'personal.push': 5 });
    expect(loadConfig({ NOTIFICATION_RATE_LIMITS: 'none' }).notifications.rateLimits).toEqual({});
  });

  it.each(['bulk.sms=5', 'transactional.email=5', 'bulk.email=0', 'bulk.email=fast', 'bulk.email'])('refuses %s at start', (value) => {
    expect(() => loadConfig({ NOTIFICATION_RATE_LIMITS: value })).toThrow(/NOTIFICATION_RATE_LIMITS/);
  });
});

describe('LaneRateLimiter', () => {
  beforeEach(() => jest.useFakeTimers({ now: new Date('2026-12-06T10:00:00Z') }));
  afterEach(() => jest.useRealTimers());

  const limiter = (rateLimits: Record<string, number>) => new LaneRateLimiter({ notifications: { rateLimits } } as unknown as AppConfig);

  it('spaces the sends of a limited lane and channel evenly, and leaves the others alone', async () => {
    const l = limiter({ 'bulk.email': 10 });
    const done: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 3; i++) void l.take('bulk', 'email').then(() => done.push(Date.now() - start));
    // Not limited: personal mail, bulk push.
    await l.take('personal', 'email');
    await l.take('bulk', 'push');
    await jest.advanceTimersByTimeAsync(0);
    expect(done).toEqual([0]);
    await jest.advanceTimersByTimeAsync(100);
    expect(done).toEqual([0, 100]);
    await jest.advanceTimersByTimeAsync(100);
    expect(done).toEqual([0, 100, 200]);
  });
});

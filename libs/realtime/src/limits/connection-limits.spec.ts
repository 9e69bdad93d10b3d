import { ConnectionRateLimiter } from './connection-limits';

describe('ConnectionRateLimiter', () => {
  it('lets a burst through, then refuses until tokens come back', () => {
    const limiter = new ConnectionRateLimiter(20, 20, 20, 0);
    for (let i = 0; i < 20; i++) expect(limiter.take(0)).toBe('ok');
    expect(limiter.take(0)).toBe('refused');
    // 50 ms at 20/s brings back one token.
    expect(limiter.take(50)).toBe('ok');
    expect(limiter.take(50)).toBe('refused');
  });

  it('never limits a client that stays at the sustained rate', () => {
    const limiter = new ConnectionRateLimiter(20, 20, 20, 0);
    for (let t = 0; t < 60_000; t += 50) expect(limiter.take(t)).toBe('ok');
  });

  it('calls a client abusive once it keeps sending well over the rate', () => {
    const limiter = new ConnectionRateLimiter(20, 20, 20, 0);
    const verdicts: string[] = [];
    // 200 messages per second: 20 pass from the burst, then about 1 in 10.
    for (let i = 0; i < 200; i++) verdicts.push(limiter.take(i * 5));
    expect(verdicts).toContain('abusive');
    const firstAbusive = verdicts.indexOf('abusive');
    expect(firstAbusive).toBeGreaterThan(20);
    expect(firstAbusive).toBeLessThan(60);
  });

  it('forgives a short overrun once the client slows down', () => {
    const limiter = new ConnectionRateLimiter(20, 20, 20, 0);
    for (let i = 0; i < 30; i++) limiter.take(0); // 20 ok, 10 refused: debt 10
    // One quiet second drains the debt and refills the bucket.
    for (let i = 0; i < 30; i++) expect(limiter.take(1000 + i)).not.toBe('abusive');
  });

  it('does not go wrong when the clock steps back', () => {
    const limiter = new ConnectionRateLimiter(20, 20, 20, 1000);
    expect(limiter.take(500)).toBe('ok');
  });
});

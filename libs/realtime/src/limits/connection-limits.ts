/**
 * Per-connection limits of the live channel. A client above them is refused (ack error) and,
 * if it keeps going, disconnected; other connections are never slowed by it.
 */
export const CONNECTION_LIMITS = {
  /** Topics one connection may listen to at once (its own `user:{id}` included). */
  maxSubscriptions: 50,
  /** Sustained messages per second from a client, and the burst it may send at once. */
  messagesPerSecond: 20,
  burst: 20,
  /**
   * Refused messages a client may accumulate (they drain at `messagesPerSecond`) before it is
   * disconnected: a client that keeps sending at twice the rate for a second or so is abusive,
   * one that bursts a little over is merely told to slow down.
   */
  maxDebt: 20,
  /** Largest message a client may send (socket.io `maxHttpBufferSize`); above it the connection is closed. */
  maxPayloadBytes: 16 * 1024,
  /**
   * Library commands refused as bad input (malformed, forbidden, unknown ids — not conflicts,
   * which honest clients meet in a crowded room): a connection may collect this many, forgiven
   * at `refusalsForgivenPerSecond`, before it is disconnected as abusive.
   */
  maxRefusals: 30,
  refusalsForgivenPerSecond: 0.5,
} as const;

export type LimiterVerdict = 'ok' | 'refused' | 'abusive';

/**
 * A token bucket per connection, plus a debt bucket of refused messages. Plain state on the
 * socket, synchronous and timer-free (both buckets are refilled lazily from the clock), so an
 * idle connection costs a few numbers.
 */
export class ConnectionRateLimiter {
  private tokens: number;
  private debt = 0;
  private last: number;

  constructor(
    private readonly ratePerSecond: number = CONNECTION_LIMITS.messagesPerSecond,
    private readonly burst: number = CONNECTION_LIMITS.burst,
    private readonly maxDebt: number = CONNECTION_LIMITS.maxDebt,
    now: number = Date.now(),
  ) {
    this.tokens = burst;
    this.last = now;
  }

  take(now: number = Date.now()): LimiterVerdict {
    const elapsed = Math.max(0, now - this.last) / 1000;
    this.last = now;
    const refill = elapsed * this.ratePerSecond;
    this.tokens = Math.min(this.burst, this.tokens + refill);
    this.debt = Math.max(0, this.debt - refill);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 'ok';
    }
    this.debt += 1;
    return this.debt > this.maxDebt ? 'abusive' : 'refused';
  }
}

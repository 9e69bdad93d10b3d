/**
 * How long and how often a delivery that the mail relay (or a push service) refuses is tried
 * again. A town's relay can be down for hours: a fixed number of attempts (10 from 1 s gave up
 * after ~8.5 minutes) loses mail, so what ends the retries is time, not a count. The delivery row
 * stays 'pending' in PostgreSQL the whole time (the sweeper replaces a job Redis loses), and
 * only once the window has passed is it marked 'failed' for the admins.
 */

/** BullMQ backoff type name of delivery jobs (the worker's backoffStrategy computes it). */
export const DELIVERY_BACKOFF = 'capped-exponential';
/** The first retry waits this long; each next one twice as long, up to the cap. */
export const DELIVERY_RETRY_BASE_MS = 1000;
/**
 * Attempts are not what ends the retries (the window is), but BullMQ wants a number: more than
 * 48 h at any cap ≥ 100 ms would ever use, so it never binds before the window does.
 */
export const DELIVERY_JOB_ATTEMPTS = 2_000_000;

/** The wait before retry number `attemptsMade` (1 = after the first failure). */
export function cappedBackoffMs(attemptsMade: number, maxDelayMs: number, baseMs = DELIVERY_RETRY_BASE_MS): number {
  const exponent = Math.max(0, attemptsMade - 1);
  // 2^31 ms is 24 days, beyond any cap: stop doubling before the number grows silly.
  if (exponent >= 31) return maxDelayMs;
  return Math.min(baseMs * 2 ** exponent, maxDelayMs);
}

/** True when a delivery created at `createdAt` should not be tried again at `now`. */
export function retryWindowPassed(createdAt: Date, now: Date, windowMs: number): boolean {
  return now.getTime() - createdAt.getTime() >= windowMs;
}

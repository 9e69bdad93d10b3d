import { Logger } from '@nestjs/common';

/**
 * One log line when a send channel (the SMTP relay) starts failing and one when it works again —
 * not one per attempt, which during a long outage would be thousands of lines a minute. Each
 * worker process tracks its own view; with several workers, each says it once.
 */
export class OutageLog {
  private since: number | null = null;
  private failures = 0;

  constructor(
    private readonly logger: Pick<Logger, 'warn' | 'log'>,
    private readonly what: string,
    private readonly retryNote: string,
    private readonly now: () => number = Date.now,
  ) {}

  get ongoing(): boolean {
    return this.since !== null;
  }

  failed(error: Error): void {
    this.failures++;
    if (this.since !== null) return;
    this.since = this.now();
    this.logger.warn(`${this.what} is failing (${error.message}); ${this.retryNote}`);
  }

  succeeded(): void {
    if (this.since === null) return;
    const minutes = Math.max(1, Math.round((this.now() - this.since) / 60_000));
    this.logger.log(`${this.what} works again after about ${minutes} min; ${this.failures} send(s) failed and are being retried`);
    this.since = null;
    this.failures = 0;
  }
}

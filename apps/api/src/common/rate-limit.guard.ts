import { ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { ThrottlerLimitDetail } from '@nestjs/throttler/dist/throttler.guard.interface';
import { TooManyRequestsError } from '@app/common';

/**
 * The throttler guard, answering like every other refusal: our error body (RATE_LIMITED) and
 * the standard Retry-After header. @nestjs/throttler names the header after the throttler
 * (`Retry-After-auth` for the sign-in limiter), which clients and proxies do not know.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override setResponseHeader(res: unknown, name: string, value: string | number): void {
    // The filter sets Retry-After from the exception; the per-throttler copy is dropped.
    if (name.startsWith('Retry-After')) return;
    super.setResponseHeader(res as never, name, value);
  }

  protected override async throwThrottlingException(_context: ExecutionContext, detail: ThrottlerLimitDetail): Promise<void> {
    throw new TooManyRequestsError('Too many requests, slow down', detail.timeToBlockExpire, 'RATE_LIMITED');
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, REDIS } from '@app/common';
import Redis from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { TooManyLoginAttemptsError } from './auth.errors';
import { sha256 } from './tokens';

/**
 * Counts failed sign-ins per account and per IP in Redis, shared by every API instance. An attempt
 * takes a point *before* the password is checked, so parallel guesses cannot slip past the limit;
 * a success gives it back (per IP) or clears the account's count.
 */
@Injectable()
export class LoginAttemptsService {
  private readonly logger = new Logger(LoginAttemptsService.name);
  private readonly perAccount: RateLimiterRedis;
  private readonly perIp: RateLimiterRedis;

  constructor(@Inject(APP_CONFIG) config: AppConfig, @Inject(REDIS) redis: Redis) {
    const { perAccount, perIp, windowSeconds } = config.loginLockout;
    this.perAccount = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.queuePrefix}:login-failures:account`,
      points: perAccount,
      duration: windowSeconds,
    });
    this.perIp = new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${config.queuePrefix}:login-failures:ip`,
      points: perIp,
      duration: windowSeconds,
    });
  }

  /** Takes one attempt for this account and IP; throws 429 while either is locked. */
  async begin(email: string, ip: string | undefined): Promise<void> {
    const results = await Promise.allSettled([
      this.perAccount.consume(accountKey(email)),
      ...(ip ? [this.perIp.consume(ip)] : []),
    ]);
    let waitMs = 0;
    for (const result of results) {
      if (result.status === 'fulfilled') continue;
      if (result.reason instanceof RateLimiterRes) {
        waitMs = Math.max(waitMs, result.reason.msBeforeNext);
      } else {
        // Redis away: let people sign in rather than lock everyone out; readiness reports it.
        this.logger.warn({ err: result.reason }, 'Login lockout unavailable');
      }
    }
    if (waitMs > 0) throw new TooManyLoginAttemptsError(waitMs / 1000);
  }

  /** The attempt was right: the account starts afresh and the IP gets its point back. */
  async succeeded(email: string, ip: string | undefined): Promise<void> {
    await Promise.allSettled([this.perAccount.delete(accountKey(email)), ...(ip ? [this.perIp.reward(ip)] : [])]);
  }

  /** After a password reset the owner proved who they are: lift the account's lock. */
  async clearAccount(email: string): Promise<void> {
    await this.perAccount.delete(accountKey(email)).catch((err: unknown) => this.logger.warn({ err }, 'Could not clear login lockout'));
  }
}

// Hashed so Redis never holds email addresses.
function accountKey(email: string): string {
  return sha256(email);
}

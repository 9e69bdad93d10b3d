import { Global, Inject, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

/** Injection token of the shared ioredis client (rate limits, lockouts, health). */
export const REDIS = Symbol('REDIS');

const logger = new Logger('Redis');

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const redis = new Redis(config.redisUrl, {
          // Fail a command fast when Redis is away instead of queueing it forever:
          // PostgreSQL, not Redis, is where nothing may be lost.
          maxRetriesPerRequest: 1,
          enableOfflineQueue: true,
          lazyConnect: false,
        });
        // ioredis reconnects by itself; without a listener an outage floods stderr.
        let lastLogged = 0;
        redis.on('error', (error: Error) => {
          if (Date.now() - lastLogged < 10_000) return;
          lastLogged = Date.now();
          logger.warn(`Redis unavailable: ${error.message}`);
        });
        return redis;
      },
    },
  ],
  exports: [REDIS],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

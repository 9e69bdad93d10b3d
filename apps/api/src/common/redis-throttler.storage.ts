import { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';
import Redis from 'ioredis';

// Hits and block in one round trip, atomically, so every API instance shares one count.
// (@nest-lab/throttler-storage-redis does not yet declare NestJS 12 as a peer.)
const INCREMENT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
local ttl = redis.call('PTTL', KEYS[1])
local blockTtl = redis.call('PTTL', KEYS[2])
if blockTtl <= 0 and hits > tonumber(ARGV[2]) and tonumber(ARGV[3]) > 0 then
  redis.call('SET', KEYS[2], '1', 'PX', ARGV[3])
  blockTtl = tonumber(ARGV[3])
end
return {hits, ttl, blockTtl}
`;

type ThrottleRedis = Redis & {
  civicThrottleIncrement(hitsKey: string, blockKey: string, ttl: number, limit: number, blockDuration: number): Promise<[number, number, number]>;
};

export class RedisThrottlerStorage implements ThrottlerStorage {
  private readonly redis: ThrottleRedis;

  constructor(
    redis: Redis,
    private readonly prefix: string,
  ) {
    // A defined command is sent as EVALSHA (the script's hash, not its text) on every request.
    if (!('civicThrottleIncrement' in redis)) redis.defineCommand('civicThrottleIncrement', { numberOfKeys: 2, lua: INCREMENT });
    this.redis = redis as ThrottleRedis;
  }

  async increment(key: string, ttl: number, limit: number, blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    const base = `${this.prefix}:throttle:${throttlerName}:${key}`;
    let result: [number, number, number];
    try {
      result = await this.redis.civicThrottleIncrement(`${base}:hits`, `${base}:block`, ttl, limit, blockDuration);
    } catch {
      // Redis away: serve the request rather than refuse everyone; readiness reports the outage.
      return { totalHits: 0, timeToExpire: 0, isBlocked: false, timeToBlockExpire: 0 };
    }
    const [hits, ttlMs, blockMs] = result;
    const isBlocked = blockMs > 0;
    return {
      totalHits: hits,
      timeToExpire: Math.max(0, Math.ceil(ttlMs / 1000)),
      isBlocked,
      timeToBlockExpire: isBlocked ? Math.ceil(blockMs / 1000) : 0,
    };
  }
}

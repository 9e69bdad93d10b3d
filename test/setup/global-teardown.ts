import Redis from 'ioredis';
import { dropDatabase } from '../../libs/common/src/db/database-admin';

export default async function globalTeardown(): Promise<void> {
  if (process.env.KEEP_TEST_DATABASE !== '1' && process.env.DATABASE_URL?.includes('civic_test_')) {
    await dropDatabase(process.env.DATABASE_URL);
  }
  if (process.env.TEST_TEMPLATE_DATABASE_URL?.includes('civic_test_')) await dropDatabase(process.env.TEST_TEMPLATE_DATABASE_URL);
  const prefix = process.env.QUEUE_PREFIX;
  if (prefix?.startsWith('civic_test_')) {
    const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
    await redis.quit();
  }
}

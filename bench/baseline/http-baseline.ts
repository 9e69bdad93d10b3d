/**
 * The bare baseline of the http benchmark: Fastify with one pg pool and one Redis client,
 * answering /health/ready with the same two checks as the product (SELECT 1 and PING) and none of
 * its pipeline (security headers, CORS, request ids, structured logging, guards, throttler, filters).
 */
import Fastify from 'fastify';
import Redis from 'ioredis';
import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20 });
const redis = new Redis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
const app = Fastify({ logger: false });

app.get('/health', async () => ({ status: 'ok' }));

app.get('/health/ready', async () => {
  await Promise.all([pool.query('SELECT 1'), redis.ping()]);
  return { status: 'ok', checks: { database: 'up', redis: 'up' } };
});

app.listen({ port: Number(process.env.PORT ?? 3101), host: '127.0.0.1' }).catch((error) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

process.on('SIGTERM', () => {
  void app
    .close()
    .then(() => Promise.all([pool.end(), redis.quit()]))
    .then(() => process.exit(0));
});

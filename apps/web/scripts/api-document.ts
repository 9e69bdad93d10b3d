import 'reflect-metadata';
import { loadConfig } from '@app/common';
import { ApiModule } from '../../api/src/api.module';
import { createApiApp } from '../../api/src/configure-app';

/**
 * The API's OpenAPI document, exactly as `/api/docs-json` serves it: the app is booted (modules,
 * configure-app) without listening and the document read through Fastify's inject. Booting needs
 * PostgreSQL and Redis to answer (the database may be empty: nothing is queried for the document).
 */
export async function readApiDocument(env: Record<string, string | undefined> = process.env): Promise<unknown> {
  const config = loadConfig({ LOG_LEVEL: 'silent', ...env });
  const app = await createApiApp(ApiModule.forRoot(config));
  try {
    await app.init();
    const fastify = app.getHttpAdapter().getInstance();
    await fastify.ready();
    const reply = await fastify.inject({ method: 'GET', url: '/api/docs-json' });
    if (reply.statusCode !== 200) throw new Error(`/api/docs-json answered ${reply.statusCode}`);
    return reply.json();
  } finally {
    await app.close();
  }
}

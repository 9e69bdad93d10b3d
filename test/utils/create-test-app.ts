import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AppConfig, loadConfig } from '@app/common';
import request from 'supertest';
import TestAgent from 'supertest/lib/agent';
import { ApiModule } from '../../apps/api/src/api.module';
import { createApiApp } from '../../apps/api/src/configure-app';

export interface TestApp {
  app: NestFastifyApplication;
  config: AppConfig;
  http: TestAgent;
  /** Base URL when started with `listen: true` (socket.io clients, child processes). */
  url: string | null;
  close(): Promise<void>;
}

/**
 * Boots the real API (same module, same configure-app pipeline as production) against this
 * run's database and Redis. `env` overrides environment variables for this instance only.
 */
export async function createTestApp(options: { env?: Record<string, string>; listen?: boolean } = {}): Promise<TestApp> {
  const config = loadConfig({ ...process.env, ...options.env });
  const app = await createApiApp(ApiModule.forRoot(config));
  let url: string | null = null;
  if (options.listen) {
    await app.listen(0, '127.0.0.1');
    url = await app.getUrl();
  } else {
    await app.init();
    // Fastify answers once its plugins have loaded, which listen() would otherwise wait for.
    await app.getHttpAdapter().getInstance().ready();
  }
  return {
    app,
    config,
    http: request(app.getHttpServer()),
    url,
    close: () => app.close(),
  };
}

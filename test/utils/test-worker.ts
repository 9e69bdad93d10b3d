import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@app/common';
import { WorkerModule } from '../../apps/worker/src/worker.module';

export interface TestWorker {
  app: INestApplicationContext;
  close(): Promise<void>;
}

/**
 * Runs the real worker (outbox relay + processors) inside the test process, against this run's
 * database and Redis. `env` overrides environment variables, e.g. `{ SMTP_URL }` of a
 * SmtpCapture. For crash tests that need a separate process, see test/utils/worker-process.ts.
 */
export async function startTestWorker(options: { env?: Record<string, string> } = {}): Promise<TestWorker> {
  const config = loadConfig({ ...process.env, ...options.env });
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: false });
  await app.init();
  return { app, close: () => app.close() };
}

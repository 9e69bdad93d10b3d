import 'reflect-metadata';
import { setPriority } from 'node:os';
import { NestFactory } from '@nestjs/core';
import { loadConfigOrExit } from '@app/common';
import { Logger } from 'nestjs-pino';
import { WorkerModule } from './worker.module';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  // The bulk lane's process yields the CPU: on a busy machine the kernel runs the main worker
  // (password resets, personal notifications), the API and PostgreSQL first.
  if (config.workerRole === 'bulk' && config.workerBulkNice > 0) setPriority(config.workerBulkNice);
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  await app.init();
  process.stdout.write(config.workerRole === 'all' ? 'Worker started\n' : `Worker started (${config.workerRole})\n`);
}

void bootstrap();

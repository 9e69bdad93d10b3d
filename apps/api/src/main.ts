import 'reflect-metadata';
import { loadConfigOrExit } from '@app/common';
import { ApiModule } from './api.module';
import { createApiApp } from './configure-app';

async function bootstrap(): Promise<void> {
  const config = loadConfigOrExit();
  const app = await createApiApp(ApiModule.forRoot(config));
  await app.listen(config.port, '0.0.0.0');
  process.stdout.write(`API listening on ${config.publicUrl} (port ${config.port})\n`);
}

void bootstrap();

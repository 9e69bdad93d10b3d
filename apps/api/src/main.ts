import 'reflect-metadata';
import { ConfigError, loadConfig } from '@app/common';
import { ApiModule } from './api.module';
import { createApiApp } from './configure-app';

async function bootstrap(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Configuration error: ${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const app = await createApiApp(ApiModule.forRoot(config));
  await app.listen(config.port, '0.0.0.0');
  process.stdout.write(`API listening on ${config.publicUrl} (port ${config.port})\n`);
}

void bootstrap();

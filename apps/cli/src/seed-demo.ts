import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppConfig } from '@app/common';
import { loadConfigOrExit, say } from './cli-config';
import { DemoSeeder, SeedResult } from './demo/demo-seeder';
import { migrate } from './migrate';
import { SeedModule } from './seed.module';

/**
 * Seeds the demo metropolis (see demo/demo-metropolis.ts) in a Nest application context, so it
 * goes through the libraries' services. With `onlyIfFresh`, does nothing on a database that
 * already holds a municipality: `npm start` seeds a new installation once and never again.
 */
export async function seedDemo(config: AppConfig, options: { onlyIfFresh?: boolean } = {}): Promise<SeedResult> {
  const app = await NestFactory.createApplicationContext(SeedModule.forRoot(config), { logger: ['error', 'warn'] });
  try {
    return await app.get(DemoSeeder).run(options);
  } finally {
    await app.close();
  }
}

export function describeSeed(result: SeedResult): string {
  if (result.skipped) return 'the database already holds municipalities; demo seed skipped';
  const parts = [
    `${result.municipalities.length} municipalities`,
    `${result.accounts.length} accounts`,
    `${result.categories.length} report categories`,
    `${result.residents.length} residents`,
  ];
  if (result.reports.length) parts.push(`${result.reports.length} reports with ${result.photos} photos and ${result.comments} comments`);
  if (result.modules.length) parts.push(`the modules ${result.modules.join(', ')}`);
  const total = result.municipalities.length + result.accounts.length + result.categories.length + result.residents.length + result.reports.length + result.modules.length;
  return total === 0 ? 'demo data already present; nothing to do' : `created ${parts.join(', ')} (accounts and password in README.md)`;
}

// `npm run seed:demo`: creates the database and migrates it first, so it works on a new machine.
if (require.main === module) {
  const config = loadConfigOrExit();
  if (config.nodeEnv === 'production') {
    // Every demo account shares a password published in the README.
    process.stderr.write('[seed] refusing to create demo accounts with NODE_ENV=production\n');
    process.exit(1);
  }
  migrate(config.databaseUrl)
    .then(() => seedDemo(config))
    .then(
      (result) => say('seed', describeSeed(result)),
      (error: unknown) => {
        process.stderr.write(`[seed] failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
        process.exit(1);
      },
    );
}

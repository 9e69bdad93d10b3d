import { DataSourceOptions } from 'typeorm';
import { SnakeNamingStrategy } from './snake-naming.strategy';

/**
 * The one place that says how we talk to PostgreSQL. The Nest apps, the migration CLI and the
 * start-up migrator all build on it. Entities are listed by each library's module
 * (autoLoadEntities) for the apps, and passed in explicitly by the CLI.
 */
export function baseDataSourceOptions(databaseUrl: string): DataSourceOptions {
  return {
    type: 'postgres',
    url: databaseUrl,
    synchronize: false,
    migrationsRun: false,
    namingStrategy: new SnakeNamingStrategy(),
    extra: { max: 20, application_name: 'civic' },
  };
}

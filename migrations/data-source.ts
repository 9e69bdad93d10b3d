import 'reflect-metadata';
import { baseDataSourceOptions, loadConfig } from '../libs/common/src';
import { DataSource } from 'typeorm';
import { MIGRATIONS } from './index';

/** For the TypeORM CLI only (migration:generate/run/revert); the apps never import it. */
export default new DataSource({
  ...baseDataSourceOptions(loadConfig().databaseUrl),
  entities: [__dirname + '/../libs/*/src/**/*.entity.{ts,js}'],
  migrations: MIGRATIONS,
});

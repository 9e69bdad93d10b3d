import { createHash } from 'node:crypto';
import { EntityManager, EntityTarget, ObjectLiteral, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { entityColumnList, rowsToEntities } from './entity-rows';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

const names = new Map<string, string>();
const MAX_NAMES = 1000;

function statementName(text: string): string {
  let name = names.get(text);
  if (!name) {
    name = `p_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`;
    if (names.size < MAX_NAMES) names.set(text, name);
  }
  return name;
}

/**
 * Runs `text` as a named prepared statement on the manager's connection (its transaction's, or
 * one borrowed from the pool): PostgreSQL parses and plans it once per connection instead of on
 * every call, which is most of the cost of a many-part write (WriteStatement) or of the
 * per-request session check. Only for SQL whose text is built from code, never from input
 * (each distinct text stays prepared on every pooled connection).
 */
export async function preparedQuery<T = Record<string, unknown>>(manager: EntityManager, text: string, values: unknown[]): Promise<T[]> {
  const name = statementName(text);
  const inTransaction = manager.queryRunner && !manager.queryRunner.isReleased;
  const runner = inTransaction ? manager.queryRunner! : manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PgClient;
    const result = await client.query({ name, text, values });
    return result.rows as T[];
  } catch (error) {
    throw error instanceof Error && !(error instanceof QueryFailedError) && 'code' in error ? new QueryFailedError(text, values, error) : error;
  } finally {
    if (!inTransaction) await runner.release();
  }
}

/**
 * `qb.getRawAndEntities()` for a query on one entity without joins, run as a prepared statement:
 * for list queries whose planning costs more than their execution (a table with many indexes,
 * a LIMIT served by one of them). The entities are built from the main alias's columns the way
 * TypeORM builds them; the raw rows keep every extra selected expression.
 */
export async function preparedRawAndEntities<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  qb: SelectQueryBuilder<T>,
): Promise<{ raw: Array<Record<string, unknown>>; entities: T[] }> {
  if (qb.expressionMap.joinAttributes.length) throw new Error('preparedRawAndEntities takes queries without joins');
  const alias = qb.expressionMap.mainAlias!.name;
  const [sql, parameters] = qb.getQueryAndParameters();
  const raw = await preparedQuery(manager, sql, parameters);
  const entities = rowsToEntities(manager, target, raw, `${alias}_`);
  return { raw, entities };
}

/**
 * Entities of one table matching `condition` (SQL with $n placeholders, optionally followed by
 * ORDER BY), read with a prepared statement: for the bulk lookups every page of views makes
 * (people, photos) and the lookups by id every domain event makes, where building the query
 * through TypeORM cost more than running it. The columns are those find() reads.
 */
export async function selectEntities<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, condition: string, parameters: unknown[]): Promise<T[]> {
  const metadata = manager.connection.getMetadata(target);
  const rows = await preparedQuery(manager, `SELECT ${entityColumnList(manager, target, { selectableOnly: true })} FROM "${metadata.tablePath}" WHERE ${condition}`, parameters);
  return rowsToEntities(manager, target, rows);
}

import { createHash } from 'node:crypto';
import { EntityManager, QueryFailedError } from 'typeorm';

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

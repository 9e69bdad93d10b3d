import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/**
 * The entity's columns as a SQL list, for `SELECT` and `RETURNING`: a prepared statement that
 * returned `*` would fail on every pooled connection once a migration adds a column ("cached
 * plan must not change result type"); a named list keeps its result type. `selectableOnly`
 * leaves out the columns marked `select: false`, as TypeORM's find() does.
 */
export function entityColumnList(manager: EntityManager, target: EntityTarget<ObjectLiteral>, options: { selectableOnly?: boolean } = {}): string {
  return manager.connection
    .getMetadata(target)
    .columns.filter((column) => !options.selectableOnly || column.isSelect)
    .map((column) => `"${column.databaseName}"`)
    .join(', ');
}

/** PostgreSQL truncates identifiers past 63 bytes; TypeORM then hashes column aliases. */
const MAX_ALIAS = 63;

/**
 * Entities from raw rows, converted the way TypeORM converts its own reads, so rows a prepared
 * statement or a RETURNING gave back need no second SELECT. `prefix` reads TypeORM's aliased
 * columns (`r_id` for alias `r`); the columns present are worked out once, from the first row.
 */
export function rowsToEntities<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  rows: ReadonlyArray<Record<string, unknown>>,
  prefix = '',
): T[] {
  if (!rows.length) return [];
  const metadata = manager.connection.getMetadata(target);
  const driver = manager.connection.driver;
  const columns = metadata.columns
    .map((column) => ({ column, key: `${prefix}${column.databaseName}` }))
    .filter(({ key }) => {
      if (key.length > MAX_ALIAS) throw new Error(`Column alias ${key} is too long to be read back`);
      return key in rows[0];
    });
  return rows.map((row) => {
    const entity = metadata.create() as T;
    for (const { column, key } of columns) column.setEntityValue(entity, driver.prepareHydratedValue(row[key], column));
    return entity;
  });
}

/** One entity from one raw row (see rowsToEntities). */
export function hydrateEntity<T extends ObjectLiteral>(manager: EntityManager, target: EntityTarget<T>, row: Record<string, unknown>): T {
  return rowsToEntities(manager, target, [row])[0];
}

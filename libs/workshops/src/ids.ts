const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A path id that is not a UUID names nothing: callers answer 404 rather than let PostgreSQL fail. */
export function isUuid(id: string | null | undefined): id is string {
  return typeof id === 'string' && UUID_SHAPE.test(id);
}

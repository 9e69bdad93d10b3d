import { EntityManager } from 'typeorm';

type Reads = readonly (() => Promise<unknown>)[];

/**
 * Runs independent reads together on the pool, or one after another inside a transaction: a
 * transaction has one connection, which runs one query at a time (pg queues them today, and
 * pg 9 will refuse to).
 */
export async function concurrentReads<T extends Reads>(manager: EntityManager, reads: T): Promise<{ -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> }> {
  if (manager.queryRunner === undefined) return (await Promise.all(reads.map((read) => read()))) as never;
  const results: unknown[] = [];
  for (const read of reads) results.push(await read());
  return results as never;
}

import { EntityManager } from 'typeorm';
import { preparedQuery } from './prepared-query';

const NAME = /^[a-z_][a-z0-9_]*$/;

/**
 * One SQL statement made of data-modifying CTEs that several libraries contribute to: a report,
 * its first timeline line, the reporter's follow and the `report.created` outbox event.
 * PostgreSQL runs a single statement atomically, so the writes commit or vanish together without
 * BEGIN/COMMIT, and they cost one round trip instead of one each (round trips are what a write
 * path spends most of its time on). Each library still writes only its own tables: it adds its
 * part through its own service (`OutboxService.recordIn`, `FollowsService.followIn`, …).
 *
 * Every CTE sees the same snapshot: a part reads what an earlier part inserted only through that
 * part's RETURNING rows (`SELECT … FROM report`), never by querying the table.
 */
export class WriteStatement {
  private readonly parts: Array<{ name: string; sql: string }> = [];
  private readonly values: unknown[] = [];
  private condition: string | null = null;

  /** A bound parameter for `value` (`$n`, cast when given). */
  param(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }

  /** A name no other part of this statement uses, from `prefix`. */
  uniqueName(prefix: string): string {
    let name = prefix;
    for (let n = 2; this.parts.some((p) => p.name === name); n++) name = `${prefix}_${n}`;
    return name;
  }

  /** Adds `name AS (sql)`; later parts and the final SELECT may read its RETURNING rows by name. */
  with(name: string, sql: string): this {
    if (!NAME.test(name) || this.parts.some((p) => p.name === name)) throw new Error(`Bad or repeated CTE name: ${name}`);
    this.parts.push({ name, sql });
    return this;
  }

  /**
   * Makes every part added from now on conditional (e.g. on an idempotency key being new):
   * parts write `… WHERE ${statement.guard}`.
   */
  onlyIf(condition: string): this {
    this.condition = this.condition ? `(${this.condition}) AND (${condition})` : condition;
    return this;
  }

  /** The condition parts must apply; `TRUE` when there is none. */
  get guard(): string {
    return this.condition ?? 'TRUE';
  }

  get isEmpty(): boolean {
    return this.parts.length === 0;
  }

  /** The SQL and its parameters (what `run` sends). */
  build(select: string): [string, unknown[]] {
    if (this.isEmpty) throw new Error('A write statement needs at least one part');
    return [`WITH ${this.parts.map((p) => `${p.name} AS (\n${p.sql}\n)`).join(',\n')}\n${select}`, this.values];
  }

  /**
   * Runs the statement (in the manager's transaction if it has one) and returns the final
   * SELECT's rows. Prepared: the text depends only on which parts the code added.
   */
  run<T = Record<string, unknown>>(manager: EntityManager, select: string): Promise<T[]> {
    const [sql, values] = this.build(select);
    return preparedQuery<T>(manager, sql, values);
  }
}

import { EntityManager } from 'typeorm';
import { preparedQuery } from './prepared-query';

/**
 * A SELECT assembled from code-built fragments and numbered parameters, run as a prepared
 * statement: for the hot list queries (a page of reports, nearby, the triage queue). TypeORM's
 * query builder rescans its whole text for property names on every call, which cost more than
 * running the query once the text held a view built in SQL. Fragments come from code, never
 * from input; values only ever travel as parameters.
 */
export class SelectStatement {
  private readonly selections: string[] = [];
  private readonly joins: string[] = [];
  private readonly conditions: string[] = [];
  private readonly values: unknown[] = [];
  private ordering: string[] = [];
  private rowLimit: number | null = null;

  /** `from`: the FROM clause, e.g. `reports r`. */
  constructor(private readonly from: string) {}

  /** A bound parameter for `value` (`$n`, cast when given); use the returned text as often as needed. */
  param(value: unknown, cast?: string): string {
    this.values.push(value);
    return `$${this.values.length}${cast ? `::${cast}` : ''}`;
  }

  select(expression: string, alias: string): this {
    this.selections.push(`${expression} AS "${alias}"`);
    return this;
  }

  /** A JOIN clause after the FROM (`JOIN (SELECT …) x ON x.id = r.id`). */
  join(clause: string): this {
    this.joins.push(clause);
    return this;
  }

  where(condition: string): this {
    this.conditions.push(condition);
    return this;
  }

  /** Replaces the ordering (expressions with their direction). */
  orderBy(...expressions: string[]): this {
    this.ordering = expressions;
    return this;
  }

  /** A literal, not a parameter: a generic plan that knew no limit could give up a LIMIT-driven index scan. */
  limit(rows: number): this {
    if (!Number.isSafeInteger(rows) || rows < 0) throw new Error(`Bad row limit ${rows}`);
    this.rowLimit = rows;
    return this;
  }

  /** The SQL text and its parameters, e.g. for EXPLAIN. */
  toQuery(): [string, unknown[]] {
    if (!this.selections.length) throw new Error('A SelectStatement needs a selection');
    const sql = [
      `SELECT ${this.selections.join(', ')} FROM ${this.from}`,
      ...this.joins,
      this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '',
      this.ordering.length ? `ORDER BY ${this.ordering.join(', ')}` : '',
      this.rowLimit !== null ? `LIMIT ${this.rowLimit}` : '',
    ]
      .filter(Boolean)
      .join(' ');
    return [sql, [...this.values]];
  }

  run<T = Record<string, unknown>>(manager: EntityManager): Promise<T[]> {
    const [sql, values] = this.toQuery();
    return preparedQuery<T>(manager, sql, values);
  }
}

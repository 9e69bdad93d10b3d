import { parse } from 'csv-parse/sync';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { PoolMember, Quota } from '../../libs/panels/src/selection/selection.types';

/**
 * The published sortition pools live outside the project (../shared/data/sortition: their
 * licences forbid shipping some of them), so tests find them by walking up from the repository.
 */
export function sortitionDataDir(): string {
  let dir = resolve(__dirname, '..', '..');
  for (;;) {
    const candidate = join(dir, 'shared', 'data', 'sortition');
    if (existsSync(join(candidate, 'README.md'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('shared/data/sortition not found above the repository');
    dir = parent;
  }
}

export interface SharedPool {
  name: string;
  panelSize: number;
  features: string[];
  /** Household columns of people.csv ([] when the pool has none). */
  householdColumns: string[];
  quotas: Quota[];
  rows: Record<string, string>[];
  peopleCsv: string;
}

const POOLS: Record<string, { panelSize: number; householdColumns: string[] }> = {
  geneva_30: { panelSize: 30, householdColumns: [] },
  example_small_20: { panelSize: 20, householdColumns: [] },
  scotland_fixture_22: { panelSize: 22, householdColumns: ['primary_address1', 'primary_zip'] },
  opendlp_monitoring_30: { panelSize: 30, householdColumns: ['address_line_1', 'town'] },
};
export const SHARED_POOL_NAMES = Object.keys(POOLS);

export function loadSharedPool(name: string, householdColumns = POOLS[name].householdColumns): SharedPool {
  const dir = join(sortitionDataDir(), name);
  const peopleCsv = readFileSync(join(dir, 'people.csv'), 'utf8');
  const rows = parse(peopleCsv, { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const quotaRows = parse(readFileSync(join(dir, 'quotas.csv'), 'utf8'), { columns: true, skip_empty_lines: true }) as Record<string, string>[];
  const quotas = quotaRows.map((q) => ({ feature: q.feature, value: q.value, min: Number(q.min), max: Number(q.max) }));
  const features = [...new Set(quotas.map((q) => q.feature))];
  return { name, panelSize: POOLS[name].panelSize, features, householdColumns, quotas, rows, peopleCsv };
}

export function poolMembers(pool: SharedPool): PoolMember[] {
  return pool.rows.map((row) => ({
    id: row.id,
    features: Object.fromEntries(pool.features.map((f) => [f, row[f]])),
    household: pool.householdColumns.length ? pool.householdColumns.map((c) => row[c]).join(' | ') : null,
  }));
}

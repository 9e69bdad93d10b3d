import { parse } from 'csv-parse/sync';
import type { PanelFeature } from '../panels/panel.entity';
import { featureValueProblems } from '../panels/panel-rules';
import type { FieldError } from '@app/common';
import { PoolCsvMalformedError } from '../panels.errors';
import { panelFieldError } from '../panels/panel-field-errors';

export const MAX_POOL_CSV_ROWS = 50_000;

export interface ImportedRow {
  externalId: string;
  household: string | null;
  features: Record<string, string>;
}

export interface RejectedRow {
  /** 1-based line of the file (the header is line 1). */
  line: number;
  externalId: string | null;
  /** Field `''` for the row's id and household, the feature's code for its value. */
  problems: FieldError[];
}

/**
 * Reads an invitation-round CSV: header `external_id`, optional `household`, then exactly one
 * column per feature code. A file that cannot be read as such (quoting, ragged rows, unknown or
 * missing columns, too many rows) throws and nothing is imported; a readable file's bad rows are
 * rejected one by one with their reasons.
 */
export function readPoolCsv(text: string, features: PanelFeature[], alreadyInPool: ReadonlySet<string>): { accepted: ImportedRow[]; rejected: RejectedRow[] } {
  let records: string[][];
  try {
    records = parse(text.replace(/^\uFEFF/, ''), { skip_empty_lines: true, relax_column_count: false, trim: true, max_record_size: 10_000, to_line: MAX_POOL_CSV_ROWS + 2 }) as string[][];
  } catch (error) {
    throw malformed('CSV_UNREADABLE', { reason: (error as Error).message.slice(0, 200) });
  }
  if (records.length === 0) throw malformed('CSV_EMPTY');
  if (records.length > MAX_POOL_CSV_ROWS + 1) throw malformed('CSV_TOO_MANY_ROWS', { max: MAX_POOL_CSV_ROWS });
  const [header, ...rows] = records;
  if (header[0] !== 'external_id') throw malformed('CSV_FIRST_COLUMN');
  const hasHousehold = header[1] === 'household';
  const featureColumns = header.slice(hasHousehold ? 2 : 1);
  const unknown = featureColumns.filter((c) => !features.some((f) => f.code === c));
  const missing = features.filter((f) => !featureColumns.includes(f.code)).map((f) => f.code);
  const columnProblems = [
    ...(unknown.length ? [panelFieldError('file', 'CSV_COLUMNS_UNKNOWN', { columns: unknown.slice(0, 10) })] : []),
    ...(missing.length ? [panelFieldError('file', 'CSV_COLUMNS_MISSING', { columns: missing })] : []),
    ...(new Set(featureColumns).size !== featureColumns.length ? [panelFieldError('file', 'CSV_COLUMNS_REPEATED')] : []),
  ];
  if (columnProblems.length) throw new PoolCsvMalformedError(columnProblems);

  const accepted: ImportedRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  rows.forEach((row, r) => {
    const line = r + 2;
    const externalId = row[0];
    const problems: FieldError[] = [];
    if (!externalId) problems.push(panelFieldError('', 'EXTERNAL_ID_EMPTY'));
    else if (externalId.length > 100) problems.push(panelFieldError('', 'EXTERNAL_ID_TOO_LONG'));
    else if (seen.has(externalId)) problems.push(panelFieldError('', 'EXTERNAL_ID_REPEATED'));
    else if (alreadyInPool.has(externalId)) problems.push(panelFieldError('', 'EXTERNAL_ID_IN_POOL'));
    const household = hasHousehold ? row[1] || null : null;
    if (household && household.length > 300) problems.push(panelFieldError('', 'HOUSEHOLD_TOO_LONG'));
    const values = Object.fromEntries(featureColumns.map((code, c) => [code, row[(hasHousehold ? 2 : 1) + c]]));
    for (const problem of featureValueProblems(features, values)) problems.push({ ...problem, field: problem.field.replace(/^features\./, '') });
    if (externalId) seen.add(externalId);
    if (problems.length) rejected.push({ line, externalId: externalId ? externalId.slice(0, 100) : null, problems });
    else accepted.push({ externalId, household, features: values });
  });
  return { accepted, rejected };
}

function malformed(code: Parameters<typeof panelFieldError>[1], params: Record<string, string | number> = {}): PoolCsvMalformedError {
  return new PoolCsvMalformedError([panelFieldError('file', code, params)]);
}

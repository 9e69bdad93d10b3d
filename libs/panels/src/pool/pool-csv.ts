import { parse } from 'csv-parse/sync';
import type { PanelFeature } from '../panels/panel.entity';
import { featureValueProblems } from '../panels/panel-rules';
import { PoolCsvMalformedError } from '../panels.errors';

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
  reasons: string[];
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
    throw new PoolCsvMalformedError(`The file is not valid CSV: ${(error as Error).message.slice(0, 200)}`);
  }
  if (records.length === 0) throw new PoolCsvMalformedError('The file is empty');
  if (records.length > MAX_POOL_CSV_ROWS + 1) throw new PoolCsvMalformedError(`At most ${MAX_POOL_CSV_ROWS} rows per file`);
  const [header, ...rows] = records;
  if (header[0] !== 'external_id') throw new PoolCsvMalformedError('The first column must be external_id');
  const hasHousehold = header[1] === 'household';
  const featureColumns = header.slice(hasHousehold ? 2 : 1);
  const unknown = featureColumns.filter((c) => !features.some((f) => f.code === c));
  const missing = features.filter((f) => !featureColumns.includes(f.code)).map((f) => f.code);
  if (unknown.length || missing.length || new Set(featureColumns).size !== featureColumns.length) {
    throw new PoolCsvMalformedError(
      `The columns after external_id${hasHousehold ? ', household' : ''} must be the feature codes, each once: ` +
        [unknown.length ? `unknown ${unknown.slice(0, 10).join(', ')}` : '', missing.length ? `missing ${missing.join(', ')}` : ''].filter(Boolean).join('; '),
    );
  }

  const accepted: ImportedRow[] = [];
  const rejected: RejectedRow[] = [];
  const seen = new Set<string>();
  rows.forEach((row, r) => {
    const line = r + 2;
    const externalId = row[0];
    const reasons: string[] = [];
    if (!externalId) reasons.push('external_id is empty');
    else if (externalId.length > 100) reasons.push('external_id is longer than 100 characters');
    else if (seen.has(externalId)) reasons.push('external_id appears twice in the file');
    else if (alreadyInPool.has(externalId)) reasons.push('external_id is already in the pool');
    const household = hasHousehold ? row[1] || null : null;
    if (household && household.length > 300) reasons.push('household is longer than 300 characters');
    const values = Object.fromEntries(featureColumns.map((code, c) => [code, row[(hasHousehold ? 2 : 1) + c]]));
    for (const problem of featureValueProblems(features, values)) reasons.push(`${problem.field.replace(/^features\./, '')}: ${problem.message}`);
    if (externalId) seen.add(externalId);
    if (reasons.length) rejected.push({ line, externalId: externalId ? externalId.slice(0, 100) : null, reasons });
    else accepted.push({ externalId, household, features: values });
  });
  return { accepted, rejected };
}

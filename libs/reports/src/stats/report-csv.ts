/** The export's columns, in order; the header row is exactly these names. */
export const CSV_COLUMNS = [
  'number',
  'id',
  'created_at',
  'kind',
  'category',
  'status',
  'priority',
  'department',
  'assignee',
  'address',
  'lat',
  'lng',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
  'support_count',
  'description',
] as const;

/**
 * Spreadsheets run a cell that starts with = + - @ (or a tab / carriage return that hides one)
 * as a formula: a citizen's description must never do that on a clerk's machine. Such text
 * cells get a leading apostrophe, which spreadsheets show as text (OWASP "CSV injection").
 * Numbers are written as numbers and never touched, so -3.05 stays a longitude.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function neutraliseCsvText(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return FORMULA_START.test(value) ? `'${value}` : value;
}

export interface CsvReportSource {
  number: string;
  id: string;
  createdAt: Date;
  kind: string;
  categoryCode: string;
  status: string;
  priority: string;
  department: string | null;
  assignee: string | null;
  address: string | null;
  lat: number;
  lng: number;
  acknowledgedAt: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  supportCount: number;
  description: string;
}

const iso = (d: Date | null) => (d ? d.toISOString() : '');

/** One CSV record, in CSV_COLUMNS order. */
export function toCsvRecord(r: CsvReportSource): Array<string | number> {
  return [
    r.number,
    r.id,
    iso(r.createdAt),
    r.kind,
    neutraliseCsvText(r.categoryCode),
    r.status,
    r.priority,
    neutraliseCsvText(r.department),
    neutraliseCsvText(r.assignee),
    neutraliseCsvText(r.address),
    r.lat,
    r.lng,
    iso(r.acknowledgedAt),
    iso(r.resolvedAt),
    iso(r.closedAt),
    r.supportCount,
    neutraliseCsvText(r.description),
  ];
}

import { FieldError } from '@app/common';
import type { CategoryAttribute } from './report-category.entity';

const MAX_STRING = 500;
const MAX_TEXT = 5000;

/**
 * Checks a report's attribute answers against its category's Open311 attribute definitions.
 * Returns the problems, one per attribute, named `attributes.<code>`; unknown codes are refused.
 */
export function attributeProblems(definitions: CategoryAttribute[], answers: Record<string, unknown> | undefined): FieldError[] {
  const given = answers ?? {};
  const problems: FieldError[] = [];
  const byCode = new Map(definitions.map((d) => [d.code, d]));
  for (const code of Object.keys(given)) {
    if (!byCode.has(code)) problems.push({ field: `attributes.${code}`, code: 'UNKNOWN_ATTRIBUTE', message: 'unknown attribute for this category' });
  }
  for (const def of definitions) {
    const value = given[def.code];
    const field = `attributes.${def.code}`;
    if (value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0)) {
      if (def.required) problems.push({ field, code: 'REQUIRED', message: 'is required' });
      continue;
    }
    const problem = valueProblem(def, value);
    if (problem) problems.push({ field, code: 'INVALID_ATTRIBUTE_VALUE', message: problem });
  }
  return problems;
}

function valueProblem(def: CategoryAttribute, value: unknown): string | null {
  const keys = new Set((def.values ?? []).map((v) => v.key));
  switch (def.datatype) {
    case 'string':
      return typeof value === 'string' && value.length <= MAX_STRING ? null : `must be a string of at most ${MAX_STRING} characters`;
    case 'text':
      return typeof value === 'string' && value.length <= MAX_TEXT ? null : `must be a text of at most ${MAX_TEXT} characters`;
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? null : 'must be a number';
    }
    case 'datetime':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value) && !Number.isNaN(Date.parse(value))
        ? null
        : 'must be an ISO 8601 date-time';
    case 'singlevaluelist':
      return typeof value === 'string' && keys.has(value) ? null : `must be one of: ${[...keys].join(', ')}`;
    case 'multivaluelist': {
      const list = Array.isArray(value) ? value : [value];
      return list.length <= keys.size && list.every((v) => typeof v === 'string' && keys.has(v)) && new Set(list).size === list.length
        ? null
        : `must be distinct values among: ${[...keys].join(', ')}`;
    }
  }
}

/** Answers as stored: numbers as numbers, multi-value lists as arrays. */
export function normaliseAttributes(definitions: CategoryAttribute[], answers: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const def of definitions) {
    const value = answers?.[def.code];
    if (value === undefined || value === null || value === '') continue;
    if (def.datatype === 'number') out[def.code] = Number(value);
    else if (def.datatype === 'multivaluelist') out[def.code] = Array.isArray(value) ? value : [value];
    else out[def.code] = value;
  }
  return out;
}

import { ApiError } from './client';

/**
 * The API's field errors by field (`title`, `ballotRule.maxProjects`, `districtAmounts.0.amount`…),
 * the first message of each: forms show them beside the control at fault.
 */
export function fieldErrorsOf(error: unknown): Record<string, string> {
  const byField: Record<string, string> = {};
  if (!(error instanceof ApiError) || !Array.isArray(error.details)) return byField;
  for (const d of error.details as Array<{ field?: string; message?: string }>) {
    if (d.field && !byField[d.field]) byField[d.field] = d.message ?? error.message;
  }
  return byField;
}

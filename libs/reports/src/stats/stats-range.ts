import { ValidationError } from '@app/common';

export const DEFAULT_STATS_DAYS = 30;
/** Longer spans are refused: they would scan years of reports for one request. */
export const MAX_STATS_DAYS = 731;
const DAY_MS = 24 * 3600 * 1000;

export interface DateRange {
  from: Date;
  to: Date;
}

/**
 * The half-open range [from, to) of creation dates a statistic or export covers. Defaults to the
 * last 30 days; `to` defaults to now, `from` to 30 days before `to`; at most two years.
 */
export function resolveRange(from: string | undefined, to: string | undefined, now = new Date(), defaultDays = DEFAULT_STATS_DAYS): DateRange {
  const end = to ? new Date(to) : now;
  const start = from ? new Date(from) : new Date(end.getTime() - defaultDays * DAY_MS);
  if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime())) {
    throw new ValidationError('Invalid range', [{ field: from ? 'from' : 'to', code: 'IS_ISO8601', message: 'must be an ISO 8601 date or date-time' }]);
  }
  if (start.getTime() >= end.getTime()) {
    throw new ValidationError('Invalid range', [{ field: 'from', code: 'FROM_AFTER_TO', message: 'from must be before to' }]);
  }
  if (end.getTime() - start.getTime() > MAX_STATS_DAYS * DAY_MS) {
    throw new ValidationError('Range too long', [{ field: 'from', code: 'RANGE_TOO_LONG', message: `the range may cover at most ${MAX_STATS_DAYS} days`, params: { maxDays: MAX_STATS_DAYS } }]);
  }
  return { from: start, to: end };
}

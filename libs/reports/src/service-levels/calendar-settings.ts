import Holidays from 'date-holidays';
import { DateTime } from 'luxon';
import type { FieldError } from '@app/common';
import type { WeeklyHours } from './working-calendar';

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;
const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
const WEEKDAYS = ['1', '2', '3', '4', '5', '6', '7'];
export const MAX_PERIODS_PER_DAY = 6;
export const MAX_CLOSURES = 400;

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/**
 * What is wrong with a week of opening hours: weekday keys "1" (Monday) to "7", each a list of
 * ["HH:mm", "HH:mm"] periods that open before they close, in order and without overlapping;
 * and at least one open period in the week, or no deadline could ever be counted.
 */
export function weeklyHoursProblems(value: unknown): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return ['weeklyHours must be an object keyed by ISO weekday "1" (Monday) to "7"'];
  const problems: string[] = [];
  let open = 0;
  for (const [day, periods] of Object.entries(value)) {
    if (!WEEKDAYS.includes(day)) {
      problems.push(`"${day}" is not an ISO weekday (1 = Monday … 7 = Sunday)`);
      continue;
    }
    if (!Array.isArray(periods) || periods.length > MAX_PERIODS_PER_DAY) {
      problems.push(`day ${day} must be a list of at most ${MAX_PERIODS_PER_DAY} ["HH:mm", "HH:mm"] periods`);
      continue;
    }
    let previousClose = -1;
    periods.forEach((period: unknown, i) => {
      if (!Array.isArray(period) || period.length !== 2 || !period.every((t) => typeof t === 'string' && HHMM.test(t))) {
        problems.push(`day ${day} period ${i + 1} must be ["HH:mm", "HH:mm"] (00:00 to 23:59)`);
        return;
      }
      const [from, to] = period.map((t: string) => minutes(t));
      if (from >= to) problems.push(`day ${day} period ${i + 1} must open before it closes`);
      else if (from < previousClose) problems.push(`day ${day} period ${i + 1} overlaps or precedes the one before it`);
      else open++;
      previousClose = Math.max(previousClose, to);
    });
  }
  if (problems.length === 0 && open === 0) problems.push('at least one opening period is needed in the week');
  return problems;
}

/** Closures must be real calendar days, "YYYY-MM-DD", without repeats. */
export function closuresProblems(closures: string[]): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const day of closures) {
    if (!ISO_DAY.test(day) || !DateTime.fromISO(day).isValid) problems.push(`"${day}" is not a valid YYYY-MM-DD date`);
    else if (seen.has(day)) problems.push(`"${day}" is listed twice`);
    seen.add(day);
  }
  return problems;
}

/** A region must be one date-holidays knows for the country (e.g. FR "57" for Moselle). */
export function regionProblems(countryCode: string, region: string | null | undefined): string[] {
  if (region === null || region === undefined) return [];
  const states = new Holidays().getStates(countryCode) ?? {};
  return Object.prototype.hasOwnProperty.call(states, region) ? [] : [`"${region}" is not a known region of ${countryCode}`];
}

export function calendarSettingsProblems(
  countryCode: string,
  input: { weeklyHours: unknown; closures: string[]; region?: string | null },
): FieldError[] {
  const fields: FieldError[] = [];
  const push = (field: string, code: string, messages: string[]) => fields.push(...messages.map((message) => ({ field, code, message })));
  push('weeklyHours', 'INVALID_WEEKLY_HOURS', weeklyHoursProblems(input.weeklyHours));
  push('closures', 'INVALID_CLOSURES', closuresProblems(input.closures));
  push('region', 'UNKNOWN_REGION', regionProblems(countryCode, input.region));
  return fields;
}

/** Weekdays in order, closed days left out, so what is stored reads the same however it was sent. */
export function normaliseWeeklyHours(weeklyHours: WeeklyHours): WeeklyHours {
  const out: WeeklyHours = {};
  for (const day of WEEKDAYS) {
    const periods = weeklyHours[day as keyof WeeklyHours];
    if (periods && periods.length) out[day as keyof WeeklyHours] = periods.map(([a, b]) => [a, b]);
  }
  return out;
}

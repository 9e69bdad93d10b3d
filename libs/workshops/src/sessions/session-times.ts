import { FieldError, ValidationError } from '@app/common';
import { DateTime } from 'luxon';

/** A session's times as given: wall-clock times in the town, and its repetition. */
export interface LocalSlotInput {
  startsAt: string;
  endsAt: string;
  registrationCutoff?: string;
  repeat?: { frequency: 'daily' | 'weekly'; count: number };
}

export interface ResolvedTimes {
  startsAt: Date;
  endsAt: Date;
  registrationCutoffAt: Date;
}

/**
 * A wall-clock time in `zone` as an instant. A time that does not exist (skipped by a DST change)
 * is refused rather than silently shifted; an ambiguous one (the repeated hour) takes the first.
 */
export function localToInstant(local: string, zone: string, field: string, problems: FieldError[]): Date | null {
  const dt = DateTime.fromISO(local, { zone });
  if (!dt.isValid || dt.toFormat("yyyy-MM-dd'T'HH:mm") !== local) {
    problems.push({ field, code: 'LOCAL_TIME_INVALID', message: `${local} does not exist in ${zone}`, params: { zone } });
    return null;
  }
  return dt.toJSDate();
}

export function instantToLocal(at: Date, zone: string): string {
  return DateTime.fromJSDate(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/**
 * The sessions an input stands for: one, or a series at the same wall-clock time each day or
 * week in the town's timezone (so 18:30 stays 18:30 across a DST change). Cut-offs keep their
 * distance from the start.
 */
export function expandSlots(input: LocalSlotInput, zone: string, fieldPrefix: string): ResolvedTimes[] {
  const problems: FieldError[] = [];
  const start = localToInstant(input.startsAt, zone, `${fieldPrefix}.startsAt`, problems);
  const end = localToInstant(input.endsAt, zone, `${fieldPrefix}.endsAt`, problems);
  const cutoff = input.registrationCutoff ? localToInstant(input.registrationCutoff, zone, `${fieldPrefix}.registrationCutoff`, problems) : start;
  if (start && end && end <= start) problems.push({ field: `${fieldPrefix}.endsAt`, code: 'ENDS_BEFORE_START', message: 'endsAt must be after startsAt' });
  if (start && end && end.getTime() - start.getTime() > 24 * 3600_000) problems.push({ field: `${fieldPrefix}.endsAt`, code: 'SESSION_TOO_LONG', message: 'a session lasts at most 24 hours' });
  if (start && cutoff && cutoff > start) problems.push({ field: `${fieldPrefix}.registrationCutoff`, code: 'CUTOFF_AFTER_START', message: 'registrationCutoff must not be after startsAt' });
  if (problems.length || !start || !end || !cutoff) throw new ValidationError('Invalid session times', problems, 'VALIDATION_FAILED', 'unprocessable');

  const count = input.repeat?.count ?? 1;
  const unit = input.repeat?.frequency === 'daily' ? 'days' : 'weeks';
  const localStart = DateTime.fromISO(input.startsAt, { zone });
  const localEnd = DateTime.fromISO(input.endsAt, { zone });
  const localCutoff = input.registrationCutoff ? DateTime.fromISO(input.registrationCutoff, { zone }) : localStart;
  const slots: ResolvedTimes[] = [];
  for (let i = 0; i < count; i++) {
    slots.push({
      startsAt: localStart.plus({ [unit]: i }).toJSDate(),
      endsAt: localEnd.plus({ [unit]: i }).toJSDate(),
      registrationCutoffAt: localCutoff.plus({ [unit]: i }).toJSDate(),
    });
  }
  return slots;
}

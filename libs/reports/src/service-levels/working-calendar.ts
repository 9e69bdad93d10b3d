import Holidays from 'date-holidays';
import { DateTime } from 'luxon';

/** Opening periods of one weekday, as "HH:mm" pairs in the municipality's local time. */
export type DayPeriods = Array<[string, string]>;

/** ISO weekday (1 = Monday … 7 = Sunday) → opening periods. Missing day = closed. */
export type WeeklyHours = Partial<Record<'1' | '2' | '3' | '4' | '5' | '6' | '7', DayPeriods>>;

export const DEFAULT_WEEKLY_HOURS: WeeklyHours = {
  '1': [['08:30', '12:00'], ['13:30', '17:30']],
  '2': [['08:30', '12:00'], ['13:30', '17:30']],
  '3': [['08:30', '12:00'], ['13:30', '17:30']],
  '4': [['08:30', '12:00'], ['13:30', '17:30']],
  '5': [['08:30', '12:00'], ['13:30', '17:00']],
};

export interface CalendarSettings {
  timezone: string;
  countryCode: string;
  /** ISO 3166-2 subdivision for regional holidays (e.g. Alsace-Moselle: FR + "57"). */
  region?: string | null;
  weeklyHours: WeeklyHours;
  /** Local closures, "YYYY-MM-DD", on top of public holidays. */
  closures: string[];
}

export type Duration = { amount: number; unit: 'hours' | 'days' };

const MAX_DAYS_AHEAD = 800;

// date-holidays is costly to build and to ask, and luxon's zone offsets cost an Intl call each:
// the instances, the holiday answers and the offsets per day are kept for the life of the process.
const holidayInstances = new Map<string, Holidays>();
const holidayAnswers = new Map<string, boolean>();
const offsets = new Map<string, number>();
const localDays = new Map<string, number>();
const QUARTER_HOUR_MS = 15 * 60_000;
const MAX_CACHED = 50_000;

function remember<K, V>(map: Map<K, V>, key: K, value: V): V {
  if (map.size >= MAX_CACHED) map.clear();
  map.set(key, value);
  return value;
}

/** A local calendar day, as days since 1970-01-01 (so iterating is integer arithmetic). */
type DayNumber = number;
const DAY_MS = 86_400_000;

function isoOf(day: DayNumber): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function isPublicHoliday(countryCode: string, region: string | null | undefined, zone: string, day: DayNumber): boolean {
  const instanceKey = `${countryCode}|${region ?? ''}`;
  const answerKey = `${instanceKey}|${day}`;
  const known = holidayAnswers.get(answerKey);
  if (known !== undefined) return known;
  let holidays = holidayInstances.get(instanceKey);
  if (!holidays) {
    holidays = region ? new Holidays(countryCode, region, { types: ['public'] }) : new Holidays(countryCode, { types: ['public'] });
    holidayInstances.set(instanceKey, holidays);
  }
  // Ask at local noon so a holiday's local-midnight boundaries cannot shift it a day.
  const noon = DateTime.fromISO(`${isoOf(day)}T12:00:00`, { zone }).toJSDate();
  const result = holidays.isHoliday(noon);
  return remember(holidayAnswers, answerKey, Array.isArray(result) && result.some((h) => h.type === 'public'));
}

/** The zone's UTC offset (minutes) on a local day, taken at noon: clock changes happen at night. */
function offsetOn(zone: string, day: DayNumber): number {
  const key = `${zone}|${day}`;
  const known = offsets.get(key);
  if (known !== undefined) return known;
  return remember(offsets, key, DateTime.fromISO(`${isoOf(day)}T12:00:00`, { zone }).offset);
}

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/**
 * The municipality's working time: opening hours per weekday, minus public holidays of its
 * country (date-holidays) and its own closures. Deadlines are counted on it. Instants are epoch
 * milliseconds internally; each local day costs one (cached) offset lookup.
 */
export class WorkingCalendar {
  private readonly closures: Set<string>;
  private readonly zone: string;
  /** Opening periods per ISO weekday (index 1–7; 0 unused), in minutes after local midnight. */
  private readonly weekly: Array<Array<[number, number]>>;
  // A deadline walks the same few weeks for every report filed: each local day's periods and
  // each quarter hour's local day are worked out once per calendar (calendars are cached briefly).
  private readonly periodsByDay = new Map<DayNumber, ReadonlyArray<readonly [number, number]>>();
  private readonly dayByQuarterHour = new Map<number, DayNumber>();

  constructor(private readonly settings: CalendarSettings) {
    this.closures = new Set(settings.closures);
    this.zone = settings.timezone;
    this.weekly = Array.from({ length: 8 }, (_, isoWeekday) =>
      (settings.weeklyHours[String(isoWeekday) as keyof WeeklyHours] ?? []).map(([from, to]): [number, number] => [minutesOf(from), minutesOf(to)]),
    );
  }

  private dayOf(instantMs: number): DayNumber {
    // Every UTC offset and every clock change falls on a quarter hour, so the local date is the
    // same throughout a quarter hour: one (costly) zone lookup per quarter hour and zone.
    const quarter = Math.floor(instantMs / QUARTER_HOUR_MS);
    const mine = this.dayByQuarterHour.get(quarter);
    if (mine !== undefined) return mine;
    const key = `${this.zone}|${quarter}`;
    let day = localDays.get(key);
    if (day === undefined) {
      const local = DateTime.fromMillis(instantMs, { zone: this.zone });
      day = remember(localDays, key, Math.floor(Date.UTC(local.year, local.month - 1, local.day) / DAY_MS));
    }
    return remember(this.dayByQuarterHour, quarter, day);
  }

  private isClosedDay(day: DayNumber): boolean {
    return this.closures.has(isoOf(day)) || isPublicHoliday(this.settings.countryCode, this.settings.region, this.zone, day);
  }

  /** Opening periods of a local day as [open, close) epoch ms; empty on closed days. */
  private periodsOf(day: DayNumber): ReadonlyArray<readonly [number, number]> {
    const known = this.periodsByDay.get(day);
    if (known) return known;
    const isoWeekday = ((new Date(day * DAY_MS).getUTCDay() + 6) % 7) + 1;
    const periods = this.weekly[isoWeekday];
    if (periods.length === 0 || this.isClosedDay(day)) return remember(this.periodsByDay, day, []);
    const midnight = day * DAY_MS - offsetOn(this.zone, day) * 60_000;
    return remember(
      this.periodsByDay,
      day,
      periods.map(([from, to]) => [midnight + from * 60_000, midnight + to * 60_000] as const),
    );
  }

  isWorkingDay(date: Date): boolean {
    return this.periodsOf(this.dayOf(date.getTime())).length > 0;
  }

  /** The instant `minutes` of working time after `start`. */
  addWorkingMinutes(start: Date, minutes: number): Date {
    let remaining = minutes * 60_000;
    let cursor = start.getTime();
    let day = this.dayOf(cursor);
    for (let i = 0; i < MAX_DAYS_AHEAD; i++, day++) {
      for (const [open, close] of this.periodsOf(day)) {
        if (close <= cursor) continue;
        const from = Math.max(open, cursor);
        const available = close - from;
        if (remaining <= available) return new Date(from + remaining);
        remaining -= available;
        cursor = close;
      }
    }
    throw new Error('No working time within the calendar horizon');
  }

  /**
   * `days` working days after `start`: the end of the working day that many working days on
   * (a report filed Monday with "2 working days" is due Wednesday at closing time).
   */
  addWorkingDays(start: Date, days: number): Date {
    let day = this.dayOf(start.getTime());
    let counted = 0;
    for (let i = 0; i < MAX_DAYS_AHEAD; i++) {
      day++;
      const periods = this.periodsOf(day);
      if (periods.length > 0 && ++counted >= days) return new Date(periods[periods.length - 1][1]);
    }
    throw new Error('No working day within the calendar horizon');
  }

  /** Working minutes between two instants (0 when `to` is not after `from`). */
  workingMinutesBetween(from: Date, to: Date): number {
    const a0 = from.getTime();
    const b0 = to.getTime();
    if (b0 <= a0) return 0;
    let total = 0;
    const last = this.dayOf(b0);
    for (let day = this.dayOf(a0), i = 0; day <= last && i < MAX_DAYS_AHEAD; day++, i++) {
      for (const [open, close] of this.periodsOf(day)) {
        const a = Math.max(open, a0);
        const b = Math.min(close, b0);
        if (b > a) total += (b - a) / 60_000;
      }
    }
    return total;
  }

  add(start: Date, duration: Duration): Date {
    return duration.unit === 'hours' ? this.addWorkingMinutes(start, duration.amount * 60) : this.addWorkingDays(start, duration.amount);
  }
}

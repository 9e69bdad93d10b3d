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

function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return h * 60 + m;
}

/**
 * The municipality's working time: opening hours per weekday, minus public holidays of its
 * country (date-holidays) and its own closures. Deadlines are counted on it.
 */
export class WorkingCalendar {
  private readonly holidays: Holidays;
  private readonly closures: Set<string>;
  private readonly holidayCache = new Map<string, boolean>();

  constructor(private readonly settings: CalendarSettings) {
    this.holidays = settings.region
      ? new Holidays(settings.countryCode, settings.region, { types: ['public'] })
      : new Holidays(settings.countryCode, { types: ['public'] });
    this.closures = new Set(settings.closures);
  }

  isClosedDay(day: DateTime): boolean {
    const iso = day.toISODate()!;
    if (this.closures.has(iso)) return true;
    let holiday = this.holidayCache.get(iso);
    if (holiday === undefined) {
      // Ask at local noon so a holiday's local-midnight boundaries cannot shift it a day.
      const result = this.holidays.isHoliday(day.set({ hour: 12 }).toJSDate());
      holiday = Array.isArray(result) && result.some((h) => h.type === 'public');
      this.holidayCache.set(iso, holiday);
    }
    return holiday;
  }

  /** Opening periods of a local day as absolute intervals; empty on closed days. */
  periodsOf(day: DateTime): Array<[DateTime, DateTime]> {
    if (this.isClosedDay(day)) return [];
    const periods = this.settings.weeklyHours[String(day.weekday) as keyof WeeklyHours] ?? [];
    const midnight = day.startOf('day');
    return periods.map(([from, to]) => [midnight.plus({ minutes: minutesOf(from) }), midnight.plus({ minutes: minutesOf(to) })]);
  }

  isWorkingDay(day: DateTime): boolean {
    return this.periodsOf(day).length > 0;
  }

  /** The instant `minutes` of working time after `start`. */
  addWorkingMinutes(start: Date, minutes: number): Date {
    let remaining = minutes;
    let cursor: DateTime = DateTime.fromJSDate(start, { zone: this.settings.timezone });
    let day: DateTime = cursor.startOf('day');
    for (let i = 0; i < MAX_DAYS_AHEAD; i++, day = day.plus({ days: 1 })) {
      for (const [open, close] of this.periodsOf(day)) {
        if (close <= cursor) continue;
        const from = open > cursor ? open : cursor;
        const available = close.diff(from, 'minutes').minutes;
        if (remaining <= available) return from.plus({ minutes: remaining }).toJSDate();
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
    let day: DateTime = DateTime.fromJSDate(start, { zone: this.settings.timezone }).startOf('day');
    let counted = 0;
    for (let i = 0; i < MAX_DAYS_AHEAD; i++) {
      day = day.plus({ days: 1 });
      if (this.isWorkingDay(day) && ++counted >= days) {
        const periods = this.periodsOf(day);
        return periods[periods.length - 1][1].toJSDate();
      }
    }
    throw new Error('No working day within the calendar horizon');
  }

  /** Working minutes between two instants (0 when `to` is not after `from`). */
  workingMinutesBetween(from: Date, to: Date): number {
    if (to <= from) return 0;
    const start: DateTime = DateTime.fromJSDate(from, { zone: this.settings.timezone });
    const end: DateTime = DateTime.fromJSDate(to, { zone: this.settings.timezone });
    let total = 0;
    let day: DateTime = start.startOf('day');
    for (let i = 0; i < MAX_DAYS_AHEAD && day <= end; i++, day = day.plus({ days: 1 })) {
      for (const [open, close] of this.periodsOf(day)) {
        const a = open > start ? open : start;
        const b = close < end ? close : end;
        if (b > a) total += b.diff(a, 'minutes').minutes;
      }
    }
    return total;
  }

  add(start: Date, duration: Duration): Date {
    return duration.unit === 'hours' ? this.addWorkingMinutes(start, duration.amount * 60) : this.addWorkingDays(start, duration.amount);
  }
}

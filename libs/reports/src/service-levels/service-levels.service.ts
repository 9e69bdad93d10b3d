import { Injectable } from '@nestjs/common';
import { selectEntities, TransactionService } from '@app/common';
import { LRUCache } from 'lru-cache';
import { EntityManager } from 'typeorm';
import type { ReportPriority, ServiceLevels } from '../categories/report-category.entity';
import { TriageCalendarEntity } from './triage-calendar.entity';
import { CalendarSettings, DEFAULT_WEEKLY_HOURS, WorkingCalendar } from './working-calendar';

export interface MunicipalityClock {
  id: string;
  timezone: string;
  countryCode: string;
}

export interface Deadlines {
  acknowledgeDueAt: Date | null;
  resolveDueAt: Date | null;
}

/**
 * Service levels are configuration: a category says, per priority, how many working hours or
 * days staff have to acknowledge and to resolve; this service counts them on the
 * municipality's calendar.
 */
/** How long another instance's calendar change may take to reach this one (this instance's: at once). */
const CALENDAR_CACHE_TTL_MS = 10_000;

@Injectable()
export class ServiceLevelsService {
  private readonly calendars = new LRUCache<string, WorkingCalendar>({ max: 1000, ttl: CALENDAR_CACHE_TTL_MS });

  constructor(private readonly tx: TransactionService) {}

  async calendarSettings(municipality: MunicipalityClock, manager: EntityManager = this.tx.manager): Promise<CalendarSettings> {
    const [row] = await selectEntities(manager, TriageCalendarEntity, 'municipality_id = $1', [municipality.id]);
    return {
      timezone: municipality.timezone,
      countryCode: municipality.countryCode,
      region: row?.region ?? null,
      weeklyHours: row?.weeklyHours ?? DEFAULT_WEEKLY_HOURS,
      closures: row?.closures ?? [],
    };
  }

  /** The municipality's calendar; read afresh inside a transaction, else from a short-lived cache. */
  async calendarFor(municipality: MunicipalityClock, manager?: EntityManager): Promise<WorkingCalendar> {
    if (manager) return new WorkingCalendar(await this.calendarSettings(municipality, manager));
    const key = `${municipality.id}:${municipality.timezone}:${municipality.countryCode}`;
    const cached = this.calendars.get(key);
    if (cached) return cached;
    const calendar = new WorkingCalendar(await this.calendarSettings(municipality));
    this.calendars.set(key, calendar);
    return calendar;
  }

  /** Drops this instance's cached calendar of a municipality (after its admin changed it). */
  forgetCalendar(municipalityId: string): void {
    for (const key of this.calendars.keys()) if (key.startsWith(`${municipalityId}:`)) this.calendars.delete(key);
  }

  /** Deadlines of a report filed (or re-prioritised) at `from`; null where no level is set. */
  deadlines(calendar: WorkingCalendar, levels: ServiceLevels, priority: ReportPriority, from: Date): Deadlines {
    const level = levels[priority] ?? levels.normal;
    return {
      acknowledgeDueAt: level?.acknowledgeWithin ? calendar.add(from, level.acknowledgeWithin) : null,
      resolveDueAt: level?.resolveWithin ? calendar.add(from, level.resolveWithin) : null,
    };
  }
}

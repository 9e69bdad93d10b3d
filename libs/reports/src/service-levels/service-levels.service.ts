import { Injectable } from '@nestjs/common';
import { TransactionService } from '@app/common';
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
@Injectable()
export class ServiceLevelsService {
  constructor(private readonly tx: TransactionService) {}

  async calendarSettings(municipality: MunicipalityClock, manager: EntityManager = this.tx.manager): Promise<CalendarSettings> {
    const row = await manager.findOne(TriageCalendarEntity, { where: { municipalityId: municipality.id } });
    return {
      timezone: municipality.timezone,
      countryCode: municipality.countryCode,
      region: row?.region ?? null,
      weeklyHours: row?.weeklyHours ?? DEFAULT_WEEKLY_HOURS,
      closures: row?.closures ?? [],
    };
  }

  async calendarFor(municipality: MunicipalityClock, manager?: EntityManager): Promise<WorkingCalendar> {
    return new WorkingCalendar(await this.calendarSettings(municipality, manager));
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

import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, TransactionService, ValidationError } from '@app/common';
import { AccessService, MunicipalitiesService } from '@app/identity';
import { TriageCalendarDto } from '../dto/triage-calendar.dto';
import { calendarSettingsProblems, normaliseWeeklyHours } from './calendar-settings';
import { ServiceLevelsService } from './service-levels.service';
import { TriageCalendarEntity } from './triage-calendar.entity';
import { DEFAULT_WEEKLY_HOURS, WeeklyHours } from './working-calendar';

export interface TriageCalendarView {
  weeklyHours: WeeklyHours;
  closures: string[];
  region: string | null;
  timezone: string;
  countryCode: string;
  isDefault: boolean;
}

/**
 * A municipality's working calendar as its admin sets it. Deadlines already computed keep
 * their value; reports filed (or re-prioritised) afterwards are counted on the new calendar.
 */
@Injectable()
export class TriageCalendarService {
  constructor(
    private readonly tx: TransactionService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly audit: AuditService,
    private readonly serviceLevels: ServiceLevelsService,
  ) {}

  async get(actor: AuthUser, slug: string): Promise<TriageCalendarView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    const row = await this.tx.manager.findOne(TriageCalendarEntity, { where: { municipalityId: municipality.id } });
    return this.view(municipality, row);
  }

  async put(actor: AuthUser, slug: string, dto: TriageCalendarDto): Promise<TriageCalendarView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    const problems = calendarSettingsProblems(municipality.countryCode, dto);
    if (problems.length) throw new ValidationError(`Invalid ${problems.map((p) => p.field).join(', ')}`, problems);
    const settings = {
      weeklyHours: normaliseWeeklyHours(dto.weeklyHours),
      closures: [...new Set(dto.closures)].sort(),
      region: dto.region ?? null,
    };
    const row = await this.tx.run(async (manager) => {
      const before = await manager.findOne(TriageCalendarEntity, { where: { municipalityId: municipality.id }, lock: { mode: 'pessimistic_write' } });
      await manager.upsert(TriageCalendarEntity, { municipalityId: municipality.id, ...settings }, ['municipalityId']);
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'report.calendar_changed',
        targetType: 'municipality',
        targetId: municipality.id,
        before: before ? { weeklyHours: before.weeklyHours, closures: before.closures, region: before.region } : null,
        after: settings,
      });
      return manager.findOneByOrFail(TriageCalendarEntity, { municipalityId: municipality.id });
    });
    this.serviceLevels.forgetCalendar(municipality.id);
    return this.view(municipality, row);
  }

  private view(municipality: { timezone: string; countryCode: string }, row: TriageCalendarEntity | null): TriageCalendarView {
    return {
      weeklyHours: row?.weeklyHours ?? DEFAULT_WEEKLY_HOURS,
      closures: row?.closures ?? [],
      region: row?.region ?? null,
      timezone: municipality.timezone,
      countryCode: municipality.countryCode,
      isDefault: !row,
    };
  }
}

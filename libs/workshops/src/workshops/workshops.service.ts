import { Injectable } from '@nestjs/common';
import { AuditService, OutboxService, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor, MunicipalitiesService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { WorkshopAccessService } from '../access/workshop-access.service';
import { CreateWorkshopDto, UpdateWorkshopDto } from '../dto/workshop.dto';
import { isUuid } from '../ids';
import { AttemptedBooking, explainClash } from '../sessions/booking-clashes';
import { SessionScheduler } from '../sessions/session-scheduler';
import { WorkshopSessionEntity } from '../sessions/session.entity';
import { toSessionView } from '../sessions/session-view';
import { WORKSHOP_AUDIT } from '../workshops.events';
import { NotAFacilitatorError, WorkshopForbiddenError, WorkshopNotFoundError } from '../workshops.errors';
import { WorkshopEntity, WorkshopFacilitatorEntity } from './workshop.entity';
import { toWorkshopView, WorkshopView } from './workshop-view';

/** Workshops of a town: created by its staff or facilitators, changed by staff or their own facilitators. */
@Injectable()
export class WorkshopsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly workshopAccess: WorkshopAccessService,
    private readonly scheduler: SessionScheduler,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async create(actor: Actor, slug: string, dto: CreateWorkshopDto): Promise<WorkshopView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin', 'facilitator']);
    const isFacilitator = await this.access.hasRole({ ...actor, isPlatformAdmin: false }, municipality.id, ['facilitator']);
    const facilitatorIds = dto.facilitatorIds ?? (isFacilitator ? [actor.id] : []);
    checkOnlineUrl(dto.format, dto.onlineUrl ?? null);
    const attempts: AttemptedBooking[] = [];
    try {
      return await this.tx.run(async (manager) => {
        await this.assertFacilitators(manager, municipality.id, facilitatorIds);
        const workshop = await manager.save(
          manager.create(WorkshopEntity, {
            municipalityId: municipality.id,
            title: { fr: dto.title.fr, en: dto.title.en },
            description: { fr: dto.description.fr, en: dto.description.en },
            topic: dto.topic,
            format: dto.format,
            onlineUrl: dto.onlineUrl ?? null,
            maxNoShows: dto.maxNoShows ?? null,
            offerHours: dto.offerHours ?? 24,
            createdById: actor.id,
          }),
        );
        if (facilitatorIds.length) await manager.insert(WorkshopFacilitatorEntity, facilitatorIds.map((userId) => ({ workshopId: workshop.id, userId })));
        const sessions = await this.scheduler.schedule(manager, workshop, municipality.timezone, dto.sessions, facilitatorIds, attempts);
        await this.outbox.record(manager, 'workshops.workshop_created', { workshopId: workshop.id, municipalityId: municipality.id }, { aggregateType: 'workshop', aggregateId: workshop.id, municipalityId: municipality.id, actorId: actor.id });
        await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: WORKSHOP_AUDIT.created, targetType: 'workshop', targetId: workshop.id, after: { title: workshop.title, sessions: sessions.length } });
        return toWorkshopView(workshop, facilitatorIds, sessions.map((s) => toSessionView(s, municipality.timezone)));
      });
    } catch (error) {
      return explainClash(this.tx.manager, error, attempts);
    }
  }

  async get(id: string): Promise<WorkshopView> {
    const workshop = await this.require(this.tx.manager, id);
    return this.view(this.tx.manager, workshop);
  }

  async update(actor: Actor, slug: string, id: string, dto: UpdateWorkshopDto): Promise<WorkshopView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const attempts: AttemptedBooking[] = [];
    try {
      return await this.tx.run(async (manager) => {
        const workshop = await this.require(manager, id, true);
        // Reached through another town's slug, the workshop is not there.
        if (workshop.municipalityId !== municipality.id) throw new WorkshopNotFoundError();
        if (!(await this.workshopAccess.canManageWorkshop(actor, id, workshop.municipalityId, manager))) throw new WorkshopForbiddenError();
        const before = await this.view(manager, workshop);
        const format = dto.format ?? workshop.format;
        const onlineUrl = format === 'in_person' ? null : (dto.onlineUrl ?? workshop.onlineUrl);
        checkOnlineUrl(format, onlineUrl);
        Object.assign(workshop, {
          title: dto.title ? { fr: dto.title.fr, en: dto.title.en } : workshop.title,
          description: dto.description ? { fr: dto.description.fr, en: dto.description.en } : workshop.description,
          topic: dto.topic ?? workshop.topic,
          format,
          onlineUrl,
          // null (sent on purpose) removes the limit; absent leaves it.
          maxNoShows: dto.maxNoShows !== undefined ? dto.maxNoShows : workshop.maxNoShows,
          offerHours: dto.offerHours ?? workshop.offerHours,
        });
        await manager.save(workshop);
        if (dto.facilitatorIds) await this.replaceFacilitators(manager, workshop, dto.facilitatorIds, attempts);
        // Every session's calendar entry shows the workshop's text: its SEQUENCE moves with it.
        await manager.increment(WorkshopSessionEntity, { workshopId: id }, 'sequence', 1);
        await this.outbox.record(manager, 'workshops.workshop_updated', { workshopId: id, municipalityId: workshop.municipalityId }, { aggregateType: 'workshop', aggregateId: id, municipalityId: workshop.municipalityId, actorId: actor.id });
        const after = await this.view(manager, workshop);
        await this.audit.record(manager, { actorId: actor.id, municipalityId: workshop.municipalityId, action: WORKSHOP_AUDIT.updated, targetType: 'workshop', targetId: id, before: { ...before, sessions: undefined }, after: { ...after, sessions: undefined } });
        return after;
      });
    } catch (error) {
      return explainClash(this.tx.manager, error, attempts);
    }
  }

  async view(manager: EntityManager, workshop: WorkshopEntity): Promise<WorkshopView> {
    const municipality = await this.municipalities.requireById(workshop.municipalityId);
    const facilitators = await manager.find(WorkshopFacilitatorEntity, { where: { workshopId: workshop.id }, order: { createdAt: 'ASC', userId: 'ASC' } });
    const sessions = await manager.find(WorkshopSessionEntity, { where: { workshopId: workshop.id }, order: { startsAt: 'ASC', id: 'ASC' } });
    return toWorkshopView(workshop, facilitators.map((f) => f.userId), sessions.map((s) => toSessionView(s, municipality.timezone)));
  }

  async require(manager: EntityManager, id: string, lock = false): Promise<WorkshopEntity> {
    if (!isUuid(id)) throw new WorkshopNotFoundError();
    const workshop = await manager.findOne(WorkshopEntity, { where: { id }, ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}) });
    if (!workshop) throw new WorkshopNotFoundError();
    return workshop;
  }

  /** Facilitators must hold the facilitator role in the workshop's town. */
  private async assertFacilitators(manager: EntityManager, municipalityId: string, userIds: string[]): Promise<void> {
    if (!userIds.length) return;
    const rows = (await manager.query(
      `SELECT user_id AS "userId" FROM municipality_members WHERE municipality_id = $1 AND user_id = ANY($2::uuid[]) AND 'facilitator' = ANY(roles)`,
      [municipalityId, userIds],
    )) as Array<{ userId: string }>;
    const ok = new Set(rows.map((r) => r.userId));
    const missing = userIds.filter((id) => !ok.has(id));
    if (missing.length) throw new NotAFacilitatorError(missing);
  }

  /** New facilitators are booked on every scheduled session; the constraint refuses their clashes. */
  private async replaceFacilitators(manager: EntityManager, workshop: WorkshopEntity, userIds: string[], attempts: AttemptedBooking[]): Promise<void> {
    await this.assertFacilitators(manager, workshop.municipalityId, userIds);
    await manager.delete(WorkshopFacilitatorEntity, { workshopId: workshop.id });
    await manager.insert(WorkshopFacilitatorEntity, userIds.map((userId) => ({ workshopId: workshop.id, userId })));
    const sessions = await manager.find(WorkshopSessionEntity, { where: { workshopId: workshop.id, status: 'scheduled' } });
    for (const s of sessions) {
      attempts.push({ sessionId: s.id, startsAt: s.startsAt, endsAt: s.endsAt, roomId: null, facilitatorIds: userIds });
      await this.scheduler.book(manager, s, userIds);
    }
  }
}

function checkOnlineUrl(format: string, onlineUrl: string | null): void {
  if (format === 'in_person' && onlineUrl) throw new ValidationError('An in-person workshop has no online link', [{ field: 'onlineUrl', code: 'NOT_ALLOWED', message: 'onlineUrl is only for online and hybrid workshops' }], 'VALIDATION_FAILED', 'unprocessable');
  if (format !== 'in_person' && !onlineUrl) throw new ValidationError('An online or hybrid workshop needs its link', [{ field: 'onlineUrl', code: 'REQUIRED', message: `onlineUrl is required for a ${format} workshop` }], 'VALIDATION_FAILED', 'unprocessable');
}

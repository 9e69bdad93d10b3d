import { Injectable } from '@nestjs/common';
import { AuditService, FieldError, OutboxService, TransactionService, ValidationError } from '@app/common';
import { Actor, MunicipalitiesService, UsersService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { WorkshopAccessService } from '../access/workshop-access.service';
import { AddSessionsDto, UpdateSessionDto } from '../dto/workshop.dto';
import { isUuid } from '../ids';
import { RegistrationEntity } from '../registrations/registration.entity';
import { RosterEntryView, toRegistrationView } from '../registrations/registration-view';
import { SeatOffers } from '../registrations/seat-offers';
import { lockSession } from '../registrations/session-lock';
import { WorkshopEntity, WorkshopFacilitatorEntity } from '../workshops/workshop.entity';
import { WORKSHOP_AUDIT } from '../workshops.events';
import { SessionNotFoundError, SessionStateError, WorkshopForbiddenError, WorkshopNotFoundError } from '../workshops.errors';
import { AttemptedBooking, explainClash } from './booking-clashes';
import { SessionScheduler } from './session-scheduler';
import { WorkshopSessionEntity } from './session.entity';
import { localToInstant } from './session-times';
import { SessionView, slotOf, toSessionView } from './session-view';

/** Sessions after the workshop's creation: more of them, moved, resized, cancelled; the roster. */
@Injectable()
export class SessionsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: WorkshopAccessService,
    private readonly scheduler: SessionScheduler,
    private readonly offers: SeatOffers,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {}

  async get(sessionId: string): Promise<SessionView> {
    if (!isUuid(sessionId)) throw new SessionNotFoundError();
    const s = await this.tx.manager.findOneBy(WorkshopSessionEntity, { id: sessionId });
    if (!s) throw new SessionNotFoundError();
    return toSessionView(s, (await this.municipalities.requireById(s.municipalityId)).timezone);
  }

  async add(actor: Actor, workshopId: string, dto: AddSessionsDto): Promise<SessionView[]> {
    if (!isUuid(workshopId)) throw new WorkshopNotFoundError();
    const attempts: AttemptedBooking[] = [];
    try {
      return await this.tx.run(async (manager) => {
        const workshop = await manager.findOne(WorkshopEntity, { where: { id: workshopId }, lock: { mode: 'pessimistic_write' } });
        if (!workshop) throw new WorkshopNotFoundError();
        if (!(await this.access.canManageWorkshop(actor, workshop.id, workshop.municipalityId, manager))) throw new WorkshopForbiddenError();
        const { timezone } = await this.municipalities.requireById(workshop.municipalityId);
        const sessions = await this.scheduler.schedule(manager, workshop, timezone, dto.sessions, await this.facilitatorIds(manager, workshop.id), attempts);
        for (const s of sessions) await this.audit.record(manager, { actorId: actor.id, municipalityId: workshop.municipalityId, action: WORKSHOP_AUDIT.sessionScheduled, targetType: 'workshop_session', targetId: s.id, after: slotOf(s) });
        return sessions.map((s) => toSessionView(s, timezone));
      });
    } catch (error) {
      return explainClash(this.tx.manager, error, attempts);
    }
  }

  /**
   * Moves a session (time, place) or changes its capacity. A move bumps its iCalendar SEQUENCE and
   * records `session_moved` (reminders follow, people are told); more seats go to the waitlist.
   */
  async update(actor: Actor, sessionId: string, dto: UpdateSessionDto): Promise<SessionView> {
    const attempts: AttemptedBooking[] = [];
    try {
      return await this.tx.run(async (manager) => {
        const session = await lockSession(manager, sessionId);
        const workshop = await manager.findOneByOrFail(WorkshopEntity, { id: session.workshopId });
        if (!(await this.access.canManageWorkshop(actor, workshop.id, workshop.municipalityId, manager))) throw new WorkshopForbiddenError();
        if (session.status === 'cancelled') throw new SessionStateError('A cancelled session cannot change', { status: session.status });
        const { timezone } = await this.municipalities.requireById(workshop.municipalityId);
        const before = slotOf(session);
        const problems: FieldError[] = [];
        const startsAt = dto.startsAt ? localToInstant(dto.startsAt, timezone, 'startsAt', problems) : session.startsAt;
        const endsAt = dto.endsAt ? localToInstant(dto.endsAt, timezone, 'endsAt', problems) : session.endsAt;
        const cutoff = dto.registrationCutoff ? localToInstant(dto.registrationCutoff, timezone, 'registrationCutoff', problems) : null;
        if (problems.length || !startsAt || !endsAt) throw new ValidationError('Invalid session times', problems, 'VALIDATION_FAILED', 'unprocessable');
        if (endsAt <= startsAt) throw new ValidationError('Invalid session times', [{ field: 'endsAt', code: 'ENDS_BEFORE_START', message: 'endsAt must be after startsAt' }], 'VALIDATION_FAILED', 'unprocessable');
        const timeMoved = startsAt.getTime() !== session.startsAt.getTime() || endsAt.getTime() !== session.endsAt.getTime();
        // A moved start drags a cut-off left at the old start with it; an explicit one wins.
        const registrationCutoffAt = cutoff ?? (session.registrationCutoffAt.getTime() === session.startsAt.getTime() || session.registrationCutoffAt > startsAt ? startsAt : session.registrationCutoffAt);
        if (registrationCutoffAt > startsAt) throw new ValidationError('Invalid cut-off', [{ field: 'registrationCutoff', code: 'CUTOFF_AFTER_START', message: 'registrationCutoff must not be after startsAt' }], 'VALIDATION_FAILED', 'unprocessable');
        const capacity = dto.capacity ?? session.capacity;
        // Another venue without a room named leaves the old venue's room behind.
        const venueId = dto.venueId ?? session.venueId;
        const roomId = dto.roomId ?? (venueId !== session.venueId ? null : session.roomId);
        const place = await this.scheduler.checkPlace(manager, workshop, { venueId, roomId, capacity }, 'session');
        if (capacity < session.seatsTaken) throw new SessionStateError(`${session.seatsTaken} seats are taken: the capacity cannot go below that`, { seatsTaken: session.seatsTaken });
        const moved = timeMoved || place.venueId !== session.venueId || place.roomId !== session.roomId;
        Object.assign(session, { startsAt, endsAt, registrationCutoffAt, capacity, ...place, sequence: session.sequence + (moved ? 1 : 0) });
        attempts.push({ sessionId: session.id, startsAt, endsAt, roomId: place.roomId, facilitatorIds: await this.facilitatorIds(manager, workshop.id) });
        await manager.save(session);
        if (timeMoved) await this.scheduler.book(manager, session, attempts[0].facilitatorIds);
        await this.offers.fill(manager, session);
        if (moved) {
          await this.outbox.record(manager, 'workshops.session_moved', { sessionId: session.id, workshopId: workshop.id, from: before, to: slotOf(session) }, { aggregateType: 'workshop_session', aggregateId: session.id, municipalityId: session.municipalityId, actorId: actor.id });
        }
        await this.audit.record(manager, { actorId: actor.id, municipalityId: session.municipalityId, action: WORKSHOP_AUDIT.sessionMoved, targetType: 'workshop_session', targetId: session.id, before: { ...before }, after: { ...slotOf(session), capacity } });
        return toSessionView(session, timezone);
      });
    } catch (error) {
      return explainClash(this.tx.manager, error, attempts);
    }
  }

  /** Cancels a session: its room and facilitators are free again; registered and waiting people are told. */
  async cancel(actor: Actor, sessionId: string): Promise<SessionView> {
    return this.tx.run(async (manager) => {
      const session = await lockSession(manager, sessionId);
      const workshop = await manager.findOneByOrFail(WorkshopEntity, { id: session.workshopId });
      if (!(await this.access.canManageWorkshop(actor, workshop.id, workshop.municipalityId, manager))) throw new WorkshopForbiddenError();
      const { timezone } = await this.municipalities.requireById(workshop.municipalityId);
      if (session.status === 'cancelled') return toSessionView(session, timezone);
      session.status = 'cancelled';
      session.sequence += 1;
      await manager.save(session);
      await this.scheduler.book(manager, session, []);
      await this.outbox.record(manager, 'workshops.session_cancelled', { sessionId: session.id, workshopId: workshop.id, slot: slotOf(session) }, { aggregateType: 'workshop_session', aggregateId: session.id, municipalityId: session.municipalityId, actorId: actor.id });
      await this.audit.record(manager, { actorId: actor.id, municipalityId: session.municipalityId, action: WORKSHOP_AUDIT.sessionCancelled, targetType: 'workshop_session', targetId: session.id, before: slotOf(session) });
      return toSessionView(session, timezone);
    });
  }

  /**
   * Everyone on the session, in arrival order, with their codes and display names (the door greets
   * people by name): for its facilitators and the town's staff only.
   */
  async roster(actor: Actor, sessionId: string): Promise<RosterEntryView[]> {
    if (!(await this.access.sessionSummary(sessionId))) throw new SessionNotFoundError();
    if (!(await this.access.canRunSession(actor, sessionId))) throw new WorkshopForbiddenError();
    const rows = await this.tx.manager.find(RegistrationEntity, { where: { sessionId }, order: { arrival: 'ASC' }, take: 5000 });
    const names = await this.users.displayNames(rows.map((r) => r.userId ?? ''));
    let position = 0;
    return rows.map((r) => ({ ...toRegistrationView(r, r.status === 'waitlisted' ? ++position : null), displayName: r.walkInName ?? (r.userId ? (names.get(r.userId) ?? null) : null) }));
  }

  private async facilitatorIds(manager: EntityManager, workshopId: string): Promise<string[]> {
    return (await manager.find(WorkshopFacilitatorEntity, { where: { workshopId } })).map((f) => f.userId);
  }
}

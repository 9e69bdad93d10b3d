import { Injectable } from '@nestjs/common';
import { FieldError, OutboxService, ValidationError } from '@app/common';
import { EntityManager } from 'typeorm';
import { SessionInputDto } from '../dto/workshop.dto';
import { RoomEntity, VenueEntity } from '../venues/venue.entity';
import { WorkshopEntity } from '../workshops/workshop.entity';
import { CapacityOverRoomError } from '../workshops.errors';
import { AttemptedBooking } from './booking-clashes';
import { FacilitatorBookingEntity, WorkshopSessionEntity } from './session.entity';
import { expandSlots, ResolvedTimes } from './session-times';
import { slotOf } from './session-view';

/** A session's place, checked against the town and the room's capacity. */
export interface PlaceInput {
  venueId?: string | null;
  roomId?: string | null;
  capacity: number;
}

/**
 * Writes sessions and their facilitator bookings. Overlaps are not looked for here: the
 * exclusion constraints refuse them at insert, and the caller explains the refusal
 * (booking-clashes.ts) once the transaction has rolled back.
 */
@Injectable()
export class SessionScheduler {
  constructor(private readonly outbox: OutboxService) {}

  /** Checks a place against the workshop's town and format; returns the venue and room ids. */
  async checkPlace(manager: EntityManager, workshop: WorkshopEntity, place: PlaceInput, field: string): Promise<{ venueId: string | null; roomId: string | null }> {
    const problems: FieldError[] = [];
    const needsVenue = workshop.format !== 'online';
    if (needsVenue && !place.venueId) problems.push({ field: `${field}.venueId`, code: 'REQUIRED', message: `venueId is required for a ${workshop.format} workshop` });
    if (place.roomId && !place.venueId) problems.push({ field: `${field}.venueId`, code: 'REQUIRED', message: 'venueId is required with roomId' });
    if (problems.length) throw new ValidationError('Invalid session place', problems, 'VALIDATION_FAILED', 'unprocessable');
    if (place.venueId) {
      const venue = await manager.findOneBy(VenueEntity, { id: place.venueId, municipalityId: workshop.municipalityId });
      if (!venue) throw new ValidationError('Unknown venue', [{ field: `${field}.venueId`, code: 'VENUE_UNKNOWN', message: 'no such venue in this municipality' }], 'VALIDATION_FAILED', 'unprocessable');
    }
    if (place.roomId) {
      const room = await manager.findOneBy(RoomEntity, { id: place.roomId, venueId: place.venueId! });
      if (!room) throw new ValidationError('Unknown room', [{ field: `${field}.roomId`, code: 'ROOM_UNKNOWN', message: 'no such room in this venue' }], 'VALIDATION_FAILED', 'unprocessable');
      if (place.capacity > room.capacity) throw new CapacityOverRoomError(place.capacity, room.capacity, `${field}.capacity`);
    }
    return { venueId: place.venueId ?? null, roomId: place.roomId ?? null };
  }

  /** Expands the inputs (series included) into sessions; records a `session_scheduled` event each. */
  async schedule(
    manager: EntityManager,
    workshop: WorkshopEntity,
    timezone: string,
    inputs: SessionInputDto[],
    facilitatorIds: string[],
    attempts: AttemptedBooking[],
    fieldPrefix = 'sessions',
  ): Promise<WorkshopSessionEntity[]> {
    const planned: Array<{ times: ResolvedTimes; place: { venueId: string | null; roomId: string | null }; capacity: number }> = [];
    for (const [i, input] of inputs.entries()) {
      const field = `${fieldPrefix}.${i}`;
      const place = await this.checkPlace(manager, workshop, input, field);
      for (const times of expandSlots(input, timezone, field)) planned.push({ times, place, capacity: input.capacity });
    }
    if (planned.length > 100) throw new ValidationError('Too many sessions', [{ field: fieldPrefix, code: 'TOO_MANY_SESSIONS', message: 'at most 100 sessions at once' }], 'VALIDATION_FAILED', 'unprocessable');
    const saved: WorkshopSessionEntity[] = [];
    for (const p of planned) {
      attempts.push({ startsAt: p.times.startsAt, endsAt: p.times.endsAt, roomId: p.place.roomId, facilitatorIds });
      const session = await manager.save(
        manager.create(WorkshopSessionEntity, {
          workshopId: workshop.id,
          municipalityId: workshop.municipalityId,
          ...p.times,
          ...p.place,
          capacity: p.capacity,
        }),
      );
      await this.book(manager, session, facilitatorIds);
      await this.outbox.record(manager, 'workshops.session_scheduled', { sessionId: session.id, workshopId: workshop.id, slot: slotOf(session) }, { aggregateType: 'workshop_session', aggregateId: session.id, municipalityId: workshop.municipalityId });
      saved.push(session);
    }
    return saved;
  }

  /** (Re)books the facilitators for the session's time; none for a cancelled session. */
  async book(manager: EntityManager, session: WorkshopSessionEntity, facilitatorIds: string[]): Promise<void> {
    await manager.delete(FacilitatorBookingEntity, { sessionId: session.id });
    if (session.status !== 'scheduled' || !facilitatorIds.length) return;
    await manager.query(
      `INSERT INTO workshop_facilitator_bookings (session_id, user_id, during) SELECT $1, u, tstzrange($2, $3) FROM unnest($4::uuid[]) AS u`,
      [session.id, session.startsAt, session.endsAt, facilitatorIds],
    );
  }
}

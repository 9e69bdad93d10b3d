import { Injectable } from '@nestjs/common';
import { OutboxService } from '@app/common';
import { EntityManager } from 'typeorm';
import { WorkshopSessionEntity } from '../sessions/session.entity';
import { WorkshopEntity } from '../workshops/workshop.entity';
import { RegistrationEntity } from './registration.entity';

/**
 * Freed seats go to the waitlist, in arrival order, as offers held for the workshop's offer
 * hours. Callers hold the session's row lock. The offer is made in the same transaction that
 * freed the seat, so a newcomer never takes a seat someone is waiting for; its expiry is a
 * delayed job the worker schedules from the `seat_offered` event.
 */
@Injectable()
export class SeatOffers {
  constructor(private readonly outbox: OutboxService) {}

  /** Ends a registration (cancelled, declined, expired); a seat it held is offered to the next. */
  async release(manager: EntityManager, session: WorkshopSessionEntity, r: RegistrationEntity, to: 'cancelled'): Promise<void> {
    const heldSeat = r.status === 'registered' || r.status === 'offered';
    r.status = to;
    r.offerExpiresAt = null;
    r.cancelledAt = new Date();
    await manager.save(r);
    if (heldSeat) {
      await manager.decrement(WorkshopSessionEntity, { id: session.id }, 'seatsTaken', 1);
      session.seatsTaken -= 1;
      await this.fill(manager, session);
    }
  }

  /** Offers free seats to the waiting people, first come first served, until the session starts. */
  async fill(manager: EntityManager, session: WorkshopSessionEntity): Promise<number> {
    if (session.status !== 'scheduled' || session.startsAt <= new Date()) return 0;
    const free = session.capacity - session.seatsTaken;
    if (free <= 0) return 0;
    const workshop = await manager.findOneByOrFail(WorkshopEntity, { id: session.workshopId });
    const expiresAt = new Date(Math.min(Date.now() + workshop.offerHours * 3600_000, session.startsAt.getTime()));
    const offered = (await manager.query(
      `UPDATE workshop_registrations SET status = 'offered', offer_expires_at = $3, updated_at = now()
        WHERE id IN (SELECT id FROM workshop_registrations WHERE session_id = $1 AND status = 'waitlisted' ORDER BY arrival LIMIT $2)
        RETURNING id, user_id AS "userId"`,
      [session.id, free, expiresAt],
    )) as [Array<{ id: string; userId: string }>, number];
    const rows = offered[0];
    if (!rows.length) return 0;
    await manager.increment(WorkshopSessionEntity, { id: session.id }, 'seatsTaken', rows.length);
    session.seatsTaken += rows.length;
    for (const row of rows) {
      await this.outbox.record(
        manager,
        'workshops.seat_offered',
        { registrationId: row.id, sessionId: session.id, userId: row.userId, expiresAt: expiresAt.toISOString() },
        { aggregateType: 'workshop_session', aggregateId: session.id, municipalityId: session.municipalityId },
      );
    }
    return rows.length;
  }
}

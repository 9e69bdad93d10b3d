import { Injectable } from '@nestjs/common';
import { OutboxService, PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { EntityManager } from 'typeorm';
import { FeedTokenEntity, RegistrationEntity } from './registrations/registration.entity';
import { SeatOffers } from './registrations/seat-offers';
import { lockSession, meta } from './registrations/session-lock';
import { toRegistrationView } from './registrations/registration-view';
import { WorkshopFacilitatorEntity } from './workshops/workshop.entity';
import { FacilitatorBookingEntity } from './sessions/session.entity';

/**
 * Registrations, the private calendar feed and facilitator roles. Erasure frees the seats of
 * sessions still to come (offered on to the waitlist, as a cancellation does); past attendance
 * stays counted but no longer leads to the person (user id removed, no name).
 */
@Injectable()
@ProvidesPersonalData('workshops')
export class WorkshopsPersonalData implements PersonalDataContributor {
  constructor(
    private readonly offers: SeatOffers,
    private readonly outbox: OutboxService,
  ) {}

  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    const rows = await manager.find(RegistrationEntity, { where: { userId }, order: { createdAt: 'ASC' } });
    const feed = await manager.exists(FeedTokenEntity, { where: { userId } });
    const facilitating = await manager.find(WorkshopFacilitatorEntity, { where: { userId } });
    return { registrations: rows.map((r) => toRegistrationView(r)), privateCalendarFeed: feed, facilitatorOf: facilitating.map((f) => f.workshopId) };
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    const upcoming = (await manager.query(
      `SELECT r.id, r.session_id AS "sessionId" FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id
        WHERE r.user_id = $1 AND r.status <> 'cancelled' AND s.ends_at > now() ORDER BY r.session_id`,
      [userId],
    )) as Array<{ id: string; sessionId: string }>;
    for (const { id, sessionId } of upcoming) {
      const session = await lockSession(manager, sessionId);
      const r = await manager.findOneByOrFail(RegistrationEntity, { id });
      const from = r.status;
      await this.offers.release(manager, session, r, 'cancelled');
      await this.outbox.record(manager, 'workshops.registration_cancelled', { registrationId: id, sessionId, userId: null, from }, meta(session, null));
    }
    // Attendance stays counted; the row no longer names anyone.
    await manager.query(`UPDATE workshop_registrations SET user_id = NULL, walk_in_name = '' WHERE user_id = $1`, [userId]);
    await manager.delete(FeedTokenEntity, { userId });
    await manager.delete(FacilitatorBookingEntity, { userId });
    await manager.delete(WorkshopFacilitatorEntity, { userId });
  }
}

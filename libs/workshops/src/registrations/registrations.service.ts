import { Injectable } from '@nestjs/common';
import { OutboxService, TransactionService } from '@app/common';
import { Actor } from '@app/identity';
import { EntityManager } from 'typeorm';
import { isUuid } from '../ids';
import { WorkshopSessionEntity } from '../sessions/session.entity';
import { WorkshopEntity } from '../workshops/workshop.entity';
import {
  AlreadyRegisteredError,
  CancelClosedError,
  NoOpenOfferError,
  RegistrationClosedError,
  RegistrationNotFoundError,
  SessionCancelledError,
  TooManyNoShowsError,
  WorkshopNotFoundError,
} from '../workshops.errors';
import { newCheckInCode } from './check-in-code';
import { RegistrationEntity } from './registration.entity';
import { RegistrationView, toRegistrationView } from './registration-view';
import { SeatOffers } from './seat-offers';
import { countNoShows, lockSession, meta } from './session-lock';

/**
 * Registration for sessions. Each write locks the session's row first, so registrations of one
 * session are served one at a time in arrival order: the seats go to the first comers, the rest
 * wait in the order they came (the `arrival` sequence is drawn under that lock).
 */
@Injectable()
export class RegistrationsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly offers: SeatOffers,
  ) {}

  async register(actor: Actor, sessionId: string): Promise<RegistrationView> {
    return this.tx.run(async (manager) => {
      const session = await lockSession(manager, sessionId);
      const workshop = await manager.findOneByOrFail(WorkshopEntity, { id: session.workshopId });
      return this.registerIn(manager, actor, session, workshop);
    });
  }

  /** Registers for every session of the workshop still open; sessions already held are left as they are. */
  async registerSeries(actor: Actor, workshopId: string): Promise<RegistrationView[]> {
    if (!isUuid(workshopId)) throw new WorkshopNotFoundError();
    return this.tx.run(async (manager) => {
      const workshop = await manager.findOneBy(WorkshopEntity, { id: workshopId });
      if (!workshop) throw new WorkshopNotFoundError();
      // Locked in id order, like every other multi-session write, so two series registrations cannot deadlock.
      const sessions = await manager
        .createQueryBuilder(WorkshopSessionEntity, 's')
        .where('s.workshop_id = :id AND s.status = :st AND s.registration_cutoff_at > now()', { id: workshopId, st: 'scheduled' })
        .orderBy('s.id')
        .setLock('pessimistic_write')
        .getMany();
      const views: RegistrationView[] = [];
      for (const session of sessions.sort((a, b) => a.startsAt.getTime() - b.startsAt.getTime())) {
        const held = await this.active(manager, session.id, actor.id);
        views.push(held ? toRegistrationView(held, await this.position(manager, held)) : await this.registerIn(manager, actor, session, workshop));
      }
      return views;
    });
  }

  async mine(actor: Actor, registrationId: string): Promise<RegistrationView> {
    const r = await this.requireOwn(this.tx.manager, actor, registrationId);
    return toRegistrationView(r, await this.position(this.tx.manager, r));
  }

  /** Cancels a registration (until the cut-off) or leaves the waitlist; a freed seat is offered on. */
  async cancel(actor: Actor, registrationId: string): Promise<RegistrationView> {
    return this.tx.run(async (manager) => {
      const peek = await this.requireOwn(manager, actor, registrationId);
      const session = await lockSession(manager, peek.sessionId);
      const r = await this.requireOwn(manager, actor, registrationId);
      if (r.status === 'cancelled') return toRegistrationView(r);
      if (r.status === 'registered' && new Date() >= session.registrationCutoffAt) throw new CancelClosedError(session.registrationCutoffAt);
      const from = r.status;
      await this.offers.release(manager, session, r, 'cancelled');
      await this.outbox.record(manager, 'workshops.registration_cancelled', { registrationId: r.id, sessionId: session.id, userId: r.userId, from }, meta(session, actor.id));
      return toRegistrationView(r);
    });
  }

  async acceptOffer(actor: Actor, registrationId: string): Promise<RegistrationView> {
    return this.tx.run(async (manager) => {
      const peek = await this.requireOwn(manager, actor, registrationId);
      const session = await lockSession(manager, peek.sessionId);
      const r = await this.requireOwn(manager, actor, registrationId);
      if (r.status !== 'offered') throw new NoOpenOfferError();
      r.status = 'registered';
      r.offerExpiresAt = null;
      await manager.save(r);
      await this.outbox.record(manager, 'workshops.offer_accepted', { registrationId: r.id, sessionId: session.id, userId: actor.id }, meta(session, actor.id));
      return toRegistrationView(r);
    });
  }

  async declineOffer(actor: Actor, registrationId: string): Promise<RegistrationView> {
    return this.tx.run(async (manager) => {
      const peek = await this.requireOwn(manager, actor, registrationId);
      const session = await lockSession(manager, peek.sessionId);
      const r = await this.requireOwn(manager, actor, registrationId);
      if (r.status !== 'offered') throw new NoOpenOfferError();
      await this.offers.release(manager, session, r, 'cancelled');
      await this.outbox.record(manager, 'workshops.offer_declined', { registrationId: r.id, sessionId: session.id, userId: actor.id }, meta(session, actor.id));
      return toRegistrationView(r);
    });
  }

  private async registerIn(manager: EntityManager, actor: Actor, session: WorkshopSessionEntity, workshop: WorkshopEntity): Promise<RegistrationView> {
    if (session.status === 'cancelled') throw new SessionCancelledError();
    if (new Date() >= session.registrationCutoffAt) throw new RegistrationClosedError(session.registrationCutoffAt);
    const held = await this.active(manager, session.id, actor.id);
    if (held) throw new AlreadyRegisteredError(held.id);
    if (workshop.maxNoShows !== null) {
      const noShows = await countNoShows(manager, actor.id, workshop.municipalityId);
      if (noShows >= workshop.maxNoShows) throw new TooManyNoShowsError(noShows, workshop.maxNoShows);
    }
    const seat = session.seatsTaken < session.capacity;
    const { identifiers } = await manager.insert(RegistrationEntity, { sessionId: session.id, userId: actor.id, status: seat ? 'registered' : 'waitlisted', code: newCheckInCode() });
    if (seat) await manager.increment(WorkshopSessionEntity, { id: session.id }, 'seatsTaken', 1);
    if (seat) session.seatsTaken += 1;
    const r = await manager.findOneByOrFail(RegistrationEntity, { id: identifiers[0].id as string });
    await this.outbox.record(manager, 'workshops.registration_created', { registrationId: r.id, sessionId: session.id, userId: actor.id, status: r.status }, meta(session, actor.id));
    return toRegistrationView(r, await this.position(manager, r));
  }

  private active(manager: EntityManager, sessionId: string, userId: string): Promise<RegistrationEntity | null> {
    return manager.createQueryBuilder(RegistrationEntity, 'r').where("r.session_id = :s AND r.user_id = :u AND r.status <> 'cancelled'", { s: sessionId, u: userId }).getOne();
  }

  /** 1 for the next person to be offered a seat. */
  async position(manager: EntityManager, r: RegistrationEntity): Promise<number | null> {
    if (r.status !== 'waitlisted') return null;
    const [row] = (await manager.query(`SELECT count(*)::int AS n FROM workshop_registrations WHERE session_id = $1 AND status = 'waitlisted' AND arrival <= $2`, [r.sessionId, r.arrival])) as Array<{ n: number }>;
    return row.n;
  }

  private async requireOwn(manager: EntityManager, actor: Actor, registrationId: string): Promise<RegistrationEntity> {
    if (!isUuid(registrationId)) throw new RegistrationNotFoundError();
    const r = await manager.findOneBy(RegistrationEntity, { id: registrationId });
    // Someone else's registration is not found rather than forbidden: its existence is theirs.
    if (!r || r.userId !== actor.id) throw new RegistrationNotFoundError();
    return r;
  }
}

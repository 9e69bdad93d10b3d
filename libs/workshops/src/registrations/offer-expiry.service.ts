import { Injectable } from '@nestjs/common';
import { OutboxService, TransactionService } from '@app/common';
import { isUuid } from '../ids';
import { RegistrationEntity } from './registration.entity';
import { SeatOffers } from './seat-offers';
import { lockSession, meta } from './session-lock';

export type OfferExpiryOutcome = 'expired' | 'answered' | 'gone';

/**
 * Ends an offer nobody answered in time, for the worker's delayed job. The job fires at the
 * expiry (or when a test promotes it, which is what its time arriving does); it ends the offer
 * only if it is still the one the job was scheduled for, so an accepted or renewed offer is left.
 */
@Injectable()
export class OfferExpiryService {
  constructor(
    private readonly tx: TransactionService,
    private readonly offers: SeatOffers,
    private readonly outbox: OutboxService,
  ) {}

  async expire(registrationId: string, expiresAt: string): Promise<OfferExpiryOutcome> {
    if (!isUuid(registrationId)) return 'gone';
    return this.tx.run(async (manager) => {
      const peek = await manager.findOneBy(RegistrationEntity, { id: registrationId });
      if (!peek) return 'gone';
      const session = await lockSession(manager, peek.sessionId);
      const r = await manager.findOneBy(RegistrationEntity, { id: registrationId });
      if (!r || r.status !== 'offered' || r.offerExpiresAt?.toISOString() !== new Date(expiresAt).toISOString()) return 'answered';
      await this.offers.release(manager, session, r, 'cancelled');
      await this.outbox.record(manager, 'workshops.offer_expired', { registrationId: r.id, sessionId: session.id, userId: r.userId! }, meta(session, null));
      return 'expired';
    });
  }
}

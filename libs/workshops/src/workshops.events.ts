import type { RegistrationStatus } from './registrations/registration.entity';

/** Where and when a session is, as events carry it (ISO 8601 times). */
export interface SessionSlot {
  startsAt: string;
  endsAt: string;
  venueId: string | null;
  roomId: string | null;
}

/** Events of the workshops library, added to the platform's typed event map. */
declare module '@app/common' {
  interface DomainEventMap {
    'workshops.workshop_created': { workshopId: string; municipalityId: string };
    'workshops.workshop_updated': { workshopId: string; municipalityId: string };
    'workshops.session_scheduled': { sessionId: string; workshopId: string; slot: SessionSlot };
    /** The session changed time or place: reminders move, registered and waiting people are told. */
    'workshops.session_moved': { sessionId: string; workshopId: string; from: SessionSlot; to: SessionSlot };
    'workshops.session_cancelled': { sessionId: string; workshopId: string; slot: SessionSlot };
    'workshops.registration_created': { registrationId: string; sessionId: string; userId: string; status: RegistrationStatus };
    'workshops.registration_cancelled': { registrationId: string; sessionId: string; userId: string | null; from: RegistrationStatus };
    /** A freed seat is held for this person until `expiresAt`; the worker schedules the expiry. */
    'workshops.seat_offered': { registrationId: string; sessionId: string; userId: string; expiresAt: string };
    'workshops.offer_accepted': { registrationId: string; sessionId: string; userId: string };
    'workshops.offer_declined': { registrationId: string; sessionId: string; userId: string };
    'workshops.offer_expired': { registrationId: string; sessionId: string; userId: string };
    /** A reminder came due (24 h or 1 h before); the notification rule tells the registered people. */
    'workshops.session_reminder': { sessionId: string; workshopId: string; kind: '24h' | '1h'; startsAt: string };
    'workshops.checked_in': { registrationId: string; sessionId: string; userId: string | null; walkIn: boolean };
  }
}

/** Audit actions of the workshops library (`<domain>.<verb>`). */
export const WORKSHOP_AUDIT = {
  venueCreated: 'workshop.venue_created',
  venueUpdated: 'workshop.venue_updated',
  roomCreated: 'workshop.room_created',
  created: 'workshop.created',
  updated: 'workshop.updated',
  sessionScheduled: 'workshop.session_scheduled',
  sessionMoved: 'workshop.session_moved',
  sessionCancelled: 'workshop.session_cancelled',
  checkedIn: 'workshop.checked_in',
} as const;

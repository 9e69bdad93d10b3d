import { defineErrorMessages, DomainException, ForbiddenError, NotFoundError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  WORKSHOP_NOT_FOUND: { en: 'Workshop not found', fr: 'Atelier introuvable' },
  WORKSHOP_SESSION_NOT_FOUND: { en: 'Workshop session not found', fr: "Séance d'atelier introuvable" },
  WORKSHOP_VENUE_NOT_FOUND: { en: 'Venue not found', fr: 'Lieu introuvable' },
  WORKSHOP_ROOM_NOT_FOUND: { en: 'Room not found', fr: 'Salle introuvable' },
  WORKSHOP_REGISTRATION_NOT_FOUND: { en: 'Registration not found', fr: 'Inscription introuvable' },
  WORKSHOP_FORBIDDEN: { en: 'Only the staff of the municipality and the workshop facilitators may do this', fr: "Seuls les agents de la commune et les animateurs de l'atelier peuvent faire cela" },
  WORKSHOP_NOT_A_FACILITATOR: { en: 'Facilitators must hold the facilitator role in the municipality: {userIds}', fr: 'Les animateurs doivent avoir le rôle animateur dans la commune : {userIds}' },
  WORKSHOP_ROOM_TAKEN: { en: 'The room is already booked from {startsAt} to {endsAt}', fr: 'La salle est déjà réservée de {startsAt} à {endsAt}' },
  WORKSHOP_FACILITATOR_TAKEN: { en: 'A facilitator is already booked from {startsAt} to {endsAt}', fr: 'Un animateur est déjà pris de {startsAt} à {endsAt}' },
  WORKSHOP_CAPACITY_OVER_ROOM: { en: 'The capacity ({capacity}) is over the room capacity ({roomCapacity})', fr: 'La jauge ({capacity}) dépasse la capacité de la salle ({roomCapacity})' },
  WORKSHOP_REGISTRATION_CLOSED: { en: 'Registration for this session closed at {cutoff}', fr: 'Les inscriptions à cette séance ont fermé le {cutoff}' },
  WORKSHOP_SESSION_CANCELLED: { en: 'This session is cancelled', fr: 'Cette séance est annulée' },
  WORKSHOP_ALREADY_REGISTERED: { en: 'You are already registered or waiting for this session', fr: 'Vous êtes déjà inscrit ou en attente pour cette séance' },
  WORKSHOP_TOO_MANY_NO_SHOWS: { en: 'Registration refused after {noShows} missed sessions (limit {limit})', fr: 'Inscription refusée après {noShows} absences (limite {limit})' },
  WORKSHOP_NO_OFFER: { en: 'There is no open offer of a seat on this registration', fr: "Il n'y a pas d'offre de place en cours pour cette inscription" },
  WORKSHOP_CANCEL_CLOSED: { en: 'Cancellation closed at the registration cut-off ({cutoff})', fr: "L'annulation a fermé à la clôture des inscriptions ({cutoff})" },
  WORKSHOP_CHECK_IN_CODE_UNKNOWN: { en: 'No registration of this session has this code', fr: "Aucune inscription de cette séance n'a ce code" },
  WORKSHOP_NOT_REGISTERED: { en: 'Only registered people can be checked in; this one is {status}', fr: 'Seules les personnes inscrites peuvent être pointées ; celle-ci est {status}' },
  WORKSHOP_FEED_TOKEN_INVALID: { en: 'This calendar link is unknown or was revoked', fr: 'Ce lien de calendrier est inconnu ou a été révoqué' },
  WORKSHOP_STATE: { en: 'The session does not allow this now', fr: "La séance ne permet pas cela maintenant" },
});

export class WorkshopNotFoundError extends NotFoundError {
  constructor() {
    super('WORKSHOP_NOT_FOUND', 'Workshop');
  }
}

export class SessionNotFoundError extends NotFoundError {
  constructor() {
    super('WORKSHOP_SESSION_NOT_FOUND', 'Workshop session');
  }
}

export class VenueNotFoundError extends NotFoundError {
  constructor() {
    super('WORKSHOP_VENUE_NOT_FOUND', 'Venue');
  }
}

export class RoomNotFoundError extends NotFoundError {
  constructor() {
    super('WORKSHOP_ROOM_NOT_FOUND', 'Room');
  }
}

export class RegistrationNotFoundError extends NotFoundError {
  constructor() {
    super('WORKSHOP_REGISTRATION_NOT_FOUND', 'Registration');
  }
}

export class WorkshopForbiddenError extends ForbiddenError {
  constructor() {
    super('Only the staff of the municipality and the workshop facilitators may do this', 'WORKSHOP_FORBIDDEN');
  }
}

/** 422: a named facilitator does not hold the facilitator role in the town. */
export class NotAFacilitatorError extends DomainException {
  constructor(userIds: string[]) {
    super('WORKSHOP_NOT_A_FACILITATOR', 'unprocessable', `Facilitators must hold the facilitator role in the municipality: ${userIds.join(', ')}`, { userIds });
  }
}

/** What a booking clashed with: the other session, its time, and the room or the person. */
export interface BookingClash {
  sessionId: string;
  workshopId: string;
  startsAt: string;
  endsAt: string;
  roomId?: string;
  userId?: string;
}

/** 409 naming the clash the database's exclusion constraint refused. */
export class BookingClashError extends DomainException {
  constructor(kind: 'room' | 'facilitator', clash: BookingClash) {
    super(
      kind === 'room' ? 'WORKSHOP_ROOM_TAKEN' : 'WORKSHOP_FACILITATOR_TAKEN',
      'conflict',
      `${kind === 'room' ? 'The room' : `Facilitator ${clash.userId}`} is already booked from ${clash.startsAt} to ${clash.endsAt} (session ${clash.sessionId})`,
      { clash: kind, ...clash },
    );
  }
}

export class CapacityOverRoomError extends DomainException {
  constructor(capacity: number, roomCapacity: number, field: string) {
    super('WORKSHOP_CAPACITY_OVER_ROOM', 'unprocessable', `The capacity (${capacity}) is over the room capacity (${roomCapacity})`, [
      { field, code: 'CAPACITY_OVER_ROOM', message: `at most ${roomCapacity}`, params: { roomCapacity } },
    ]);
  }
}

export class RegistrationClosedError extends DomainException {
  constructor(cutoff: Date) {
    super('WORKSHOP_REGISTRATION_CLOSED', 'conflict', `Registration for this session closed at ${cutoff.toISOString()}`, { cutoff: cutoff.toISOString() });
  }
}

export class SessionCancelledError extends DomainException {
  constructor() {
    super('WORKSHOP_SESSION_CANCELLED', 'conflict', 'This session is cancelled');
  }
}

export class AlreadyRegisteredError extends DomainException {
  constructor(registrationId: string) {
    super('WORKSHOP_ALREADY_REGISTERED', 'conflict', 'You are already registered or waiting for this session', { registrationId });
  }
}

export class TooManyNoShowsError extends DomainException {
  constructor(noShows: number, limit: number) {
    super('WORKSHOP_TOO_MANY_NO_SHOWS', 'forbidden', `Registration refused after ${noShows} missed sessions (limit ${limit})`, { noShows, limit });
  }
}

export class NoOpenOfferError extends DomainException {
  constructor() {
    super('WORKSHOP_NO_OFFER', 'conflict', 'There is no open offer of a seat on this registration');
  }
}

export class CancelClosedError extends DomainException {
  constructor(cutoff: Date) {
    super('WORKSHOP_CANCEL_CLOSED', 'conflict', `Cancellation closed at the registration cut-off (${cutoff.toISOString()})`, { cutoff: cutoff.toISOString() });
  }
}

export class CheckInCodeUnknownError extends NotFoundError {
  constructor() {
    super('WORKSHOP_CHECK_IN_CODE_UNKNOWN', 'Registration with this code');
  }
}

export class NotRegisteredError extends DomainException {
  constructor(status: string) {
    super('WORKSHOP_NOT_REGISTERED', 'conflict', `Only registered people can be checked in; this one is ${status}`, { status });
  }
}

export class FeedTokenInvalidError extends NotFoundError {
  constructor() {
    super('WORKSHOP_FEED_TOKEN_INVALID', 'Calendar feed');
  }
}

export class SessionStateError extends DomainException {
  constructor(message: string, meta?: Record<string, unknown>) {
    super('WORKSHOP_STATE', 'conflict', message, meta);
  }
}

import { defineErrorMessages, DomainErrorKind, DomainException } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  INVALID_MESSAGE: { fr: "Ce message n'est pas valide" },
  TOPIC_INVALID: { fr: "Ce n'est pas un sujet valide (famille:partie:…, lettres, chiffres, '.', '_' et '-')" },
  TOPIC_UNKNOWN: { fr: 'Aucun sujet ne correspond' },
  TOO_MANY_SUBSCRIPTIONS: { fr: "Trop d'abonnements sur cette connexion ; désabonnez-vous d'abord d'un sujet" },
  NOT_SUBSCRIBED: { fr: "Abonnez-vous d'abord à ce sujet" },
  PRESENCE_TOPIC_REQUIRED: { fr: 'Ce sujet ne permet pas de signaler sa présence' },
  CLAIMED_BY_OTHER: { fr: "Quelqu'un d'autre l'a déjà pris en charge" },
  SESSION_MISMATCH: { en: 'This connection belongs to someone else; connect afresh', fr: "Cette connexion appartient à quelqu'un d'autre ; reconnectez-vous" },
});

/** Errors of the live-update channel; the gateway turns them into `{ ok: false, error }` acks. */
export class RealtimeError extends DomainException {
  constructor(code: string, kind: DomainErrorKind, message: string, details?: Record<string, unknown>) {
    super(code, kind, message, details);
  }
}

export class InvalidRealtimeMessageError extends RealtimeError {
  constructor(message: string) {
    super('INVALID_MESSAGE', 'invalid', message);
  }
}

export class TopicInvalidError extends RealtimeError {
  constructor(topic: string) {
    super('TOPIC_INVALID', 'invalid', `"${topic.slice(0, 80)}" is not a topic (family:part:…, letters, digits, '.', '_' and '-')`);
  }
}

export class TopicUnknownError extends RealtimeError {
  constructor(topic: string) {
    super('TOPIC_UNKNOWN', 'not_found', `No topic matches "${topic.slice(0, 80)}"`);
  }
}

/** A policy said no; its code and reason go to the client as they are. */
export class TopicRefusedError extends RealtimeError {
  constructor(code: string, reason: string, kind: DomainErrorKind = 'forbidden') {
    super(code, kind, reason);
  }
}

export class TooManySubscriptionsError extends RealtimeError {
  constructor(max: number) {
    super('TOO_MANY_SUBSCRIPTIONS', 'too_many', `At most ${max} subscriptions per connection; unsubscribe from one first`);
  }
}

export class NotSubscribedError extends RealtimeError {
  constructor(topic: string) {
    super('NOT_SUBSCRIBED', 'conflict', `Subscribe to ${topic} first`);
  }
}

export class PresenceTopicRequiredError extends RealtimeError {
  constructor(reason: string) {
    super('PRESENCE_TOPIC_REQUIRED', 'invalid', reason);
  }
}

export class ClaimedByOtherError extends RealtimeError {
  constructor(holder: { userId: string; name: string | null; expiresAt: string }) {
    super('CLAIMED_BY_OTHER', 'conflict', `${holder.name ?? 'Someone else'} has claimed it until ${holder.expiresAt}`, { claimedBy: holder });
  }
}

export class SessionMismatchError extends RealtimeError {
  constructor() {
    super('SESSION_MISMATCH', 'forbidden', 'This connection belongs to someone else; connect afresh');
  }
}

export class RateLimitedError extends RealtimeError {
  constructor() {
    super('RATE_LIMITED', 'too_many', 'Too many messages on this connection; slow down');
  }
}

export class RealtimeRegistrationError extends Error {}

import { defineErrorMessages, defineFieldErrorMessages, DomainException, NotFoundError, ValidationError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  NOTIFICATION_NOT_FOUND: { en: 'Notification not found', fr: 'Notification introuvable' },
  DELIVERY_NOT_FOUND: { en: 'Notification delivery not found', fr: 'Envoi de notification introuvable' },
  DELIVERY_NOT_FAILED: { en: 'Only a failed delivery can be retried (this one is {status})', fr: "Seul un envoi en échec peut être relancé (celui-ci est {status})" },
  UNKNOWN_NOTIFICATION_TYPE: { en: 'Unknown notification type', fr: 'Type de notification inconnu' },
  INVALID_UNSUBSCRIBE_TOKEN: { en: 'This unsubscribe link is not valid', fr: "Ce lien de désinscription n'est pas valide" },
  PUSH_NOT_CONFIGURED: { en: 'Web push is not enabled on this server', fr: "Les notifications push ne sont pas activées sur ce serveur" },
  ANNOUNCEMENT_NOT_FOUND: { en: 'Announcement not found', fr: 'Annonce introuvable' },
  ANNOUNCEMENT_CANCELLED: { en: 'This announcement was already cancelled', fr: 'Cette annonce a déjà été annulée' },
  UNKNOWN_AUDIENCE: { en: 'Unknown audience', fr: 'Public inconnu' },
  AUDIENCE_TARGET_INVALID: { en: 'This audience cannot be drawn from that target', fr: 'Ce public ne peut pas être tiré de cette cible' },
});
defineFieldErrorMessages({
  UNKNOWN_NOTIFICATION_TYPE: { en: 'unknown type(s): {types}; known: {known}', fr: 'type(s) inconnu(s) : {types} ; connus : {known}' },
  INVALID_PUSH_ENDPOINT: { fr: "{field} n'est pas une adresse de service push acceptée" },
  UNKNOWN_AUDIENCE: { en: 'unknown audience {kind}; known: {known}', fr: 'public inconnu {kind} ; connus : {known}' },
  AUDIENCE_TARGET_INVALID: { en: '{reason}', fr: '{reason}' },
});

/** Error codes of the notifications library. */
export class NotificationNotFoundError extends NotFoundError {
  constructor() {
    super('NOTIFICATION_NOT_FOUND', 'Notification');
  }
}

export class DeliveryNotFoundError extends NotFoundError {
  constructor() {
    super('DELIVERY_NOT_FOUND', 'Notification delivery');
  }
}

export class DeliveryNotFailedError extends DomainException {
  constructor(status: string) {
    super('DELIVERY_NOT_FAILED', 'conflict', `Only a failed delivery can be retried (this one is ${status})`, { status });
  }
}

export class UnknownNotificationTypeError extends ValidationError {
  constructor(types: string[], known: string[]) {
    super('Unknown notification type', [{ field: 'preferences', code: 'UNKNOWN_NOTIFICATION_TYPE', message: `unknown type(s): ${types.join(', ')}; known: ${known.join(', ')}`, params: { types, known } }], 'UNKNOWN_NOTIFICATION_TYPE');
  }
}

export class InvalidUnsubscribeTokenError extends DomainException {
  constructor() {
    super('INVALID_UNSUBSCRIBE_TOKEN', 'invalid', 'This unsubscribe link is not valid');
  }
}

export class PushNotConfiguredError extends DomainException {
  constructor() {
    super('PUSH_NOT_CONFIGURED', 'unprocessable', 'Web push is not enabled on this server');
  }
}

export class InvalidPushEndpointError extends ValidationError {
  constructor(reason: string) {
    super('Invalid push endpoint', [{ field: 'endpoint', code: 'INVALID_PUSH_ENDPOINT', message: reason }]);
  }
}

export class AnnouncementNotFoundError extends NotFoundError {
  constructor() {
    super('ANNOUNCEMENT_NOT_FOUND', 'Announcement');
  }
}

export class AnnouncementCancelledError extends DomainException {
  constructor() {
    super('ANNOUNCEMENT_CANCELLED', 'conflict', 'This announcement was already cancelled');
  }
}

export class UnknownAudienceError extends ValidationError {
  constructor(kind: string, known: string[]) {
    super('Unknown audience', [{ field: 'audience.kind', code: 'UNKNOWN_AUDIENCE', message: `unknown audience ${kind}; known: ${known.join(', ')}`, params: { kind, known: known.join(', ') } }], 'UNKNOWN_AUDIENCE');
  }
}

/**
 * The audience's target is missing, superfluous, or not something of this town (a panel of
 * another town answers this too, never a 404 that would tell it exists).
 */
export class AudienceTargetInvalidError extends ValidationError {
  constructor(reason: string) {
    super('Invalid audience target', [{ field: 'audience.target', code: 'AUDIENCE_TARGET_INVALID', message: reason, params: { reason } }], 'AUDIENCE_TARGET_INVALID', 'unprocessable');
  }
}

/** An audience of the whole town given a target it does not take. */
export class AudienceTargetNotAllowedError extends AudienceTargetInvalidError {
  constructor(kind: string) {
    super(`${kind} takes no target`);
  }
}

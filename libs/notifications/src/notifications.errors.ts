import { defineErrorMessages, defineFieldErrorMessages, DomainException, NotFoundError, ValidationError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  NOTIFICATION_NOT_FOUND: { en: 'Notification not found', fr: 'Notification introuvable' },
  DELIVERY_NOT_FOUND: { en: 'Notification delivery not found', fr: 'Envoi de notification introuvable' },
  DELIVERY_NOT_FAILED: { en: 'Only a failed delivery can be retried (this one is {status})', fr: "Seul un envoi en échec peut être relancé (celui-ci est {status})" },
  UNKNOWN_NOTIFICATION_TYPE: { en: 'Unknown notification type', fr: 'Type de notification inconnu' },
  INVALID_UNSUBSCRIBE_TOKEN: { en: 'This unsubscribe link is not valid', fr: "Ce lien de désinscription n'est pas valide" },
  PUSH_NOT_CONFIGURED: { en: 'Web push is not enabled on this server', fr: "Les notifications push ne sont pas activées sur ce serveur" },
});
defineFieldErrorMessages({
  UNKNOWN_NOTIFICATION_TYPE: { en: 'unknown type(s): {types}; known: {known}', fr: 'type(s) inconnu(s) : {types} ; connus : {known}' },
  INVALID_PUSH_ENDPOINT: { fr: "{field} n'est pas une adresse de service push acceptée" },
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

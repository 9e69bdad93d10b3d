import { DomainException, NotFoundError, ValidationError } from '@app/common';

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
    super('Unknown notification type', [{ field: 'preferences', messages: [`unknown type(s): ${types.join(', ')}; known: ${known.join(', ')}`] }], 'UNKNOWN_NOTIFICATION_TYPE');
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
    super('Invalid push endpoint', [{ field: 'endpoint', messages: [reason] }]);
  }
}

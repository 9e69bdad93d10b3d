import { DomainException, NotFoundError } from '@app/common';

/** Error codes of the identity library. */
export class UserNotFoundError extends NotFoundError {
  constructor() {
    super('USER_NOT_FOUND', 'User');
  }
}

export class MunicipalityNotFoundError extends NotFoundError {
  constructor() {
    super('MUNICIPALITY_NOT_FOUND', 'Municipality');
  }
}

export class EmailTakenError extends DomainException {
  constructor() {
    super('EMAIL_TAKEN', 'conflict', 'An account with this email already exists');
  }
}

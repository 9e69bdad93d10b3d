import { defineErrorMessages, DomainException, NotFoundError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  USER_NOT_FOUND: { en: 'User not found', fr: 'Utilisateur introuvable' },
  MUNICIPALITY_NOT_FOUND: { en: 'Municipality not found', fr: 'Commune introuvable' },
  EMAIL_TAKEN: { en: 'An account with this email already exists', fr: 'Un compte existe déjà avec cette adresse e-mail' },
});

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

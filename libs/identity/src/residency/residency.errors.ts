import { defineErrorMessages, defineFieldErrorMessages, DomainException, NotFoundError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  RESIDENCY_CODE_INVALID: { en: 'This residency code is invalid or has expired', fr: 'Ce code de résidence est invalide ou a expiré' },
  RESIDENCY_CODE_USED: { en: 'This residency code has already been used', fr: 'Ce code de résidence a déjà été utilisé' },
  ALREADY_RESIDENT: { en: 'You are already verified as a resident of this municipality', fr: 'Vous êtes déjà reconnu comme habitant de cette commune' },
  RESIDENCY_NOT_FOUND: { en: 'Residency not found', fr: 'Résidence introuvable' },
});
defineFieldErrorMessages({
  INVALID_OR_EXPIRED: { en: '{field} is invalid or has expired', fr: '{field} est invalide ou a expiré' },
});

/**
 * Unknown, expired, malformed or another municipality's code: one answer for all, so a code
 * cannot be probed against other towns.
 */
export class ResidencyCodeInvalidError extends DomainException {
  constructor() {
    super('RESIDENCY_CODE_INVALID', 'invalid', 'This residency code is invalid or has expired', [
      { field: 'code', code: 'INVALID_OR_EXPIRED', message: 'code is invalid or has expired' },
    ]);
  }
}

/** A code works once, for one person. */
export class ResidencyCodeUsedError extends DomainException {
  constructor() {
    super('RESIDENCY_CODE_USED', 'gone', 'This residency code has already been used');
  }
}

export class AlreadyResidentError extends DomainException {
  constructor() {
    super('ALREADY_RESIDENT', 'conflict', 'You are already verified as a resident of this municipality');
  }
}

export class ResidencyNotFoundError extends NotFoundError {
  constructor() {
    super('RESIDENCY_NOT_FOUND', 'Residency');
  }
}

import { DomainException, NotFoundError } from '@app/common';

/**
 * Unknown, expired, malformed or another municipality's code: one answer for all, so a code
 * cannot be probed against other towns.
 */
export class ResidencyCodeInvalidError extends DomainException {
  constructor() {
    super('RESIDENCY_CODE_INVALID', 'invalid', 'This residency code is invalid or has expired', [
      { field: 'code', messages: ['code is invalid or has expired'] },
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

import { DomainException, NotFoundError } from '@app/common';

/** Error codes of the engagement library (comments, follows, moderation flags). */
export class SubjectNotFoundError extends NotFoundError {
  constructor() {
    super('SUBJECT_NOT_FOUND', 'Subject');
  }
}

export class FlagNotFoundError extends NotFoundError {
  constructor() {
    super('FLAG_NOT_FOUND', 'Flag');
  }
}

export class AlreadyFlaggedError extends DomainException {
  constructor() {
    super('ALREADY_FLAGGED', 'conflict', 'You have already flagged this');
  }
}

export class FlagAlreadyResolvedError extends DomainException {
  constructor(status: string) {
    super('FLAG_ALREADY_RESOLVED', 'conflict', `This flag was already resolved (${status})`, { status });
  }
}

export class SubjectNotHideableError extends DomainException {
  constructor(type: string) {
    super('SUBJECT_NOT_HIDEABLE', 'unprocessable', `A ${type} cannot be taken out of public view by moderation`, { subjectType: type });
  }
}

/** Thrown at start: two providers claim one subject type or collection. */
export class SubjectRegistrationError extends Error {}

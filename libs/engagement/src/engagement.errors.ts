import { defineErrorMessages, defineFieldErrorMessages, DomainException, NotFoundError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  SUBJECT_NOT_FOUND: { en: 'Subject not found', fr: 'Élément introuvable' },
  FLAG_NOT_FOUND: { en: 'Flag not found', fr: 'Signalement de contenu introuvable' },
  ALREADY_FLAGGED: { en: 'You have already flagged this', fr: 'Vous avez déjà signalé ce contenu' },
  FLAG_ALREADY_RESOLVED: { en: 'This flag was already resolved ({status})', fr: 'Ce signalement de contenu a déjà été traité ({status})' },
  SUBJECT_NOT_HIDEABLE: { en: 'A {subjectType} cannot be taken out of public view by moderation', fr: 'La modération ne peut pas masquer ce type de contenu ({subjectType})' },
});
defineFieldErrorMessages({
  CONTROL_CHARACTERS: { en: '{field} must not contain control characters', fr: '{field} ne doit pas contenir de caractères de contrôle' },
});

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

import { defineErrorMessages, defineFieldErrorMessages, DomainException, ForbiddenError, NotFoundError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  SUBJECT_NOT_FOUND: { en: 'Subject not found', fr: 'Élément introuvable' },
  FLAG_NOT_FOUND: { en: 'Flag not found', fr: 'Signalement de contenu introuvable' },
  ALREADY_FLAGGED: { en: 'You have already flagged this', fr: 'Vous avez déjà signalé ce contenu' },
  FLAG_ALREADY_RESOLVED: { en: 'This flag was already resolved ({status})', fr: 'Ce signalement de contenu a déjà été traité ({status})' },
  SUBJECT_NOT_HIDEABLE: { en: 'A {subjectType} cannot be taken out of public view by moderation', fr: 'La modération ne peut pas masquer ce type de contenu ({subjectType})' },
  COMMENT_NOT_FOUND: { en: 'Comment not found', fr: 'Commentaire introuvable' },
  NOT_COMMENT_AUTHOR: { en: 'Only the author of a comment may change or delete it', fr: 'Seul l’auteur d’un commentaire peut le modifier ou le supprimer' },
  COMMENT_NOT_EDITABLE: { en: 'This comment can no longer be edited ({state})', fr: 'Ce commentaire ne peut plus être modifié ({state})' },
  MODERATION_ITEM_NOT_FOUND: { en: 'Moderation item not found', fr: 'Élément de modération introuvable' },
  MODERATION_ALREADY_DECIDED: { en: 'This was already decided ({status})', fr: 'Une décision a déjà été prise ({status})' },
  MODERATION_NOT_REJECTED: { en: 'Only rejected content can be put back ({status})', fr: 'Seul un contenu refusé peut être rétabli ({status})' },
});
defineFieldErrorMessages({
  CONTROL_CHARACTERS: { en: '{field} must not contain control characters', fr: '{field} ne doit pas contenir de caractères de contrôle' },
  HELD_WORD: {
    en: '{field} must be a word or phrase of at most {max} characters, with a letter or digit',
    fr: '{field} doit être un mot ou une expression de {max} caractères au plus, avec une lettre ou un chiffre',
  },
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

export class CommentNotFoundError extends NotFoundError {
  constructor() {
    super('COMMENT_NOT_FOUND', 'Comment');
  }
}

export class NotCommentAuthorError extends ForbiddenError {
  constructor() {
    super('Only the author of a comment may change or delete it', 'NOT_COMMENT_AUTHOR');
  }
}

/** An edit of a comment its author deleted, or that moderation took out of view. */
export class CommentNotEditableError extends DomainException {
  constructor(state: 'deleted' | 'held' | 'hidden' | 'removed') {
    super('COMMENT_NOT_EDITABLE', 'conflict', `This comment can no longer be edited (${state})`, { state });
  }
}

export class InvalidReplyError extends DomainException {
  constructor(message: string) {
    super('INVALID_REPLY', 'unprocessable', message, [{ field: 'inReplyToId', code: 'INVALID_REPLY', message }]);
  }
}

/** Thrown at start: two providers claim one subject type or collection. */
export class SubjectRegistrationError extends Error {}

export class ModerationItemNotFoundError extends NotFoundError {
  constructor() {
    super('MODERATION_ITEM_NOT_FOUND', 'Moderation item');
  }
}

/** Two moderators decided at once, or the item was decided before: the first decision stands. */
export class ModerationAlreadyDecidedError extends DomainException {
  constructor(status: string) {
    super('MODERATION_ALREADY_DECIDED', 'conflict', `This was already decided (${status})`, { status });
  }
}

export class ModerationNotRejectedError extends DomainException {
  constructor(status: string) {
    super('MODERATION_NOT_REJECTED', 'conflict', `Only rejected content can be put back (${status})`, { status });
  }
}

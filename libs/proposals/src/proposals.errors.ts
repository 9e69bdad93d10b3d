import { defineErrorMessages, defineFieldErrorMessages, DomainException, ForbiddenError, NotFoundError, ValidationError } from '@app/common';
import type { ProposalStatus } from './lifecycle/proposal-lifecycle';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  PROPOSAL_NOT_FOUND: { en: 'Proposal not found', fr: 'Proposition introuvable' },
  PROPOSAL_TOPIC_NOT_FOUND: { en: 'Topic not found', fr: 'Thème introuvable' },
  PROPOSAL_TOPIC_CODE_TAKEN: { en: 'A topic with this code already exists in this municipality', fr: 'Un thème de ce code existe déjà dans cette commune' },
  PROPOSAL_ILLEGAL_TRANSITION: {
    en: 'A proposal cannot go from {from} to {to}; allowed: {allowed}',
    fr: 'Une proposition ne peut pas passer de {from} à {to} ; possible : {allowed}',
  },
  PROPOSAL_EDIT_LOCKED: {
    en: 'The proposal has supports: its text can no longer change',
    fr: 'La proposition a reçu des soutiens : son texte ne peut plus changer',
  },
  PROPOSAL_NOT_SUPPORTABLE: { en: 'This proposal does not take supports now ({status})', fr: "Cette proposition ne reçoit pas de soutiens maintenant ({status})" },
  PROPOSAL_OWN_SUPPORT: { en: 'Authors cannot support their own proposal', fr: 'Les auteurs ne peuvent pas soutenir leur propre proposition' },
  PROPOSAL_RESIDENCY_REQUIRED: {
    en: 'Only verified residents of the municipality may support its proposals',
    fr: 'Seuls les habitants vérifiés de la commune peuvent soutenir ses propositions',
  },
  PROPOSAL_NOT_AUTHOR: { en: 'Only the proposal’s author may do this', fr: "Seul l'auteur de la proposition peut faire cela" },
  PROPOSAL_NO_INVITATION: { en: 'You have no invitation to co-sign this proposal', fr: "Vous n'êtes pas invité à cosigner cette proposition" },
  PROPOSAL_NO_ANSWER: { en: 'This proposal has no drafted answer', fr: "Cette proposition n'a pas de réponse en préparation" },
  PROPOSAL_OUTSIDE_MUNICIPALITY: { en: 'This place is not in the municipality', fr: "Cet endroit n'est pas dans la commune" },
  PROPOSAL_ALREADY_PROMOTED: { en: 'This report has already become a proposal', fr: 'Ce signalement est déjà devenu une proposition' },
  PROPOSAL_IDEA_ALREADY_PROPOSED: { en: 'This note has already become a proposal', fr: 'Cette note est déjà devenue une proposition' },
  PROPOSAL_REPORT_NOT_SUGGESTION: { en: 'Only a suggestion report can become a proposal', fr: 'Seul un signalement de type suggestion peut devenir une proposition' },
});
defineFieldErrorMessages({
  UNKNOWN_TOPIC: { en: 'no active topic of this municipality has this id', fr: "aucun thème actif de la commune n'a cet identifiant" },
  UNKNOWN_PERSON: { en: 'no account has this id', fr: "aucun compte n'a cet identifiant" },
  OUTSIDE_MUNICIPALITY: { en: 'the point is outside the municipality', fr: 'le point est hors de la commune' },
  UNKNOWN_DISTRICT: { en: 'no district of this municipality has this id', fr: "aucun quartier de la commune n'a cet identifiant" },
  EMPTY_AFTER_SANITIZING: { en: 'nothing is left once unsafe content is removed', fr: 'il ne reste rien une fois le contenu dangereux retiré' },
  TOPIC_CODE_TAKEN: { en: 'code is already used', fr: 'ce code est déjà utilisé' },
  AUTHOR_ALREADY_SIGNS: { en: 'the author already signs it', fr: "l'auteur la signe déjà" },
  ANSWER_NEEDS_COST_AND_TIMELINE: { en: 'an accepted answer needs estimatedCost and timeline', fr: 'une réponse favorable a besoin de estimatedCost et timeline' },
});

export class ProposalNotFoundError extends NotFoundError {
  constructor() {
    super('PROPOSAL_NOT_FOUND', 'Proposal');
  }
}

export class ProposalTopicNotFoundError extends NotFoundError {
  constructor() {
    super('PROPOSAL_TOPIC_NOT_FOUND', 'Topic');
  }
}

export class TopicCodeTakenError extends DomainException {
  constructor(code: string) {
    super('PROPOSAL_TOPIC_CODE_TAKEN', 'conflict', `A topic with code ${code} already exists in this municipality`, [
      { field: 'code', code: 'TOPIC_CODE_TAKEN', message: 'code is already used' },
    ]);
  }
}

/** 409 naming the move refused and the moves allowed from the current state. */
export class ProposalIllegalTransitionError extends DomainException {
  constructor(from: ProposalStatus, to: ProposalStatus, allowed: readonly ProposalStatus[]) {
    super('PROPOSAL_ILLEGAL_TRANSITION', 'conflict', `A proposal cannot go from ${from} to ${to}; allowed: ${allowed.join(', ') || 'none'}`, {
      from,
      to,
      allowed: [...allowed],
    });
  }
}

export class ProposalEditLockedError extends DomainException {
  constructor(supportCount: number) {
    super('PROPOSAL_EDIT_LOCKED', 'conflict', 'The proposal has supports: its text can no longer change', { reason: 'has_supports', supportCount });
  }
}

export class NotSupportableError extends DomainException {
  constructor(status: ProposalStatus, reason: 'status' | 'period_over') {
    super('PROPOSAL_NOT_SUPPORTABLE', 'conflict', reason === 'period_over' ? 'The support period of this proposal is over' : `This proposal does not take supports now (${status})`, {
      status,
      reason,
    });
  }
}

export class OwnSupportError extends DomainException {
  constructor() {
    super('PROPOSAL_OWN_SUPPORT', 'conflict', 'Authors cannot support their own proposal');
  }
}

export class ResidencyRequiredError extends ForbiddenError {
  constructor() {
    super('Only verified residents of the municipality may support its proposals', 'PROPOSAL_RESIDENCY_REQUIRED');
  }
}

export class NotAuthorError extends ForbiddenError {
  constructor() {
    super('Only the proposal’s author may do this', 'PROPOSAL_NOT_AUTHOR');
  }
}

export class NoInvitationError extends NotFoundError {
  constructor() {
    super('PROPOSAL_NO_INVITATION', 'Invitation');
  }
}

export class NoAnswerError extends DomainException {
  constructor() {
    super('PROPOSAL_NO_ANSWER', 'conflict', 'This proposal has no drafted answer');
  }
}

export class ReportNotSuggestionError extends DomainException {
  constructor() {
    super('PROPOSAL_REPORT_NOT_SUGGESTION', 'conflict', 'Only a suggestion report can become a proposal');
  }
}

export const unknownTopic = () => new ValidationError('Unknown topic', [{ field: 'topicId', code: 'UNKNOWN_TOPIC', message: 'no active topic of this municipality has this id' }], 'VALIDATION_FAILED', 'unprocessable');
export const unknownDistrict = () => new ValidationError('Unknown district', [{ field: 'districtId', code: 'UNKNOWN_DISTRICT', message: 'no district of this municipality has this id' }], 'VALIDATION_FAILED', 'unprocessable');
export const outsideMunicipality = () =>
  new ValidationError('This place is not in the municipality', [{ field: 'location', code: 'OUTSIDE_MUNICIPALITY', message: 'the point is outside the municipality' }], 'PROPOSAL_OUTSIDE_MUNICIPALITY', 'unprocessable');
export const emptyAfterSanitizing = (field: string) =>
  new ValidationError(`Nothing is left of ${field} once unsafe content is removed`, [{ field, code: 'EMPTY_AFTER_SANITIZING', message: 'nothing is left once unsafe content is removed' }], 'VALIDATION_FAILED', 'unprocessable');

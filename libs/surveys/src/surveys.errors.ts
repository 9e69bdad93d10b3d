import { defineErrorMessages, defineFieldErrorMessages, DomainException, FieldErrorInput, ForbiddenError, NotFoundError, ValidationError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  SURVEY_NOT_FOUND: { en: 'Survey not found', fr: 'Questionnaire introuvable' },
  SURVEY_RESPONSE_NOT_FOUND: { en: 'You have not answered this survey yet', fr: "Vous n'avez pas encore répondu à ce questionnaire" },
  SURVEY_NOT_OPEN: { en: 'This survey is not open for answers ({state})', fr: "Ce questionnaire n'est pas ouvert aux réponses ({state})" },
  SURVEY_CLOSED: { en: 'This survey is closed', fr: 'Ce questionnaire est clos' },
  SURVEY_NOT_TARGETED: { en: 'This survey is for {audience} only', fr: 'Ce questionnaire est réservé : {audience}' },
  SURVEY_RESULTS_NOT_READY: { en: 'The results of an anonymous survey are published once it has closed', fr: "Les résultats d'un questionnaire anonyme sont publiés une fois celui-ci clos" },
  SURVEY_RESULTS_NOT_PUBLIC: { en: 'The results of this survey are not public (yet)', fr: 'Les résultats de ce questionnaire ne sont pas (encore) publics' },
  INVALID_SURVEY: { en: 'The survey is not well formed', fr: "Le questionnaire n'est pas bien formé" },
  INVALID_SURVEY_ANSWERS: { en: 'Some answers do not fit the questions', fr: 'Certaines réponses ne correspondent pas aux questions' },
  SURVEY_STARTED: { en: 'The survey has opened: its questions and audience can no longer change', fr: 'Le questionnaire est ouvert : ses questions et son public ne peuvent plus changer' },
});
/** Field codes of answers and results queries; French only where the English names a specific detail. */
defineFieldErrorMessages({
  UNKNOWN_QUESTION: { en: 'there is no question {id} in this survey', fr: "il n'y a pas de question {id} dans ce questionnaire" },
  QUESTION_NOT_SHOWN: { en: 'question {id} is not shown given the other answers', fr: "la question {id} n'est pas posée compte tenu des autres réponses" },
  INVALID_ANSWER: { fr: 'question {id} : réponse non valable' },
  ANSWER_REQUIRED: { en: 'question {id} needs an answer', fr: 'la question {id} demande une réponse' },
  UNKNOWN_FEATURE: { fr: "critère inconnu : il faut un critère du panel (et un questionnaire de panel)" },
});

export class SurveyNotFoundError extends NotFoundError {
  constructor() {
    super('SURVEY_NOT_FOUND', 'Survey');
  }
}

export class SurveyResponseNotFoundError extends NotFoundError {
  constructor() {
    super('SURVEY_RESPONSE_NOT_FOUND', 'Your response');
  }
}

/** 409: before opensAt or after the close. */
export class SurveyNotOpenError extends DomainException {
  constructor(state: 'not_open_yet' | 'closed') {
    super(state === 'closed' ? 'SURVEY_CLOSED' : 'SURVEY_NOT_OPEN', 'conflict', state === 'closed' ? 'This survey is closed' : 'This survey is not open for answers (not_open_yet)', { state });
  }
}

export class SurveyNotTargetedError extends ForbiddenError {
  constructor(audience: 'panel' | 'residents' | 'district') {
    const who = audience === 'panel' ? 'active members of its panel' : audience === 'district' ? 'verified residents of its district' : 'verified residents of the municipality';
    super(`This survey is for ${who} only`, 'SURVEY_NOT_TARGETED');
  }
}

export class SurveyResultsNotPublicError extends ForbiddenError {
  constructor() {
    super('The results of this survey are not public (yet)', 'SURVEY_RESULTS_NOT_PUBLIC');
  }
}

/** 422 naming the fields of the questionnaire (or audience, dates) at fault. */
export class InvalidSurveyError extends ValidationError {
  constructor(fields: FieldErrorInput[]) {
    super('The survey is not well formed', fields, 'INVALID_SURVEY', 'unprocessable');
  }
}

/** 422 naming each question (`answers.<id>`) whose answer does not fit. */
export class InvalidSurveyAnswersError extends ValidationError {
  constructor(fields: FieldErrorInput[]) {
    super('Some answers do not fit the questions', fields, 'INVALID_SURVEY_ANSWERS', 'unprocessable');
  }
}

export class SurveyStartedError extends DomainException {
  constructor() {
    super('SURVEY_STARTED', 'conflict', 'The survey has opened: its questions and audience can no longer change');
  }
}

/**
 * 409: an anonymous survey's results (and CSV) wait for its close, for the staff too — read while
 * it is open, the difference between two readings around one person's submission would be theirs.
 */
export class SurveyResultsNotReadyError extends DomainException {
  constructor() {
    super('SURVEY_RESULTS_NOT_READY', 'conflict', 'The results of an anonymous survey are published once it has closed');
  }
}

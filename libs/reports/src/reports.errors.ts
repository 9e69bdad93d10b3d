import { defineErrorMessages, defineFieldErrorMessages, DomainException, FieldError, NotFoundError } from '@app/common';
import type { ReportStatus } from './lifecycle/report-lifecycle';

/** Defined once in identity (any library's locations are checked there); kept here for the report code that names it. */
export { OutsideMunicipalityError } from '@app/identity';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  REPORT_NOT_FOUND: { en: 'Report not found', fr: 'Signalement introuvable' },
  CATEGORY_NOT_FOUND: { en: 'Category not found', fr: 'Catégorie introuvable' },
  CATEGORY_CODE_TAKEN: { fr: 'Une catégorie de ce code existe déjà dans cette commune' },
  CATEGORY_INACTIVE: { fr: "Cette catégorie n'accepte plus de signalements" },
  INVALID_ATTRIBUTES: { en: 'Invalid attributes: {fields}', fr: 'Attributs invalides : {fields}' },
  ILLEGAL_TRANSITION: { fr: 'Un signalement ne peut pas passer de {from} à {to} ; possible : {allowed}' },
  STALE_VERSION: {
    en: 'The report changed since you loaded it; reload and try again',
    fr: 'Le signalement a changé depuis que vous l’avez chargé ; rechargez-le et réessayez',
  },
  TOO_MANY_PHOTOS: { fr: 'Ce signalement a déjà le nombre maximal de photos' },
});
defineFieldErrorMessages({
  CATEGORY_INACTIVE: { en: 'category is not active', fr: "cette catégorie n'est plus active" },
  UNKNOWN_ATTRIBUTE: { en: 'unknown attribute for this category', fr: 'attribut inconnu pour cette catégorie' },
  INVALID_ATTRIBUTE_VALUE: { fr: "{field} n'a pas une valeur acceptée" },
  INVALID_BBOX: { fr: '{field} doit valoir minLng,minLat,maxLng,maxLat dans les bornes, min avant max' },
  FROM_AFTER_TO: { en: 'from must be before to', fr: 'from doit précéder to' },
  RANGE_TOO_LONG: { en: 'the range may cover at most {maxDays} days', fr: "l'intervalle couvre au plus {maxDays} jours" },
  ONE_LANGUAGE_REQUIRED: { en: 'give at least one of fr, en', fr: 'donnez au moins fr ou en' },
  DUPLICATE_CODE: { en: 'codes must be unique', fr: 'les codes doivent être uniques' },
  VALUES_REQUIRED: { en: 'a list attribute needs values', fr: 'un attribut liste a besoin de valeurs' },
  VALUES_NOT_ALLOWED: { en: 'only list attributes have values', fr: 'seuls les attributs liste ont des valeurs' },
});

export class ReportNotFoundError extends NotFoundError {
  constructor() {
    super('REPORT_NOT_FOUND', 'Report');
  }
}

export class CategoryNotFoundError extends NotFoundError {
  constructor() {
    super('CATEGORY_NOT_FOUND', 'Category');
  }
}

export class CategoryCodeTakenError extends DomainException {
  constructor(code: string) {
    super('CATEGORY_CODE_TAKEN', 'conflict', `A category with code "${code}" already exists in this municipality`);
  }
}

export class CategoryInactiveError extends DomainException {
  constructor(code: string) {
    super('CATEGORY_INACTIVE', 'unprocessable', `Category "${code}" does not take new reports`, [
      { field: 'categoryCode', code: 'CATEGORY_INACTIVE', message: 'category is not active' },
    ]);
  }
}

export class InvalidAttributesError extends DomainException {
  constructor(fields: FieldError[]) {
    super('INVALID_ATTRIBUTES', 'unprocessable', `Invalid attributes: ${fields.map((f) => f.field).join(', ')}`, fields);
  }
}

export class IllegalTransitionError extends DomainException {
  constructor(from: ReportStatus, to: ReportStatus, allowed: ReportStatus[], reason: string) {
    super('ILLEGAL_TRANSITION', 'conflict', reason, { from, to, allowed });
  }
}

export class StaleVersionError extends DomainException {
  constructor(expected: number, actual: number) {
    super('STALE_VERSION', 'conflict', 'The report changed since you loaded it; reload and try again', {
      yourVersion: expected,
      currentVersion: actual,
    });
  }
}

export class TooManyPhotosError extends DomainException {
  constructor(max: number) {
    super('TOO_MANY_PHOTOS', 'conflict', `A report has at most ${max} photos`);
  }
}

/** The reporter's own changes stop once the city has acknowledged the report. */
export class ReportNotEditableError extends DomainException {
  constructor(status: ReportStatus) {
    super('REPORT_NOT_EDITABLE', 'conflict', `A report can be edited by its reporter only while it is new (this one is ${status})`, {
      status,
      rule: 'reporter_edits_while_new',
    });
  }
}

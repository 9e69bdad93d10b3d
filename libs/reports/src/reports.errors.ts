import { DomainException, FieldError, NotFoundError } from '@app/common';
import type { ReportStatus } from './lifecycle/report-lifecycle';

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
      { field: 'categoryCode', messages: ['category is not active'] },
    ]);
  }
}

export class InvalidAttributesError extends DomainException {
  constructor(fields: FieldError[]) {
    super('INVALID_ATTRIBUTES', 'unprocessable', `Invalid attributes: ${fields.map((f) => f.field).join(', ')}`, fields);
  }
}

export class OutsideMunicipalityError extends DomainException {
  constructor(municipalityName: string, containing: { slug: string; name: string } | null) {
    super(
      'OUTSIDE_MUNICIPALITY',
      'unprocessable',
      containing
        ? `This location is not in ${municipalityName} but in ${containing.name}`
        : `This location is not in ${municipalityName}`,
      { field: 'location', containingMunicipality: containing },
    );
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

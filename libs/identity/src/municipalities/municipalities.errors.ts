import { defineErrorMessages, defineFieldErrorMessages, DomainException, NotFoundError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  MUNICIPALITY_SLUG_TAKEN: { fr: 'Une commune utilise déjà cet identifiant (slug)' },
  NO_MUNICIPALITY_AT_POINT: { en: 'No municipality contains this point', fr: 'Aucune commune ne contient ce point' },
  OUTSIDE_MUNICIPALITY: { fr: "Cet endroit n'est pas dans cette commune" },
});
defineFieldErrorMessages({
  SLUG_TAKEN: { en: '{field} is already taken', fr: '{field} est déjà pris' },
});

export class MunicipalitySlugTakenError extends DomainException {
  constructor(slug: string) {
    super('MUNICIPALITY_SLUG_TAKEN', 'conflict', `A municipality with slug "${slug}" already exists`, [
      { field: 'slug', code: 'SLUG_TAKEN', message: 'slug is already taken' },
    ]);
  }
}

/** No municipality's boundary contains the point (outside the metropolis, or in a gap). */
export class NoMunicipalityAtPointError extends NotFoundError {
  constructor() {
    super('NO_MUNICIPALITY_AT_POINT', 'Municipality containing this point');
  }
}

/** A location (a report's, a project's, a venue's) outside the municipality's boundary: 422 naming the town that contains it. */
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

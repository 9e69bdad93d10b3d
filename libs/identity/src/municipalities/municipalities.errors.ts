import { DomainException, NotFoundError } from '@app/common';

export class MunicipalitySlugTakenError extends DomainException {
  constructor(slug: string) {
    super('MUNICIPALITY_SLUG_TAKEN', 'conflict', `A municipality with slug "${slug}" already exists`, [
      { field: 'slug', messages: ['slug is already taken'] },
    ]);
  }
}

/** No municipality's boundary contains the point (outside the metropolis, or in a gap). */
export class NoMunicipalityAtPointError extends NotFoundError {
  constructor() {
    super('NO_MUNICIPALITY_AT_POINT', 'Municipality containing this point');
  }
}

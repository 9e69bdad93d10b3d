import { DomainException, NotFoundError } from '@app/common';

export class DistrictNotFoundError extends NotFoundError {
  constructor() {
    super('DISTRICT_NOT_FOUND', 'District');
  }
}

export class DistrictCodeTakenError extends DomainException {
  constructor(code: string) {
    super('DISTRICT_CODE_TAKEN', 'conflict', `This municipality already has a district with code "${code}"`, [
      { field: 'code', messages: ['code is already taken in this municipality'] },
    ]);
  }
}

/** A district's boundary must lie inside its municipality's (which must then have one). */
export class DistrictOutsideMunicipalityError extends DomainException {
  constructor(reason: 'outside' | 'municipality_without_boundary') {
    super(
      'DISTRICT_OUTSIDE_MUNICIPALITY',
      'unprocessable',
      reason === 'outside'
        ? "The district's boundary does not lie inside the municipality's boundary"
        : 'The municipality has no boundary, so a district cannot have one',
      [{ field: 'boundary', messages: [reason === 'outside' ? 'boundary must lie inside the municipality' : 'the municipality has no boundary'] }],
    );
  }
}

export class NoDistrictAtPointError extends NotFoundError {
  constructor() {
    super('NO_DISTRICT_AT_POINT', 'District containing this point');
  }
}

import { Injectable } from '@nestjs/common';
import { DistrictNotFoundError, DistrictsService, ResidencyService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { AudienceTargetInvalidError } from '../notifications.errors';
import { AudienceProvider, AudienceScope, NotificationAudience } from './audience';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function districtId(target: string | null): string {
  if (!target || !UUID.test(target)) throw new AudienceTargetInvalidError('district.residents needs a target: the district id');
  return target.toLowerCase();
}

/**
 * The verified residents of one district: those whose residency records it (a district code
 * redeemed, or staff who verified them named it). Residents verified without a district are in
 * no district's audience, only in the town's. Beside `municipality.residents` for the same
 * reason: identity owns the people and cannot depend on notifications.
 */
@Injectable()
@NotificationAudience({ kind: 'district.residents', target: '<district id>', label: { fr: "Les habitants vérifiés d'un quartier", en: 'The verified residents of a district' } })
export class DistrictResidentsAudience implements AudienceProvider {
  constructor(
    private readonly residency: ResidencyService,
    private readonly districts: DistrictsService,
  ) {}

  async check(scope: AudienceScope, manager: EntityManager): Promise<void> {
    try {
      await this.districts.requireInMunicipality(scope.municipalityId, districtId(scope.target), manager);
    } catch (error) {
      // Another town's district answers as one that does not exist: a 422 on the field, never a 404.
      if (error instanceof DistrictNotFoundError) throw new AudienceTargetInvalidError('no such district in this municipality');
      throw error;
    }
  }

  count(scope: AudienceScope, manager: EntityManager): Promise<number> {
    return this.residency.countDistrictResidents(scope.municipalityId, districtId(scope.target), manager);
  }

  page(scope: AudienceScope, after: string | null, limit: number, manager: EntityManager): Promise<string[]> {
    return this.residency.districtResidentIdsAfter(scope.municipalityId, districtId(scope.target), after, limit, manager);
  }
}

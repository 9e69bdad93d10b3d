import { Injectable } from '@nestjs/common';
import { ResidencyService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { AudienceTargetNotAllowedError } from '../notifications.errors';
import { AudienceProvider, AudienceScope, NotificationAudience } from './audience';

/**
 * Every verified resident of the town (identity's residencies, walked by its primary key). It
 * lives here rather than in identity because identity cannot depend on notifications.
 */
@Injectable()
@NotificationAudience({ kind: 'municipality.residents', target: null, label: { fr: 'Tous les habitants vérifiés de la commune', en: 'Every verified resident of the town' } })
export class MunicipalityResidentsAudience implements AudienceProvider {
  constructor(private readonly residency: ResidencyService) {}

  async check(scope: AudienceScope): Promise<void> {
    if (scope.target !== null) throw new AudienceTargetNotAllowedError('municipality.residents');
  }

  count(scope: AudienceScope, manager: EntityManager): Promise<number> {
    return this.residency.countResidents(scope.municipalityId, manager);
  }

  page(scope: AudienceScope, after: string | null, limit: number, manager: EntityManager): Promise<string[]> {
    return this.residency.residentIdsAfter(scope.municipalityId, after, limit, manager);
  }
}

import { Injectable } from '@nestjs/common';
import { PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { EntityManager } from 'typeorm';
import { PoolMemberEntity } from './pool/pool-member.entity';
import { toVolunteerView } from './pool/pool.service';

/**
 * Volunteer profiles. Erasure deletes them, as withdrawing does; a pool snapshot taken at an
 * earlier close keeps only the profile id, feature values and a hashed household key, which no
 * longer lead to the person once the profile row is gone.
 */
@Injectable()
@ProvidesPersonalData('panels')
export class PanelsPersonalData implements PersonalDataContributor {
  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    const rows = await manager.find(PoolMemberEntity, { where: { userId }, order: { createdAt: 'ASC' } });
    return { volunteerProfiles: rows.map(toVolunteerView) };
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(PoolMemberEntity, { userId });
  }
}

import { Injectable } from '@nestjs/common';
import { PersonalDataContributor, ProvidesPersonalData } from '@app/common';
import { EntityManager, In } from 'typeorm';
import { SEATED } from './members/member-states';
import { MemberTransitions } from './members/member-transitions';
import { PanelMemberEntity } from './members/panel-member.entity';
import { toPanelMemberView } from './members/panel-member.view';
import { PanelEntity } from './panels/panel.entity';
import { PoolMemberEntity } from './pool/pool-member.entity';
import { toVolunteerView } from './pool/pool.service';

/**
 * Volunteer profiles and panel seats. Erasure deletes the profiles, as withdrawing does; a pool
 * snapshot taken at an earlier close keeps only the profile id, feature values and a hashed
 * household key, which no longer lead to the person once the profile row is gone. A seat still
 * held is withdrawn (a replacement is drawn) and every seat is unlinked from the account: the
 * panel keeps its make-up (feature values), not who held it.
 */
@Injectable()
@ProvidesPersonalData('panels')
export class PanelsPersonalData implements PersonalDataContributor {
  constructor(private readonly transitions: MemberTransitions) {}

  async exportFor(userId: string, manager: EntityManager): Promise<unknown> {
    const rows = await manager.find(PoolMemberEntity, { where: { userId }, order: { createdAt: 'ASC' } });
    const seats = await manager.find(PanelMemberEntity, { where: { userId }, order: { selectedAt: 'ASC' } });
    return { volunteerProfiles: rows.map(toVolunteerView), panelSeats: seats.map(toPanelMemberView) };
  }

  async eraseFor(userId: string, manager: EntityManager): Promise<void> {
    await manager.delete(PoolMemberEntity, { userId });
    const seated = await manager.find(PanelMemberEntity, { where: { userId, status: In([...SEATED]) }, lock: { mode: 'pessimistic_write' } });
    for (const member of seated) {
      const panel = await manager.findOneByOrFail(PanelEntity, { id: member.panelId });
      await this.transitions.move(manager, panel, member, 'withdrawn', 'account_erased', null);
    }
    await manager.update(PanelMemberEntity, { userId }, { userId: null });
  }
}

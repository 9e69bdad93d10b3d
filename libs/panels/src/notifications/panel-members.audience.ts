import { Injectable } from '@nestjs/common';
import { AudienceProvider, AudienceScope, AudienceTargetInvalidError, NotificationAudience } from '@app/notifications';
import { EntityManager } from 'typeorm';
import { PanelMembersService } from '../members/panel-members.service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function panelId(target: string | null): string {
  if (!target || !UUID.test(target)) throw new AudienceTargetInvalidError('panel.members needs a target: the panel id');
  return target.toLowerCase();
}

/**
 * A panel's sitting members: the active seats held by someone with an account (what
 * `PanelMembersService` gives other libraries, e.g. surveys). People drawn who have not
 * confirmed yet, and those who left, are not members; imported residents without an account are
 * reached by post.
 */
@Injectable()
@NotificationAudience({ kind: 'panel.members', target: '<panel id>', label: { fr: "Les membres en exercice d'un panel citoyen", en: "A citizens' panel's sitting members" } })
export class PanelMembersAudience implements AudienceProvider {
  constructor(private readonly members: PanelMembersService) {}

  async check(scope: AudienceScope, manager: EntityManager): Promise<void> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM panels WHERE id = $1 AND municipality_id = $2`, [panelId(scope.target), scope.municipalityId]);
    // Another town's panel answers as one that does not exist.
    if (rows.length === 0) throw new AudienceTargetInvalidError('no such panel in this municipality');
  }

  count(scope: AudienceScope, manager: EntityManager): Promise<number> {
    return this.members.countActiveMembers(panelId(scope.target), manager);
  }

  page(scope: AudienceScope, after: string | null, limit: number, manager: EntityManager): Promise<string[]> {
    return this.members.activeMemberIdsAfter(panelId(scope.target), after, limit, manager);
  }
}

import { Injectable } from '@nestjs/common';
import { AudienceProvider, AudienceScope, AudienceTargetInvalidError, NotificationAudience } from '@app/notifications';
import { EntityManager } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function panelId(target: string | null): string {
  if (!target || !UUID.test(target)) throw new AudienceTargetInvalidError('panel.volunteers needs a target: the panel id');
  return target.toLowerCase();
}

/**
 * The people with an account in a panel's pool (its volunteers), walked by the partial unique
 * index (panel_id, user_id). Residents imported from a CSV have no account and no inbox: the
 * town reaches them by post.
 */
@Injectable()
@NotificationAudience({ kind: 'panel.volunteers', target: '<panel id>', label: { fr: "Les volontaires d'un panel citoyen", en: "A citizens' panel's volunteers" } })
export class PanelVolunteersAudience implements AudienceProvider {
  async check(scope: AudienceScope, manager: EntityManager): Promise<void> {
    const id = panelId(scope.target);
    const rows: unknown[] = await manager.query(`SELECT 1 FROM panels WHERE id = $1 AND municipality_id = $2`, [id, scope.municipalityId]);
    // Another town's panel answers as one that does not exist.
    if (rows.length === 0) throw new AudienceTargetInvalidError('no such panel in this municipality');
  }

  async count(scope: AudienceScope, manager: EntityManager): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM panel_pool_members WHERE panel_id = $1 AND user_id IS NOT NULL`, [panelId(scope.target)]);
    return n;
  }

  async page(scope: AudienceScope, after: string | null, limit: number, manager: EntityManager): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT user_id FROM panel_pool_members WHERE panel_id = $1 AND user_id IS NOT NULL AND ($2::uuid IS NULL OR user_id > $2::uuid) ORDER BY user_id LIMIT $3`,
      [panelId(scope.target), after, limit],
    );
    return rows.map((r) => r.user_id);
  }
}

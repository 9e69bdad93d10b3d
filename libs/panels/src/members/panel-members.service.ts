import { Injectable } from '@nestjs/common';
import { decodeCursor, encodeCursor, Page, TransactionService } from '@app/common';
import { EntityManager } from 'typeorm';
import { PanelNotFoundError } from '../panels.errors';
import { PanelEntity } from '../panels/panel.entity';
import { PanelMemberEntity } from './panel-member.entity';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** One active member as other libraries see them: the account and its feature values. */
export interface ActiveMember {
  userId: string;
  /** feature code → value code, as drawn. */
  features: Record<string, string>;
}

/** The panel's strata for cross-tabs and post-stratification weights. */
export interface PanelStrata {
  panelId: string;
  municipalityId: string;
  size: number;
  features: Array<{
    code: string;
    label: string;
    values: Array<{
      code: string;
      label: string;
      min: number;
      max: number;
      /**
       * Share of the population with this value, the weighting target: the admin's
       * `populationShare` when given, else the middle of the quota band over the panel size,
       * normalised so a feature's values add up to 1.
       */
      targetShare: number;
    }>;
  }>;
}

export const MAX_MEMBER_PAGE = 1000;

/**
 * What other libraries (surveys, notifications audiences) may know of a panel's members, without
 * touching its tables: who is an active member, their accounts page by page, their feature values,
 * and the panel's strata. No access check here: callers decide who may see what they derive.
 */
@Injectable()
export class PanelMembersService {
  constructor(private readonly tx: TransactionService) {}

  /** True when the account holds an active seat on the panel now. */
  async isActiveMember(panelId: string, userId: string, manager: EntityManager = this.tx.manager): Promise<boolean> {
    if (!UUID.test(panelId) || !UUID.test(userId)) return false;
    return manager.exists(PanelMemberEntity, { where: { panelId, userId, status: 'active' } });
  }

  /** Active members' account ids, by id (keyset: `cursor` is the last page's `nextCursor`); limit ≤ 1000. */
  async activeMemberUserIds(panelId: string, page: { cursor?: string | null; limit?: number } = {}, manager: EntityManager = this.tx.manager): Promise<Page<string>> {
    const members = await this.activeMembers(panelId, page, manager);
    return { items: members.items.map((m) => m.userId), nextCursor: members.nextCursor };
  }

  /**
   * For an audience's fan-out: the next `limit` active members' account ids after `after` (a bare
   * id, not a cursor), on the partial index `panel_members_active_users (panel_id, user_id)`.
   */
  async activeMemberIdsAfter(panelId: string, after: string | null, limit: number, manager: EntityManager = this.tx.manager): Promise<string[]> {
    if (!UUID.test(panelId)) return [];
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT user_id FROM panel_members WHERE panel_id = $1 AND status = 'active' AND user_id IS NOT NULL AND ($2::uuid IS NULL OR user_id > $2::uuid) ORDER BY user_id LIMIT $3`,
      [panelId, after, limit],
    );
    return rows.map((r) => r.user_id);
  }

  /** How many active members with an account a panel has. */
  async countActiveMembers(panelId: string, manager: EntityManager = this.tx.manager): Promise<number> {
    if (!UUID.test(panelId)) return 0;
    const [{ n }]: Array<{ n: number }> = await manager.query(`SELECT count(*)::int AS n FROM panel_members WHERE panel_id = $1 AND status = 'active' AND user_id IS NOT NULL`, [panelId]);
    return n;
  }

  /** Active members with their feature values, by account id (keyset); limit ≤ 1000. */
  async activeMembers(panelId: string, page: { cursor?: string | null; limit?: number } = {}, manager: EntityManager = this.tx.manager): Promise<Page<ActiveMember>> {
    if (!UUID.test(panelId)) return { items: [], nextCursor: null };
    const limit = Math.min(Math.max(page.limit ?? 500, 1), MAX_MEMBER_PAGE);
    const qb = manager
      .createQueryBuilder(PanelMemberEntity, 'm')
      .select(['m.userId', 'm.features'])
      .where(`m.panel_id = :panelId AND m.status = 'active' AND m.user_id IS NOT NULL`, { panelId })
      .orderBy('m.user_id', 'ASC')
      .limit(limit + 1);
    if (page.cursor) {
      const c = decodeCursor(page.cursor, ['userId'] as const, { userId: 'uuid' });
      qb.andWhere('m.user_id > :after::uuid', { after: c.userId });
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map((r) => ({ userId: r.userId!, features: r.features }));
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit && last ? encodeCursor({ userId: last.userId }) : null };
  }

  /**
   * Feature values of these accounts as members of the panel, whatever their status now (a
   * response given while active still counts after a rotation). Accounts never drawn are absent.
   */
  async memberFeatures(panelId: string, userIds: readonly string[], manager: EntityManager = this.tx.manager): Promise<Map<string, Record<string, string>>> {
    const ids = [...new Set(userIds)].filter((id) => UUID.test(id));
    const found = new Map<string, Record<string, string>>();
    if (!UUID.test(panelId) || !ids.length) return found;
    const rows = await manager
      .createQueryBuilder(PanelMemberEntity, 'm')
      .select(['m.userId', 'm.features'])
      .where('m.panel_id = :panelId AND m.user_id = ANY(:ids::uuid[])', { panelId, ids })
      .getMany();
    for (const row of rows) found.set(row.userId!, row.features);
    return found;
  }

  /** The features, quotas and weighting targets; 404 (PANEL_NOT_FOUND) for an unknown panel. */
  async strata(panelId: string, manager: EntityManager = this.tx.manager): Promise<PanelStrata> {
    if (!UUID.test(panelId)) throw new PanelNotFoundError();
    const panel = await manager.findOneBy(PanelEntity, { id: panelId });
    if (!panel) throw new PanelNotFoundError();
    return {
      panelId: panel.id,
      municipalityId: panel.municipalityId,
      size: panel.size,
      features: panel.features.map((f) => {
        const raw = f.values.map((v) => (typeof v.populationShare === 'number' ? v.populationShare : (v.min + v.max) / 2 / panel.size));
        const total = raw.reduce((s, x) => s + x, 0) || 1;
        return { code: f.code, label: f.label, values: f.values.map((v, i) => ({ code: v.code, label: v.label, min: v.min, max: v.max, targetShare: raw[i] / total })) };
      }),
    };
  }
}

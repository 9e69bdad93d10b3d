import { Injectable } from '@nestjs/common';
import { TransactionService } from '@app/common';
import { Actor } from '@app/identity';
import { In } from 'typeorm';
import { PanelEntity, PanelStatus } from '../panels/panel.entity';
import { PoolMemberEntity } from '../pool/pool-member.entity';
import { MemberStatus, PanelMemberEntity } from './panel-member.entity';

/** A panel the caller volunteered for or holds (or held) a seat on. */
export interface MyPanelView {
  panelId: string;
  municipalityId: string;
  name: string;
  panelStatus: PanelStatus;
  /** When the caller's volunteer profile was given; null without one (an imported resident's letter, or withdrawn). */
  volunteeredAt: Date | null;
  /** The caller's latest seat on this panel, whatever its state; null if never drawn. */
  seat: { id: string; status: MemberStatus; respondBy: Date; activatedAt: Date | null; endedAt: Date | null } | null;
}

/** "My panels": only ever the caller's own profiles and seats, read by their account id. */
@Injectable()
export class MyPanelsService {
  constructor(private readonly tx: TransactionService) {}

  async mine(actor: Actor): Promise<MyPanelView[]> {
    const manager = this.tx.manager;
    const [profiles, seats] = await Promise.all([
      manager.find(PoolMemberEntity, { where: { userId: actor.id }, select: { id: true, panelId: true, consentedAt: true, createdAt: true } }),
      manager.find(PanelMemberEntity, { where: { userId: actor.id }, order: { selectedAt: 'ASC' } }),
    ]);
    const panelIds = [...new Set([...profiles.map((p) => p.panelId), ...seats.map((s) => s.panelId)])];
    if (panelIds.length === 0) return [];
    const panels = await manager.find(PanelEntity, { where: { id: In(panelIds) }, order: { createdAt: 'DESC', id: 'ASC' } });
    // Later seats overwrite earlier ones: the latest is the one that says where the person stands.
    const seatOf = new Map(seats.map((s) => [s.panelId, s]));
    const profileOf = new Map(profiles.map((p) => [p.panelId, p]));
    return panels.map((panel) => {
      const seat = seatOf.get(panel.id);
      const profile = profileOf.get(panel.id);
      return {
        panelId: panel.id,
        municipalityId: panel.municipalityId,
        name: panel.name,
        panelStatus: panel.status,
        volunteeredAt: profile ? (profile.consentedAt ?? profile.createdAt) : null,
        seat: seat ? { id: seat.id, status: seat.status, respondBy: seat.respondBy, activatedAt: seat.activatedAt, endedAt: seat.endedAt } : null,
      };
    });
  }
}

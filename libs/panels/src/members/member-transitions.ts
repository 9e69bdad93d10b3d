import { randomInt } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService, DomainException, OutboxService } from '@app/common';
import { EntityManager, In } from 'typeorm';
import { PANEL_AUDIT } from '../panels.events';
import type { PanelEntity } from '../panels/panel.entity';
import { PoolMemberEntity } from '../pool/pool-member.entity';
import type { PoolMember } from '../selection/selection.types';
import { canMove, MemberChangeReason } from './member-states';
import { MemberStatus, PanelMemberEntity, PanelMemberHistoryEntity } from './panel-member.entity';

/** Letters' codes: no 0/O, 1/I/L, so a code read off paper is typed right. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
const CODE_LENGTH = 12; // 31^12 ≈ 2^59

export function newInvitationCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i += 1) code += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return code;
}

/** Codes as printed (`ABCD-EFGH-JKMN`) or typed in lower case are the same code. */
export const normalizeInvitationCode = (code: string): string => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

export class IllegalMemberTransitionError extends DomainException {
  constructor(from: MemberStatus, to: MemberStatus) {
    super('PANEL_MEMBER_ILLEGAL_TRANSITION', 'conflict', `A member who is ${from} cannot become ${to}`, { from, to });
  }
}

/**
 * The one way a member's status changes: the row, its history line, the audit entry and the
 * domain event, in the caller's transaction.
 */
@Injectable()
export class MemberTransitions {
  constructor(
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
  ) {}

  async move(manager: EntityManager, panel: Pick<PanelEntity, 'id' | 'municipalityId'>, member: PanelMemberEntity, to: MemberStatus, reason: MemberChangeReason, actorId: string | null): Promise<void> {
    const from = member.status;
    if (!canMove(from, to)) throw new IllegalMemberTransitionError(from, to);
    const now = new Date();
    const changes: Partial<PanelMemberEntity> = { status: to };
    if (to === 'confirmed') changes.confirmedAt = now;
    if (to === 'active') changes.activatedAt = now;
    if (['declined', 'expired', 'rotated_out', 'withdrawn'].includes(to)) changes.endedAt = now;
    // A code is only good while the invitation is open.
    if (to !== 'selected') changes.invitationCode = null;
    await manager.update(PanelMemberEntity, { id: member.id }, changes);
    Object.assign(member, changes);
    await manager.insert(PanelMemberHistoryEntity, { memberId: member.id, panelId: panel.id, fromStatus: from, toStatus: to, reason, actorId });
    await this.audit.record(manager, { actorId, municipalityId: panel.municipalityId, action: PANEL_AUDIT.memberChanged, targetType: 'panel_member', targetId: member.id, before: { status: from }, after: { status: to, reason } });
    await this.outbox.record(manager, 'panels.member_status_changed', { panelId: panel.id, memberId: member.id, userId: member.userId, from, to, reason }, { aggregateType: 'panel', aggregateId: panel.id, municipalityId: panel.municipalityId, actorId });
  }

  /**
   * Seats the people a draw picked as `selected`: linked to their account when they volunteered,
   * else given a code for the printed letter. Schedules nothing itself: the event does.
   */
  async seatDrawn(
    manager: EntityManager,
    panel: Pick<PanelEntity, 'id' | 'municipalityId' | 'confirmationDays'>,
    draw: { id: string; kind: 'initial' | 'replacement' | 'rotation' },
    selected: readonly PoolMember[],
    actorId: string | null,
  ): Promise<PanelMemberEntity[]> {
    if (!selected.length) return [];
    const respondBy = new Date(Date.now() + panel.confirmationDays * 86_400_000);
    const profileIds = selected.map((m) => m.id).filter((id) => /^[0-9a-f-]{36}$/i.test(id));
    const volunteers = profileIds.length
      ? await manager.find(PoolMemberEntity, { where: { panelId: panel.id, id: In(profileIds) }, select: { id: true, userId: true } })
      : [];
    const accountOf = new Map(volunteers.filter((v) => v.userId).map((v) => [v.id, v.userId!]));
    const rows = selected.map((m) => {
      const userId = accountOf.get(m.id) ?? null;
      return manager.create(PanelMemberEntity, {
        panelId: panel.id,
        selectionId: m.id,
        drawId: draw.id,
        userId,
        features: { ...m.features },
        household: m.household ?? null,
        status: 'selected' as const,
        invitationCode: userId ? null : newInvitationCode(),
        respondBy,
      });
    });
    const saved = await manager.save(PanelMemberEntity, rows);
    await manager.insert(
      PanelMemberHistoryEntity,
      saved.map((m) => ({ memberId: m.id, panelId: panel.id, fromStatus: null, toStatus: 'selected' as const, reason: 'drawn', actorId })),
    );
    await this.outbox.record(
      manager,
      'panels.members_selected',
      { panelId: panel.id, drawId: draw.id, kind: draw.kind, memberIds: saved.map((m) => m.id), respondBy: respondBy.toISOString() },
      { aggregateType: 'panel', aggregateId: panel.id, municipalityId: panel.municipalityId, actorId },
    );
    return saved;
  }
}

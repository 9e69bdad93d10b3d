import type { MemberStatus } from './members/panel-member.entity';
import type { MemberChangeReason } from './members/member-states';

/** Audit actions of the panels library (`<domain>.<verb>`). */
export const PANEL_AUDIT = {
  created: 'panel.created',
  updated: 'panel.updated',
  poolImported: 'panel.pool_imported',
  poolClosed: 'panel.pool_closed',
  drawn: 'panel.drawn',
  replacementDrawn: 'panel.replacement_drawn',
  replacementFailed: 'panel.replacement_failed',
  rotated: 'panel.rotated',
  termStarted: 'panel.term_started',
  termEnded: 'panel.term_ended',
  memberChanged: 'panel.member_status_changed',
  invitationRedeemed: 'panel.invitation_redeemed',
  lettersExported: 'panel.letters_exported',
} as const;

/** Events of the panels library, added to the platform's typed event map. */
declare module '@app/common' {
  interface DomainEventMap {
    /** People were drawn (first draw, replacement or rotation): invite them, watch their deadline. */
    'panels.members_selected': { panelId: string; drawId: string; kind: 'initial' | 'replacement' | 'rotation'; memberIds: string[]; respondBy: string };
    /** A member's status changed (see the README's life-cycle). `userId` is null for an imported resident who has not signed up. */
    'panels.member_status_changed': { panelId: string; memberId: string; userId: string | null; from: MemberStatus; to: MemberStatus; reason: MemberChangeReason };
    /** A term began: confirmed members are active until `endsAt`, when a rotation falls due. */
    'panels.term_started': { panelId: string; termNumber: number; endsAt: string };
  }
}

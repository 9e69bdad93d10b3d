import type { MemberStatus, PanelMemberEntity } from './panel-member.entity';

/** A seat as its holder and the town's staff see it. */
export interface PanelMemberView {
  id: string;
  panelId: string;
  /** The pool's id: the CSV's external id, or the volunteer profile id. */
  selectionId: string;
  status: MemberStatus;
  /** Whether an account holds the seat (a volunteer, or a letter's code redeemed). */
  hasAccount: boolean;
  features: Record<string, string>;
  respondBy: Date;
  selectedAt: Date;
  confirmedAt: Date | null;
  activatedAt: Date | null;
  endedAt: Date | null;
}

export const toPanelMemberView = (m: PanelMemberEntity): PanelMemberView => ({
  id: m.id,
  panelId: m.panelId,
  selectionId: m.selectionId,
  status: m.status,
  hasAccount: m.userId !== null,
  features: m.features,
  respondBy: m.respondBy,
  selectedAt: m.selectedAt,
  confirmedAt: m.confirmedAt,
  activatedAt: m.activatedAt,
  endedAt: m.endedAt,
});

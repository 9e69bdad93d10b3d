import type { MemberStatus } from './panel-member.entity';

/** Why a member's status changed: the history's `reason`. */
export type MemberChangeReason =
  | 'drawn'
  | 'confirmed'
  | 'declined'
  | 'no_answer'
  | 'term_started'
  | 'joined_term'
  | 'rotation'
  | 'withdrew'
  | 'account_erased';

/** The life-cycle: who may go where. Anything else is an illegal transition. */
const TRANSITIONS: Record<MemberStatus, readonly MemberStatus[]> = {
  selected: ['confirmed', 'declined', 'expired', 'withdrawn'],
  confirmed: ['active', 'withdrawn'],
  active: ['rotated_out', 'withdrawn'],
  declined: [],
  expired: [],
  rotated_out: [],
  withdrawn: [],
};

export function canMove(from: MemberStatus, to: MemberStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Statuses that hold a seat: the panel's size counts them, a replacement draw fills the rest. */
export const SEATED: readonly MemberStatus[] = ['selected', 'confirmed', 'active'];

export const isSeated = (status: MemberStatus): boolean => SEATED.includes(status);

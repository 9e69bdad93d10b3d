export type ProposalLanguage = 'fr' | 'en';
export const PROPOSAL_LANGUAGES: readonly ProposalLanguage[] = ['fr', 'en'];

export type ProposalStatus =
  | 'draft'
  /** Pre-moderation holds it: its author sees it "awaiting review", staff decide. */
  | 'held'
  | 'published'
  | 'threshold_reached'
  | 'expired'
  | 'evaluating'
  | 'accepted'
  | 'rejected'
  | 'implemented'
  | 'withdrawn'
  | 'hidden';

export const PROPOSAL_STATUSES: readonly ProposalStatus[] = [
  'draft',
  'held',
  'published',
  'threshold_reached',
  'expired',
  'evaluating',
  'accepted',
  'rejected',
  'implemented',
  'withdrawn',
  'hidden',
];

/** What anyone may see, list and search. */
export const PUBLIC_STATUSES: readonly ProposalStatus[] = ['published', 'threshold_reached', 'expired', 'evaluating', 'accepted', 'rejected', 'implemented'];

/** Where supports are taken (until the support period ends). */
export const SUPPORTABLE_STATUSES: readonly ProposalStatus[] = ['published', 'threshold_reached'];

/** Where the town may publish an answer. */
export const ANSWERABLE_STATUSES: readonly ProposalStatus[] = ['published', 'threshold_reached', 'expired', 'evaluating'];

/**
 * Every legal move. `withdrawn` (author) and `hidden` (moderation) are reachable from every
 * public state; a hidden proposal goes back to the state it was hidden from (hiddenFrom).
 */
const TRANSITIONS: Record<ProposalStatus, readonly ProposalStatus[]> = {
  draft: ['held', 'published', 'withdrawn'],
  held: ['published', 'draft', 'withdrawn'],
  published: ['threshold_reached', 'expired', 'evaluating', 'accepted', 'rejected', 'withdrawn', 'hidden'],
  threshold_reached: ['evaluating', 'accepted', 'rejected', 'withdrawn', 'hidden'],
  expired: ['evaluating', 'accepted', 'rejected', 'withdrawn', 'hidden'],
  evaluating: ['accepted', 'rejected', 'withdrawn', 'hidden'],
  accepted: ['implemented', 'withdrawn', 'hidden'],
  rejected: ['withdrawn', 'hidden'],
  implemented: ['withdrawn', 'hidden'],
  withdrawn: [],
  hidden: [...PUBLIC_STATUSES],
};

export function allowedTransitions(from: ProposalStatus): readonly ProposalStatus[] {
  return TRANSITIONS[from];
}

export function canTransition(from: ProposalStatus, to: ProposalStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

export function isPublicStatus(status: ProposalStatus): boolean {
  return PUBLIC_STATUSES.includes(status);
}

/** A quoted SQL list of statuses, for partial-index predicates the planner must match exactly. */
export function sqlStatusList(statuses: readonly ProposalStatus[]): string {
  return `(${statuses.map((s) => `'${s}'`).join(', ')})`;
}

import type { ProposalStatus } from './lifecycle/proposal-lifecycle';

/** What every proposal event carries: enough for rules, live feeds and the scheduler to route it. */
export interface ProposalEventBase {
  proposalId: string;
  municipalityId: string;
  authorId: string | null;
  status: ProposalStatus;
}

/** Events of the proposals library, added to the platform's typed event map. */
declare module '@app/common' {
  interface DomainEventMap {
    'proposals.published': ProposalEventBase & { expiresAt: string };
    /** Its author edited a published proposal (before its first support). */
    'proposals.edited': ProposalEventBase;
    'proposals.status_changed': ProposalEventBase & { from: ProposalStatus; to: ProposalStatus; by: 'author' | 'staff' | 'schedule' | 'support' | 'moderation'; reason: string | null };
    /** One support more or less: for the live count. Says nothing of who. */
    'proposals.support_changed': ProposalEventBase & { supportCount: number };
    'proposals.answered': ProposalEventBase & { answer: 'evaluating' | 'accepted' | 'rejected' };
    /** The answer deadline passed without a published answer. */
    'proposals.answer_overdue': ProposalEventBase & { answerDueAt: string };
    'proposals.coauthor_invited': ProposalEventBase & { userId: string };
    /** Staff turned a suggestion report into this proposal; the reporter is asked to become its author. */
    'proposals.promoted_from_report': ProposalEventBase & { reportId: string; reporterId: string | null };
    /** The author of a workshop board note made it this draft. */
    'proposals.created_from_workshop_idea': ProposalEventBase & { ideaId: string; sessionId: string; workshopId: string };
  }
}

export {};

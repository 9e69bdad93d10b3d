import type { FlagReason } from './flag.entity';

/** Events of the engagement library, added to the platform's typed event map. */
export type ModerationDecision = 'upheld' | 'dismissed';

declare module '@app/common' {
  interface DomainEventMap {
    'engagement.comment_added': {
      commentId: string;
      subjectType: string;
      subjectId: string;
      municipalityId: string;
      authorId: string;
    };
    /** Someone flagged content; the municipality's moderators have something in their queue. */
    'engagement.flagged': {
      flagId: string;
      subjectType: string;
      subjectId: string;
      municipalityId: string;
      reason: FlagReason;
    };
    /** A moderator decided; `flagIds` are every open flag on the subject, closed by that one decision. */
    'engagement.flag_resolved': {
      flagId: string;
      flagIds: string[];
      subjectType: string;
      subjectId: string;
      municipalityId: string;
      decision: ModerationDecision;
      resolvedById: string;
    };
  }
}

import type { FlagReason } from './flag.entity';

/** Events of the engagement library, added to the platform's typed event map. */
export type ModerationDecision = 'upheld' | 'dismissed';

export interface CommentChangedEvent {
  commentId: string;
  subjectType: string;
  subjectId: string;
  municipalityId: string;
  authorId: string;
}

declare module '@app/common' {
  interface DomainEventMap {
    'engagement.comment_added': {
      commentId: string;
      subjectType: string;
      subjectId: string;
      municipalityId: string;
      authorId: string;
      /** The comment it answers (same subject), whose author hears of the reply. */
      inReplyToId: string | null;
    };
    /** Its author changed a comment's text (the earlier one is in comment_versions). */
    'engagement.comment_edited': CommentChangedEvent;
    /** Its author deleted a comment. */
    'engagement.comment_deleted': CommentChangedEvent;
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

import type { FlagReason } from './flag.entity';
import type { ModerationKind, ModerationReason } from './moderation/moderation.entities';

/** What staff decided on a moderation item (reinstated: a rejected one put back). */
export type ModerationItemDecision = 'approved' | 'rejected' | 'reinstated';

export interface ModerationItemEvent {
  itemId: string;
  subjectType: string;
  subjectId: string;
  municipalityId: string;
  /** Who wrote the content; null when unknown or erased. */
  authorId: string | null;
  kind: ModerationKind;
  reason: ModerationReason;
}

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
    /**
     * A comment joined the public conversation: at once, or when staff released it from
     * pre-moderation (then `authorId` is null if its author erased their account meanwhile).
     */
    'engagement.comment_added': {
      commentId: string;
      subjectType: string;
      subjectId: string;
      municipalityId: string;
      authorId: string | null;
      /** The comment it answers (same subject), whose author hears of the reply. */
      inReplyToId: string | null;
    };
    /** Its author changed a comment's text (the earlier one is in comment_versions). */
    'engagement.comment_edited': CommentChangedEvent;
    /** Its author deleted a comment. */
    'engagement.comment_deleted': CommentChangedEvent;
    /**
     * Moderation took a shown comment out of public view (flags, rejection) or put it back
     * (approval, reinstatement): live threads drop or show it again. `authorId` is its author's.
     */
    'engagement.comment_moderated': Omit<CommentChangedEvent, 'authorId'> & { authorId: string | null; shown: boolean };
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
    /** Pre-moderation held new content: it waits on the staff's queue, shown only to its author and staff. */
    'moderation.held': ModerationItemEvent;
    /** Flags reached the town's threshold: the content is out of public view pending review. */
    'moderation.hidden': ModerationItemEvent & { openFlags: number };
    /** Staff decided; `decisionReason` is what the author is told. */
    'moderation.decided': ModerationItemEvent & { decision: ModerationItemDecision; decisionReason: string | null; decidedById: string };
  }
}

import { SetMetadata } from '@nestjs/common';
import { EntityManager } from 'typeorm';

/**
 * Reports, proposals and workshops all get comments, follows, flags and attachments. Those are
 * built once (libs/engagement, libs/media) and keyed by (subject type, id); the library that
 * owns a subject type tells them what they need to know about one through a SubjectProvider.
 */
export interface SubjectInfo {
  municipalityId: string;
  /** Whether anyone may see it (and so comment, follow, flag); false hides it from the public. */
  isPublic: boolean;
  /** Who created it (a report's reporter), if anyone. */
  ownerId: string | null;
  /**
   * The owner chose not to be named publicly on it (a report filed without showName): their
   * comments on it then show no author to the public either, or the name would be given away there.
   */
  ownerNameHidden?: boolean;
}

/**
 * What a moderation decision does to a subject, told to its owning library (which alone writes
 * its tables), inside the transaction of the decision:
 * - `hold`: pre-moderation held it at creation (the library already stored it out of view;
 *   never sent — screen() answers it instead, see libs/engagement ModerationService).
 * - `release`: held content approved → public.
 * - `hide`: flags reached the town's threshold → out of public view pending review.
 * - `unhide`: staff approved flagged content, or reinstated rejected content → public again.
 * - `reject`: staff rejected held or flagged content → stays out of public view for good
 *   (the author may still see it, marked as rejected, if the library shows that).
 */
export type ModerationAction = 'release' | 'hide' | 'unhide' | 'reject';

export interface ModerationChange {
  action: ModerationAction;
  /** The moderation item (libs/engagement) the change comes from. */
  itemId: string;
  /** Who decided; null when the rules did (flags reaching the threshold). */
  actorId: string | null;
  /** The reason the moderator gave (the author is told), if any. */
  reason: string | null;
}

export interface SubjectProvider {
  /** What the subject is, or null if it does not exist. */
  describe(id: string, manager: EntityManager): Promise<SubjectInfo | null>;
  /** Moderation upheld a flag against the subject itself: take it out of public view. */
  hide?(id: string, actorId: string, manager: EntityManager): Promise<void>;
  /**
   * A moderation decision changes the subject's visibility: apply it to the library's own rows in
   * `manager`'s transaction (and announce it through the outbox if the library has live readers).
   * Must be idempotent (a second `hide` of a hidden subject changes nothing). A subject type
   * without it can still be flagged and queued, but its library never hears of decisions.
   */
  moderate?(id: string, change: ModerationChange, manager: EntityManager): Promise<void>;
  /**
   * Short texts of subjects for the staff's moderation queue (a title, the first lines), by id;
   * ids missing from the map show no preview.
   */
  moderationPreviews?(ids: string[], manager: EntityManager): Promise<Map<string, string>>;
  /**
   * Its attachments changed (added, moved here or away, removed) inside `manager`'s transaction;
   * `count` is how many it has now. For an owner that keeps a denormalised count (a report's
   * photo_count), so the count commits with the change. Called under media's per-subject lock.
   */
  attachmentsCounted?(id: string, count: number, manager: EntityManager): Promise<void>;
}

export interface SubjectProviderOptions {
  /** Singular type stored in rows, e.g. `report`. */
  type: string;
  /** Plural URL segment, e.g. `reports` → /api/v1/reports/:id/comments. */
  collection: string;
}

export const SUBJECT_PROVIDER = Symbol('SUBJECT_PROVIDER');

/** Marks a provider as the SubjectProvider of one subject type; libs/engagement discovers it. */
export const ProvidesSubject = (options: SubjectProviderOptions): ClassDecorator => SetMetadata(SUBJECT_PROVIDER, options);

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

export interface SubjectProvider {
  /** What the subject is, or null if it does not exist. */
  describe(id: string, manager: EntityManager): Promise<SubjectInfo | null>;
  /** Moderation upheld a flag against the subject itself: take it out of public view. */
  hide?(id: string, actorId: string, manager: EntityManager): Promise<void>;
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

import { SetMetadata } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export const PERSONAL_DATA_CONTRIBUTOR = Symbol('PERSONAL_DATA_CONTRIBUTOR');

/** What the person chose when erasing their account. */
export interface ErasureOptions {
  /**
   * False (the default, as FixMyStreet and Decidim do): contributions stay, anonymised — the name
   * is gone, the text stays. True: their free texts are replaced by `removedText` and the photos
   * they uploaded are deleted; what the town needs for its records (a report's category, place and
   * status) stays.
   */
  removeContributions: boolean;
  /** What replaces a removed text ("Removed at the author's request."), in the person's language. */
  removedText: string;
}

/** Work to do once the erasure has committed (files to delete), returned by eraseFor. */
export type AfterErasure = () => Promise<void>;

/**
 * Each library that holds personal data says how to export and erase it (GDPR art. 15, 17, 20).
 * The account deletion keeps contributions (a report, a comment) but strips what identifies
 * the person, and removes their texts and photos too when they ask for it.
 */
export interface PersonalDataContributor {
  exportFor(userId: string, manager: EntityManager): Promise<unknown>;
  eraseFor(userId: string, manager: EntityManager, options: ErasureOptions): Promise<void | AfterErasure>;
}

/** Marks a provider as a personal-data contributor; `section` is its key in the export. */
export const ProvidesPersonalData = (section: string): ClassDecorator => SetMetadata(PERSONAL_DATA_CONTRIBUTOR, section);

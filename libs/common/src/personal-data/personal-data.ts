import { SetMetadata } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export const PERSONAL_DATA_CONTRIBUTOR = Symbol('PERSONAL_DATA_CONTRIBUTOR');

/**
 * Each library that holds personal data says how to export and erase it (GDPR art. 15, 17, 20).
 * The account deletion keeps contributions (a report, a comment) but strips what identifies
 * the person.
 */
export interface PersonalDataContributor {
  exportFor(userId: string, manager: EntityManager): Promise<unknown>;
  eraseFor(userId: string, manager: EntityManager): Promise<void>;
}

/** Marks a provider as a personal-data contributor; `section` is its key in the export. */
export const ProvidesPersonalData = (section: string): ClassDecorator => SetMetadata(PERSONAL_DATA_CONTRIBUTOR, section);

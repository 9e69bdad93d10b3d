import { SetMetadata } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export const NOTIFICATION_AUDIENCE = Symbol('NOTIFICATION_AUDIENCE');

/** Which audience, and of what (`{kind: 'panel.volunteers', target: <panel id>}`); `target` null for a whole town. */
export interface AudienceRef {
  kind: string;
  target: string | null;
}

/** Where an audience is read: the town the announcement is from, and its target. */
export interface AudienceScope {
  municipalityId: string;
  target: string | null;
}

/**
 * Who an announcement reaches, provided by the library that knows them (identity's residents,
 * engagement's followers, panels' volunteers…). The fan-out reads an audience in keyset pages
 * of user ids, in ascending id order, from the database: never the whole audience at once.
 */
export interface AudienceProvider {
  /**
   * Throws the library's own DomainException (a 404/422) unless `scope.target` names something
   * of `scope.municipalityId` this audience can be drawn from (or is null when it needs none).
   */
  check(scope: AudienceScope, manager: EntityManager): Promise<void>;
  /** How many people it holds now (the staff preview; erased accounts may count). */
  count(scope: AudienceScope, manager: EntityManager): Promise<number>;
  /**
   * The next `limit` user ids strictly after `after` (null: from the start), ascending: the same
   * call with the same `after` must give the same page, so a fan-out killed half-way resumes
   * from the last id it stored. Fewer than `limit` ids means the end.
   */
  page(scope: AudienceScope, after: string | null, limit: number, manager: EntityManager): Promise<string[]>;
}

export interface AudienceOptions {
  /** `<library>.<who>`, e.g. `municipality.residents`, `subject.followers`. */
  kind: string;
  /** Whether it needs a target id (a panel, a district, `report:<uuid>`…), and what it is, for the docs and the API. */
  target: string | null;
  /** One line for staff (fr, en). */
  label: { fr: string; en: string };
}

export const AUDIENCE_KIND_SHAPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$/;

/** Marks a provider as an audience; libs/notifications discovers it in the API and the worker. */
export function NotificationAudience(options: AudienceOptions): ClassDecorator {
  if (!AUDIENCE_KIND_SHAPE.test(options.kind)) throw new Error(`Audience kind "${options.kind}" is not of the form "library.who"`);
  return SetMetadata(NOTIFICATION_AUDIENCE, options);
}

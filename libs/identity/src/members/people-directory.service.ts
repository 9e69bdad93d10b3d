import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService, decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, Page, TransactionService, ValidationError } from '@app/common';
import { UserNotFoundError } from '../identity.errors';
import { escapeLike } from '../like-pattern';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import type { ResidencyMethod } from '../residency/residency.entity';
import { AccessService, Actor } from './access.service';
import type { MunicipalityRole } from './membership.entity';

/** What an admin learns of a person found by e-mail: enough to act (grant a role, verify residency), nothing more. */
export interface PersonFound {
  id: string;
  displayName: string;
  /** Their roles in this municipality (empty when none). */
  roles: MunicipalityRole[];
  /** When they became a verified resident of this municipality, or null. */
  residentSince: Date | null;
}

export interface ResidentView {
  userId: string;
  displayName: string;
  method: ResidencyMethod;
  verifiedAt: Date;
}

/** A verified resident found by a fragment: who they are to pick them, and nothing else. */
export interface ResidentMatch {
  id: string;
  displayName: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ADMIN_ONLY = ['admin'] as const;
// Entering a paper ballot is staff's work (libs/budgets), done at a desk without the admin role.
const STAFF_OR_ADMIN = ['staff', 'admin'] as const;
/** A desk picks from a short list; a longer one means "type more", not "scroll the town". */
export const RESIDENT_MATCH_LIMIT = 10;

/**
 * How a municipality's admins find people: one person by exact e-mail (to grant a role or verify
 * residency: nobody can browse or guess accounts through it, and every lookup is audited), and
 * the town's verified residents, newest first. Admins only, of that municipality (or the platform).
 * Its staff get one narrower search, for the paper ballot desk: verified residents of the town by
 * a fragment of name or address, answering id and name only, audited.
 */
@Injectable()
export class PeopleDirectoryService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  /** `email` already normalised (trimmed, lower-cased). USER_NOT_FOUND when no open account has it. */
  async findByEmail(actor: Actor, slug: string, email: string): Promise<PersonFound> {
    const municipality = await this.municipalities.requireBySlug(slug);
    // The role is checked before anything is read: a refused caller learns nothing about the address.
    await this.access.assertRole(actor, municipality.id, ADMIN_ONLY);
    const person = await this.tx.run(async (manager) => {
      const rows: Array<{ id: string; display_name: string; roles: MunicipalityRole[] | null; resident_since: Date | null }> = await manager.query(
        `SELECT u.id, u.display_name, m.roles, r.verified_at AS resident_since
         FROM users u
         LEFT JOIN municipality_members m ON m.user_id = u.id AND m.municipality_id = $2
         LEFT JOIN residencies r ON r.user_id = u.id AND r.municipality_id = $2
         WHERE u.email = $1 AND u.deleted_at IS NULL`,
        [email, municipality.id],
      );
      const found = rows[0];
      // Audited found or not (the address itself stays out of the trail: it outlives erasures).
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'person.looked_up',
        targetType: found ? 'user' : 'municipality',
        targetId: found ? found.id : municipality.id,
        after: { found: !!found },
      });
      return found ? { id: found.id, displayName: found.display_name, roles: found.roles ?? [], residentSince: found.resident_since } : null;
    });
    // Thrown after the commit, so that the lookup of an unknown address stays in the trail.
    if (!person) throw new UserNotFoundError();
    return person;
  }

  /**
   * The open account with this exact address (already normalised) if it is a verified resident of
   * the municipality, else null — the same null for no account, another town's person, an erased
   * one. For a resident inviting a co-author (libs/proposals): the caller checks who may ask and
   * records the lookup in the audit trail; a town's residents are the only accounts it can probe.
   */
  async residentIdByEmail(municipalityId: string, email: string, manager: EntityManager = this.tx.manager): Promise<string | null> {
    const rows: Array<{ id: string }> = await manager.query(
      `SELECT u.id FROM users u JOIN residencies r ON r.user_id = u.id AND r.municipality_id = $2
       WHERE u.email = $1 AND u.deleted_at IS NULL`,
      [email, municipalityId],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Verified residents of the town whose display name (accents and case aside) or address holds
   * `fragment` (already trimmed, 3–100 characters): at most RESIDENT_MATCH_LIMIT, by name, and
   * whether there were more. Only residents here: the desk cannot probe accounts of other towns
   * or people who are not residents, and learns no address. Audited with the count, without the
   * fragment (a name or an address: the trail outlives erasures).
   */
  async searchResidents(actor: Actor, slug: string, fragment: string): Promise<{ items: ResidentMatch[]; more: boolean }> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, STAFF_OR_ADMIN);
    const pattern = escapeLike(fragment);
    return this.tx.run(async (manager) => {
      const rows: Array<{ id: string; display_name: string }> = await manager.query(
        `SELECT u.id, u.display_name
         FROM residencies r JOIN users u ON u.id = r.user_id
         WHERE r.municipality_id = $1 AND u.deleted_at IS NULL
           AND (civic_fold(u.display_name) LIKE '%' || civic_fold($2) || '%' OR u.email LIKE '%' || lower($2) || '%')
         ORDER BY civic_fold(u.display_name), u.id
         LIMIT $3`,
        [municipality.id, pattern, RESIDENT_MATCH_LIMIT + 1],
      );
      const items = rows.slice(0, RESIDENT_MATCH_LIMIT).map((r) => ({ id: r.id, displayName: r.display_name }));
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'resident.searched',
        targetType: 'municipality',
        targetId: municipality.id,
        after: { results: items.length },
      });
      return { items, more: rows.length > RESIDENT_MATCH_LIMIT };
    });
  }

  /** Verified residents, newest first, keyset on (verified_at, user_id) (residencies_municipality_verified_idx). */
  async listResidents(actor: Actor, slug: string, page: { cursor?: string; limit?: number }): Promise<Page<ResidentView>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ADMIN_ONLY);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [municipality.id, limit + 1];
    let after = '';
    if (page.cursor) {
      const cursor = decodeCursor(page.cursor, ['t', 'id'] as const);
      if (!UUID.test(cursor.id) || Number.isNaN(Date.parse(cursor.t))) {
        throw new ValidationError('Invalid cursor', [{ field: 'cursor', messages: ['cursor is invalid'] }]);
      }
      params.push(cursor.t, cursor.id);
      after = 'AND (r.verified_at, r.user_id) < ($3::timestamptz, $4::uuid)';
    }
    const rows: Array<{ user_id: string; display_name: string; method: ResidencyMethod; verified_at: Date; cursor_at: string }> = await this.tx.manager.query(
      `SELECT r.user_id, u.display_name, r.method, r.verified_at, r.verified_at::text AS cursor_at
       FROM residencies r JOIN users u ON u.id = r.user_id
       WHERE r.municipality_id = $1 ${after}
       ORDER BY r.verified_at DESC, r.user_id DESC LIMIT $2`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({ userId: r.user_id, displayName: r.display_name, method: r.method, verifiedAt: r.verified_at })),
      nextCursor: rows.length > limit ? encodeCursor({ t: last.cursor_at, id: last.user_id }) : null,
    };
  }
}

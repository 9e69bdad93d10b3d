import { Injectable } from '@nestjs/common';
import { AuditService, decodeCursor, encodeCursor, OutboxService, Page, TransactionService } from '@app/common';
import { EntityManager } from 'typeorm';
import { SessionCheckCache } from '../auth/session-check-cache';
import { UserNotFoundError } from '../identity.errors';
import { MunicipalitiesService } from '../municipalities/municipalities.service';
import { UserEntity } from '../users/user.entity';
import { AccessService, Actor } from './access.service';
import { MembershipEntity, MUNICIPALITY_ROLES, MunicipalityRole } from './membership.entity';

export interface MembershipView {
  municipalityId: string;
  userId: string;
  displayName: string;
  roles: MunicipalityRole[];
  department: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface SetRolesInput {
  /** Empty removes the membership. */
  roles: MunicipalityRole[];
  department?: string | null;
}

interface MemberRow {
  municipality_id: string;
  user_id: string;
  display_name: string;
  roles: MunicipalityRole[];
  department: string | null;
  created_at: Date;
  updated_at: Date;
}

function toView(row: MemberRow): MembershipView {
  return {
    municipalityId: row.municipality_id,
    userId: row.user_id,
    displayName: row.display_name,
    roles: row.roles,
    department: row.department,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Roles in a fixed order, so equal sets compare and audit equal. */
function canonicalRoles(roles: readonly MunicipalityRole[]): MunicipalityRole[] {
  return MUNICIPALITY_ROLES.filter((role) => roles.includes(role));
}

/** Per-municipality roles: granted by that municipality's admin or the platform admin. */
@Injectable()
export class MembershipsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly sessionChecks: SessionCheckCache,
  ) {}

  /**
   * Sets a user's roles in a municipality (PUT semantics: the given set replaces the old one).
   * Returns the membership, or null when the roles were emptied and the membership removed.
   */
  async setRoles(actor: Actor, slug: string, userId: string, input: SetRolesInput): Promise<MembershipView | null> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    const roles = canonicalRoles(input.roles);
    const membership = await this.tx.run(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: userId }, select: { id: true, deletedAt: true } });
      if (!user || user.deletedAt) throw new UserNotFoundError();
      const current = await manager.findOne(MembershipEntity, {
        where: { municipalityId: municipality.id, userId },
        lock: { mode: 'pessimistic_write' },
      });
      const before = current ? { roles: canonicalRoles(current.roles), department: current.department } : null;
      const department = input.department === undefined ? (current?.department ?? null) : input.department;
      const after = roles.length > 0 ? { roles, department } : null;

      if (JSON.stringify(before) !== JSON.stringify(after)) {
        if (after) {
          await manager.query(
            `INSERT INTO municipality_members (municipality_id, user_id, roles, department) VALUES ($1, $2, $3, $4)
             ON CONFLICT (municipality_id, user_id) DO UPDATE SET roles = excluded.roles, department = excluded.department, updated_at = now()`,
            [municipality.id, userId, roles, department],
          );
        } else {
          await manager.delete(MembershipEntity, { municipalityId: municipality.id, userId });
        }
        await this.audit.record(manager, {
          actorId: actor.id,
          municipalityId: municipality.id,
          action: 'member.roles_changed',
          targetType: 'user',
          targetId: userId,
          before,
          after,
        });
        await this.outbox.record(
          manager,
          'identity.roles_changed',
          { municipalityId: municipality.id, userId, roles, department: after?.department ?? null },
          { aggregateType: 'user', aggregateId: userId, municipalityId: municipality.id, actorId: actor.id },
        );
      }
      if (!after) return null;
      const [row] = (await manager.query(
        `SELECT m.*, u.display_name FROM municipality_members m JOIN users u ON u.id = m.user_id
         WHERE m.municipality_id = $1 AND m.user_id = $2`,
        [municipality.id, userId],
      )) as MemberRow[];
      return toView(row);
    });
    // The person's next request must carry the new roles (see SessionCheckCache).
    this.sessionChecks.forget(userId);
    return membership;
  }

  /**
   * Staff of a municipality who handle `department`: those of that department and those without
   * one (generalists). With `department` null, every staff member. For notifications; no access
   * check, the caller decides what to tell them.
   */
  async staffIdsFor(municipalityId: string, department: string | null, manager?: EntityManager): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await (manager ?? this.tx.manager).query(
      `SELECT m.user_id FROM municipality_members m JOIN users u ON u.id = m.user_id
        WHERE m.municipality_id = $1 AND 'staff' = ANY(m.roles) AND u.deleted_at IS NULL
          AND ($2::text IS NULL OR m.department IS NULL OR m.department = $2)
        ORDER BY m.user_id`,
      [municipalityId, department],
    );
    return rows.map((r) => r.user_id);
  }

  /** The department of a member's membership in a municipality (null: none, or not a member). */
  async departmentOf(userId: string, municipalityId: string, manager?: EntityManager): Promise<string | null> {
    const [row]: Array<{ department: string | null }> = await (manager ?? this.tx.manager).query(
      `SELECT department FROM municipality_members WHERE municipality_id = $1 AND user_id = $2`,
      [municipalityId, userId],
    );
    return row?.department ?? null;
  }

  /** Members of a municipality, for its admins and staff; ordered by name, keyset-paginated. */
  async list(actor: Actor, slug: string, page: { cursor?: string; limit?: number }): Promise<Page<MembershipView>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin', 'staff']);
    const limit = page.limit ?? 20;
    const params: unknown[] = [municipality.id, limit + 1];
    let after = '';
    if (page.cursor) {
      const cursor = decodeCursor(page.cursor, ['name', 'user'] as const, { user: 'uuid' });
      params.push(cursor.name, cursor.user);
      after = 'AND (u.display_name, m.user_id) > ($3, $4::uuid)';
    }
    const rows = (await this.tx.manager.query(
      `SELECT m.*, u.display_name FROM municipality_members m JOIN users u ON u.id = m.user_id
       WHERE m.municipality_id = $1 ${after}
       ORDER BY u.display_name, m.user_id LIMIT $2`,
      params,
    )) as MemberRow[];
    const items = rows.slice(0, limit).map(toView);
    const last = items[items.length - 1];
    return { items, nextCursor: rows.length > limit ? encodeCursor({ name: last.displayName, user: last.userId }) : null };
  }
}


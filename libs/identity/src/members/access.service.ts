import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { AuthUser, ForbiddenError, WriteStatement } from '@app/common';
import { EntityManager, Repository } from 'typeorm';
import { ResidencyEntity } from '../residency/residency.entity';
import { MembershipEntity, MunicipalityRole } from './membership.entity';

/** Who is acting: the caller of a route, or anyone a service acts for. */
export type Actor = Pick<AuthUser, 'id' | 'isPlatformAdmin' | 'memberships'>;

/** Whether roles held in a municipality satisfy a requirement: any one of the required roles. */
export function rolesSatisfy(held: readonly MunicipalityRole[], required: readonly MunicipalityRole[]): boolean {
  return required.some((role) => held.includes(role));
}

/**
 * Whether the person `viewerId` is the owner `ownerId` (a report's reporter, a comment's author,
 * a photo's uploader). Never true when either side is missing: "nobody owns it" (an erased
 * account, an Open311 filing without one) and "nobody is looking" (an anonymous caller) are not
 * the same person. Every ownership comparison goes through here.
 */
export function isOwner(ownerId: string | null | undefined, viewerId: string | null | undefined): boolean {
  return typeof ownerId === 'string' && ownerId !== '' && ownerId === viewerId;
}

/**
 * The one access helper: every library asks it who may do what in which municipality, so the
 * rule "roles are per municipality, the platform admin may do everything" lives in one place.
 * Reads take an optional EntityManager to see the caller's own transaction.
 */
@Injectable()
export class AccessService {
  constructor(
    @InjectRepository(MembershipEntity) private readonly memberships: Repository<MembershipEntity>,
    @InjectRepository(ResidencyEntity) private readonly residencies: Repository<ResidencyEntity>,
  ) {}

  assertPlatformAdmin(actor: Actor | undefined): void {
    if (!actor?.isPlatformAdmin) throw new ForbiddenError('Only a platform administrator may do this');
  }

  /** Roles a user holds in a municipality; empty when not a member. */
  async rolesIn(userId: string, municipalityId: string, manager?: EntityManager): Promise<MunicipalityRole[]> {
    const repo = manager ? manager.getRepository(MembershipEntity) : this.memberships;
    const membership = await repo.findOne({ where: { userId, municipalityId }, select: { roles: true } });
    return membership?.roles ?? [];
  }

  /** True when the actor holds any of `roles` in the municipality. The platform admin holds them all. */
  async hasRole(actor: Actor | undefined, municipalityId: string, roles: readonly MunicipalityRole[], manager?: EntityManager): Promise<boolean> {
    if (!actor) return false;
    if (actor.isPlatformAdmin) return true;
    // Roles read with the session for this request; inside a transaction, read them there.
    if (actor.memberships && !manager) return rolesSatisfy((actor.memberships[municipalityId] ?? []) as MunicipalityRole[], roles);
    return rolesSatisfy(await this.rolesIn(actor.id, municipalityId, manager), roles);
  }

  async assertRole(actor: Actor | undefined, municipalityId: string, roles: readonly MunicipalityRole[], manager?: EntityManager): Promise<void> {
    if (!(await this.hasRole(actor, municipalityId, roles, manager))) {
      throw new ForbiddenError(`This needs one of these roles in the municipality: ${roles.join(', ')}`);
    }
  }

  /**
   * True when the actor owns the thing (see isOwner) or holds one of `roles` in its municipality:
   * who may see what moderation hid, or act on what a person filed.
   */
  async isOwnerOrHasRole(
    actor: Actor | null | undefined,
    ownerId: string | null | undefined,
    municipalityId: string,
    roles: readonly MunicipalityRole[],
    manager?: EntityManager,
  ): Promise<boolean> {
    if (isOwner(ownerId, actor?.id)) return true;
    return this.hasRole(actor ?? undefined, municipalityId, roles, manager);
  }

  /** Verified residents are eligible for votes and panels. */
  async isResident(userId: string, municipalityId: string, manager?: EntityManager): Promise<boolean> {
    const repo = manager ? manager.getRepository(ResidencyEntity) : this.residencies;
    return repo.exists({ where: { userId, municipalityId } });
  }

  /**
   * The residency check as an SQL condition, for a caller's single-statement write (WriteStatement)
   * that cannot afford a round trip of its own: true when `userId` is a resident of the
   * municipality `municipalityIdSql` names (an expression over the caller's rows). The same rule as
   * isResident; identity still owns the table.
   */
  residentSql(statement: WriteStatement, userId: string, municipalityIdSql: string): string {
    return `EXISTS (SELECT 1 FROM residencies r WHERE r.user_id = ${statement.param(userId, 'uuid')} AND r.municipality_id = ${municipalityIdSql})`;
  }

  /** A resident's district and year of birth, for eligibility (district-only votes, minimum ages); null if not resident. */
  async residencyOf(userId: string, municipalityId: string, manager?: EntityManager): Promise<{ districtId: string | null; birthYear: number | null } | null> {
    const repo = manager ? manager.getRepository(ResidencyEntity) : this.residencies;
    return repo.findOne({ where: { userId, municipalityId }, select: { userId: true, districtId: true, birthYear: true } });
  }
}

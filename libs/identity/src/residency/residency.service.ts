import { Injectable } from '@nestjs/common';
import { AuditService, OutboxService, TransactionService } from '@app/common';
import { EntityManager } from 'typeorm';
import { UserNotFoundError } from '../identity.errors';
import { AccessService, Actor } from '../members/access.service';
import { DistrictsService } from '../districts/districts.service';
import { MunicipalitiesService, MunicipalityView } from '../municipalities/municipalities.service';
import { UserEntity } from '../users/user.entity';
import { generateResidencyCode, hashResidencyCode, normalizeResidencyCode } from './residency-codes';
import { ResidencyCodeEntity } from './residency-code.entity';
import { ResidencyEntity, ResidencyMethod } from './residency.entity';
import { AlreadyResidentError, ResidencyCodeInvalidError, ResidencyCodeUsedError, ResidencyNotFoundError } from './residency.errors';

export const DEFAULT_RESIDENCY_CODE_DAYS = 90;
const DAY_MS = 86_400_000;

export interface ResidencyView {
  municipalityId: string;
  userId: string;
  method: ResidencyMethod;
  verifiedById: string | null;
  verifiedAt: Date;
  districtId: string | null;
  birthYear: number | null;
}

/** What verification may record beside the residency itself. */
export interface ResidencyDetails {
  districtId?: string;
  birthYear?: number;
}

export interface MyResidencyView {
  municipality: { id: string; slug: string; name: string };
  method: ResidencyMethod;
  verifiedAt: Date;
}

export interface GeneratedResidencyCodes {
  /** Shown once: only their hashes are kept. */
  codes: string[];
  expiresAt: Date;
}

function toView(r: ResidencyEntity): ResidencyView {
  return { municipalityId: r.municipalityId, userId: r.userId, method: r.method, verifiedById: r.verifiedById, verifiedAt: r.verifiedAt, districtId: r.districtId, birthYear: r.birthYear };
}

/**
 * Residency makes a person eligible for a municipality's votes and panels. Either they redeem a
 * one-time code the town mailed on paper, or staff verify them directly.
 */
@Injectable()
export class ResidencyService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly districts: DistrictsService,
  ) {}

  /** By the municipality's admin: a batch of codes, inserted in one statement. */
  async generateCodes(actor: Actor, slug: string, input: { count: number; expiresInDays?: number; districtId?: string }): Promise<GeneratedResidencyCodes> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    if (input.districtId) await this.districts.requireInMunicipality(municipality.id, input.districtId);
    const codes = new Set<string>();
    while (codes.size < input.count) codes.add(generateResidencyCode());
    const expiresAt = new Date(Date.now() + (input.expiresInDays ?? DEFAULT_RESIDENCY_CODE_DAYS) * DAY_MS);
    const hashes = [...codes].map((code) => hashResidencyCode(normalizeResidencyCode(code)!));
    await this.tx.run(async (manager) => {
      await manager.query(
        `INSERT INTO residency_codes (municipality_id, code_hash, created_by_id, expires_at, district_id)
         SELECT $1, hash, $3, $4, $5 FROM unnest($2::text[]) AS hash`,
        [municipality.id, hashes, actor.id, expiresAt, input.districtId ?? null],
      );
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'residency.codes_generated',
        targetType: 'municipality',
        targetId: municipality.id,
        after: { count: hashes.length, expiresAt: expiresAt.toISOString(), districtId: input.districtId ?? null },
      });
    });
    return { codes: [...codes], expiresAt };
  }

  /**
   * A signed-in person redeems a code. The code is consumed by a conditional UPDATE in the same
   * transaction as the residency insert: two people racing for one code cannot both win, and
   * a refused insert (already resident) gives the code back by rolling back.
   */
  async redeem(actor: Actor, slug: string, input: string, details: Pick<ResidencyDetails, 'birthYear'> = {}): Promise<ResidencyView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const normalized = normalizeResidencyCode(input);
    if (!normalized) throw new ResidencyCodeInvalidError();
    const codeHash = hashResidencyCode(normalized);
    return this.tx.run(async (manager) => {
      if (await this.access.isResident(actor.id, municipality.id, manager)) throw new AlreadyResidentError();
      const consumed = await manager
        .createQueryBuilder()
        .update(ResidencyCodeEntity)
        .set({ redeemedAt: () => 'now()', redeemedById: actor.id })
        .where('code_hash = :codeHash AND municipality_id = :municipalityId', { codeHash, municipalityId: municipality.id })
        .andWhere('redeemed_at IS NULL AND expires_at > now()')
        .returning('id, district_id')
        .execute();
      const codeId = (consumed.raw as Array<{ id: string }>)[0]?.id;
      const districtId = (consumed.raw as Array<{ district_id: string | null }>)[0]?.district_id ?? undefined;
      if (!codeId) {
        // Another municipality's code answers like an unknown one.
        const known = await manager.findOne(ResidencyCodeEntity, {
          where: { codeHash, municipalityId: municipality.id },
          select: { id: true, redeemedAt: true },
        });
        throw known?.redeemedAt ? new ResidencyCodeUsedError() : new ResidencyCodeInvalidError();
      }
      return this.insertResidency(manager, municipality, actor, actor.id, 'code', codeId, { districtId, birthYear: details.birthYear });
    });
  }

  /**
   * Staff verify a person directly (at the town hall desk). Idempotent: `created` is false when
   * the person was already resident.
   */
  async verify(actor: Actor, slug: string, userId: string, details: ResidencyDetails = {}): Promise<{ residency: ResidencyView; created: boolean }> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    if (details.districtId) await this.districts.requireInMunicipality(municipality.id, details.districtId);
    return this.tx.run(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: userId }, select: { id: true, deletedAt: true } });
      if (!user || user.deletedAt) throw new UserNotFoundError();
      const existing = await manager.findOne(ResidencyEntity, { where: { municipalityId: municipality.id, userId }, lock: { mode: 'pessimistic_write' } });
      if (existing) return { residency: await this.updateDetails(manager, existing, actor, details), created: false };
      try {
        return { residency: await this.insertResidency(manager, municipality, actor, userId, 'staff', null, details), created: true };
      } catch (error) {
        // Verified concurrently (by a code or another staff member): the outcome the caller wants.
        if (!(error instanceof AlreadyResidentError)) throw error;
        return { residency: toView(await manager.findOneByOrFail(ResidencyEntity, { municipalityId: municipality.id, userId })), created: false };
      }
    });
  }

  /** Staff record (or correct) where an existing resident lives and their year of birth. */
  private async updateDetails(manager: EntityManager, existing: ResidencyEntity, actor: Actor, details: ResidencyDetails): Promise<ResidencyView> {
    const changes: Partial<ResidencyEntity> = {};
    if (details.districtId !== undefined && details.districtId !== existing.districtId) changes.districtId = details.districtId;
    if (details.birthYear !== undefined && details.birthYear !== existing.birthYear) changes.birthYear = details.birthYear;
    if (!Object.keys(changes).length) return toView(existing);
    await manager.update(ResidencyEntity, { municipalityId: existing.municipalityId, userId: existing.userId }, changes);
    await this.audit.record(manager, {
      actorId: actor.id,
      municipalityId: existing.municipalityId,
      action: 'residency.updated',
      targetType: 'user',
      targetId: existing.userId,
      // The year of birth is personal data: the log says it changed, not what it is.
      before: { districtId: existing.districtId, birthYearKnown: existing.birthYear !== null },
      after: { districtId: changes.districtId ?? existing.districtId, birthYearKnown: (changes.birthYear ?? existing.birthYear) !== null },
    });
    return toView({ ...existing, ...changes });
  }

  async revoke(actor: Actor, slug: string, userId: string): Promise<void> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    await this.tx.run(async (manager) => {
      const existing = await manager.findOne(ResidencyEntity, {
        where: { municipalityId: municipality.id, userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!existing) throw new ResidencyNotFoundError();
      await manager.delete(ResidencyEntity, { municipalityId: municipality.id, userId });
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'residency.revoked',
        targetType: 'user',
        targetId: userId,
        before: { method: existing.method, verifiedById: existing.verifiedById, verifiedAt: existing.verifiedAt.toISOString() },
      });
      await this.outbox.record(
        manager,
        'identity.residency_revoked',
        { municipalityId: municipality.id, userId },
        { aggregateType: 'user', aggregateId: userId, municipalityId: municipality.id, actorId: actor.id },
      );
    });
  }

  /**
   * One keyset page of a town's verified residents, by user id (the primary key's order), for
   * whoever must reach them all without loading them all (notifications' announcements).
   */
  async residentIdsAfter(municipalityId: string, after: string | null, limit: number, manager: EntityManager = this.tx.manager): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT user_id FROM residencies WHERE municipality_id = $1 AND ($2::uuid IS NULL OR user_id > $2::uuid) ORDER BY user_id LIMIT $3`,
      [municipalityId, after, limit],
    )) as Array<{ user_id: string }>;
    return rows.map((r) => r.user_id);
  }

  /** How many verified residents a town has. */
  async countResidents(municipalityId: string, manager: EntityManager = this.tx.manager): Promise<number> {
    const [{ n }] = (await manager.query(`SELECT count(*)::int AS n FROM residencies WHERE municipality_id = $1`, [municipalityId])) as Array<{ n: number }>;
    return n;
  }

  /**
   * The next `limit` residents of one district of the town (by user id, after `after`): a keyset
   * on `residencies_district_idx (municipality_id, district_id, user_id)`.
   */
  async districtResidentIdsAfter(municipalityId: string, districtId: string, after: string | null, limit: number, manager: EntityManager = this.tx.manager): Promise<string[]> {
    const rows = (await manager.query(
      `SELECT user_id FROM residencies WHERE municipality_id = $1 AND district_id = $2 AND ($3::uuid IS NULL OR user_id > $3::uuid) ORDER BY user_id LIMIT $4`,
      [municipalityId, districtId, after, limit],
    )) as Array<{ user_id: string }>;
    return rows.map((r) => r.user_id);
  }

  /** How many verified residents live in one district of the town (as recorded at verification). */
  async countDistrictResidents(municipalityId: string, districtId: string, manager: EntityManager = this.tx.manager): Promise<number> {
    const [{ n }] = (await manager.query(`SELECT count(*)::int AS n FROM residencies WHERE municipality_id = $1 AND district_id = $2`, [municipalityId, districtId])) as Array<{ n: number }>;
    return n;
  }

  /** Where the caller is a verified resident. */
  async listFor(userId: string): Promise<MyResidencyView[]> {
    const rows = (await this.tx.manager.query(
      `SELECT m.id, m.slug, m.name, r.method, r.verified_at
       FROM residencies r JOIN municipalities m ON m.id = r.municipality_id
       WHERE r.user_id = $1 ORDER BY m.name, m.slug`,
      [userId],
    )) as Array<{ id: string; slug: string; name: string; method: ResidencyMethod; verified_at: Date }>;
    return rows.map((r) => ({ municipality: { id: r.id, slug: r.slug, name: r.name }, method: r.method, verifiedAt: r.verified_at }));
  }

  /** Every verified resident's id, or those recorded in a district (a survey's reminder to those who have not answered). */
  async residentIds(municipalityId: string, districtId: string | null = null, manager: EntityManager = this.tx.manager): Promise<string[]> {
    const rows: Array<{ user_id: string }> = districtId
      ? await manager.query(`SELECT user_id FROM residencies WHERE municipality_id = $1 AND district_id = $2`, [municipalityId, districtId])
      : await manager.query(`SELECT user_id FROM residencies WHERE municipality_id = $1`, [municipalityId]);
    return rows.map((r) => r.user_id);
  }

  private async insertResidency(
    manager: EntityManager,
    municipality: MunicipalityView,
    actor: Actor,
    userId: string,
    method: ResidencyMethod,
    codeId: string | null,
    details: ResidencyDetails = {},
  ): Promise<ResidencyView> {
    const inserted = await manager
      .createQueryBuilder()
      .insert()
      .into(ResidencyEntity)
      .values({ municipalityId: municipality.id, userId, method, verifiedById: method === 'staff' ? actor.id : null, codeId, districtId: details.districtId ?? null, birthYear: details.birthYear ?? null })
      .orIgnore()
      .returning('*')
      .execute();
    if ((inserted.raw as unknown[]).length === 0) throw new AlreadyResidentError();
    const residency = await manager.findOneByOrFail(ResidencyEntity, { municipalityId: municipality.id, userId });
    await this.audit.record(manager, {
      actorId: actor.id,
      municipalityId: municipality.id,
      action: 'residency.verified',
      targetType: 'user',
      targetId: userId,
      after: { method, verifiedById: residency.verifiedById, codeId, districtId: residency.districtId, birthYearKnown: residency.birthYear !== null },
    });
    await this.outbox.record(
      manager,
      'identity.residency_verified',
      { municipalityId: municipality.id, userId, method },
      { aggregateType: 'user', aggregateId: userId, municipalityId: municipality.id, actorId: actor.id },
    );
    return toView(residency);
  }
}

import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import booleanWithin from '@turf/boolean-within';
import { AreaGeometry, AuditService, bboxOf, containsPoint, decodeCursor, encodeCursor, OutboxService, Page, toPgBox, TransactionService } from '@app/common';
import { EntityManager, Repository } from 'typeorm';
import { AccessService, Actor } from '../members/access.service';
import { MunicipalitiesService, MunicipalityView } from '../municipalities/municipalities.service';
import { DistrictEntity } from './district.entity';
import { DistrictCodeTakenError, DistrictNotFoundError, DistrictOutsideMunicipalityError, NoDistrictAtPointError } from './districts.errors';

/** What other libraries know of a district. */
export interface DistrictView {
  id: string;
  municipalityId: string;
  code: string;
  nameFr: string;
  nameEn: string;
  boundary: AreaGeometry | null;
}

export interface DistrictRecord extends DistrictView {
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateDistrictInput {
  code: string;
  nameFr: string;
  nameEn: string;
  boundary?: AreaGeometry | null;
}

export interface UpdateDistrictInput {
  code?: string;
  nameFr?: string;
  nameEn?: string;
  /** undefined leaves it, null removes it. */
  boundary?: AreaGeometry | null;
}

const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const VIEW_COLUMNS = ['d.id', 'd.municipalityId', 'd.code', 'd.nameFr', 'd.nameEn', 'd.boundary'];

function toView(d: DistrictEntity): DistrictView {
  return { id: d.id, municipalityId: d.municipalityId, code: d.code, nameFr: d.nameFr, nameEn: d.nameEn, boundary: d.boundary };
}

function toRecord(d: DistrictEntity): DistrictRecord {
  return { ...toView(d), createdAt: d.createdAt, updatedAt: d.updatedAt };
}

function auditSnapshot(d: DistrictView): Record<string, unknown> {
  return { code: d.code, nameFr: d.nameFr, nameEn: d.nameEn, bbox: d.boundary ? bboxOf(d.boundary) : null };
}

/** A district's boundary must lie inside its town's: a point in the district is then in the town. */
function assertInside(municipality: MunicipalityView, boundary: AreaGeometry | null | undefined): void {
  if (!boundary) return;
  if (!municipality.boundary) throw new DistrictOutsideMunicipalityError('municipality_without_boundary');
  if (!booleanWithin(boundary, municipality.boundary)) throw new DistrictOutsideMunicipalityError('outside');
}

/** Districts (quartiers) of a municipality, managed by its admins, and which one holds a point. */
@Injectable()
export class DistrictsService {
  constructor(
    @InjectRepository(DistrictEntity) private readonly districts: Repository<DistrictEntity>,
    private readonly municipalities: MunicipalitiesService,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly access: AccessService,
  ) {}

  async create(actor: Actor, slug: string, input: CreateDistrictInput): Promise<DistrictRecord> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    assertInside(municipality, input.boundary);
    return this.tx.run(async (manager) => {
      const boundary = input.boundary ?? null;
      // ON CONFLICT keeps the transaction usable, so a taken code is a clean 409.
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(DistrictEntity)
        .values({
          municipalityId: municipality.id,
          code: input.code,
          nameFr: input.nameFr,
          nameEn: input.nameEn,
          boundary,
          bbox: boundary ? toPgBox(bboxOf(boundary)) : null,
        })
        .orIgnore()
        .returning('id')
        .execute();
      const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (!id) throw new DistrictCodeTakenError(input.code);
      const created = toRecord(await manager.findOneByOrFail(DistrictEntity, { id }));
      await this.recordChange(manager, actor, created, 'created', undefined, created);
      return created;
    });
  }

  async update(actor: Actor, slug: string, districtId: string, input: UpdateDistrictInput): Promise<DistrictRecord> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    assertInside(municipality, input.boundary);
    return this.tx.run(async (manager) => {
      const current = await this.lock(manager, municipality.id, districtId);
      const changes: Partial<DistrictEntity> = {};
      if (input.code !== undefined && input.code !== current.code) {
        const taken = await manager.existsBy(DistrictEntity, { municipalityId: municipality.id, code: input.code });
        if (taken) throw new DistrictCodeTakenError(input.code);
        changes.code = input.code;
      }
      if (input.nameFr !== undefined) changes.nameFr = input.nameFr;
      if (input.nameEn !== undefined) changes.nameEn = input.nameEn;
      if (input.boundary !== undefined) {
        changes.boundary = input.boundary;
        changes.bbox = input.boundary ? toPgBox(bboxOf(input.boundary)) : null;
      }
      if (Object.keys(changes).length === 0) return toRecord(current);
      await manager.update(DistrictEntity, { id: current.id }, changes);
      const updated = toRecord(await manager.findOneByOrFail(DistrictEntity, { id: current.id }));
      await this.recordChange(manager, actor, updated, 'updated', toView(current), updated);
      return updated;
    });
  }

  async remove(actor: Actor, slug: string, districtId: string): Promise<void> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    await this.tx.run(async (manager) => {
      const current = await this.lock(manager, municipality.id, districtId);
      await manager.delete(DistrictEntity, { id: current.id });
      await this.recordChange(manager, actor, toView(current), 'deleted', toView(current), undefined);
    });
  }

  /** Public, keyset-paginated by code. */
  async list(slug: string, page: { cursor?: string; limit?: number }): Promise<Page<DistrictRecord>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const limit = page.limit ?? 20;
    const qb = this.districts
      .createQueryBuilder('d')
      .where('d.municipalityId = :m', { m: municipality.id })
      .orderBy('d.code', 'ASC')
      .limit(limit + 1);
    if (page.cursor) qb.andWhere('d.code > :after', { after: decodeCursor(page.cursor, ['code'] as const).code });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map(toRecord);
    return { items, nextCursor: rows.length > limit ? encodeCursor({ code: items[items.length - 1].code }) : null };
  }

  async get(slug: string, districtId: string): Promise<DistrictRecord> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const found = UUID_SHAPE.test(districtId) ? await this.districts.findOneBy({ id: districtId, municipalityId: municipality.id }) : null;
    if (!found) throw new DistrictNotFoundError();
    return toRecord(found);
  }

  /** For other libraries: a district of this municipality, or DISTRICT_NOT_FOUND. */
  async requireInMunicipality(municipalityId: string, districtId: string, manager?: EntityManager): Promise<DistrictView> {
    const repo = manager ? manager.getRepository(DistrictEntity) : this.districts;
    const found = UUID_SHAPE.test(districtId) ? await repo.findOneBy({ id: districtId, municipalityId }) : null;
    if (!found) throw new DistrictNotFoundError();
    return toView(found);
  }

  /**
   * For other libraries: the district of the municipality that contains the point, or null.
   * Candidates come from the GiST index on (municipality_id, bbox); the exact test runs on their
   * polygons. Where districts overlap, the smallest box wins, then the code.
   */
  async findContaining(municipalityId: string, lng: number, lat: number, manager?: EntityManager): Promise<DistrictView | null> {
    const repo = manager ? manager.getRepository(DistrictEntity) : this.districts;
    const candidates = await repo
      .createQueryBuilder('d')
      .select(VIEW_COLUMNS)
      .where('d.municipalityId = :m', { m: municipalityId })
      .andWhere('d.bbox @> box(point(:lng, :lat), point(:lng, :lat))', { lng, lat })
      .orderBy('area(d.bbox)', 'ASC')
      .addOrderBy('d.code', 'ASC')
      .getMany();
    const found = candidates.find((d) => d.boundary !== null && containsPoint(d.boundary, lng, lat));
    return found ? toView(found) : null;
  }

  async locate(slug: string, lng: number, lat: number): Promise<DistrictView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const found = await this.findContaining(municipality.id, lng, lat);
    if (!found) throw new NoDistrictAtPointError();
    return found;
  }

  private async lock(manager: EntityManager, municipalityId: string, districtId: string): Promise<DistrictEntity> {
    const found = UUID_SHAPE.test(districtId)
      ? await manager.findOne(DistrictEntity, { where: { id: districtId, municipalityId }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!found) throw new DistrictNotFoundError();
    return found;
  }

  private async recordChange(
    manager: EntityManager,
    actor: Actor,
    district: DistrictView,
    change: 'created' | 'updated' | 'deleted',
    before: DistrictView | undefined,
    after: DistrictView | undefined,
  ): Promise<void> {
    await this.audit.record(manager, {
      actorId: actor.id,
      municipalityId: district.municipalityId,
      action: `district.${change}`,
      targetType: 'district',
      targetId: district.id,
      before: before ? auditSnapshot(before) : undefined,
      after: after ? auditSnapshot(after) : undefined,
    });
    await this.outbox.record(
      manager,
      'identity.district_changed',
      { municipalityId: district.municipalityId, districtId: district.id, code: district.code, change },
      { aggregateType: 'district', aggregateId: district.id, municipalityId: district.municipalityId, actorId: actor.id },
    );
  }
}

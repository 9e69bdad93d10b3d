import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { InjectRepository } from '@nestjs/typeorm';
import {
  AreaGeometry,
  AuditService,
  BBox,
  bboxOf,
  containsPoint,
  decodeCursor,
  encodeCursor,
  OutboxService,
  Page,
  selectEntities,
  toPgBox,
  TransactionService,
} from '@app/common';
import { EntityManager, Repository } from 'typeorm';
import { MunicipalityNotFoundError } from '../identity.errors';
import { escapeLike } from '../like-pattern';
import { AccessService, Actor } from '../members/access.service';
import { Locale } from '../users/user.entity';
import { MunicipalityEntity } from './municipality.entity';
import { MunicipalitySlugTakenError, NoMunicipalityAtPointError, OutsideMunicipalityError } from './municipalities.errors';

/** What other libraries need to know about a municipality. */
export interface MunicipalityView {
  id: string;
  slug: string;
  name: string;
  timezone: string;
  locale: Locale;
  countryCode: string;
  boundary: AreaGeometry | null;
}

export interface MunicipalityRecord extends MunicipalityView {
  createdAt: Date;
  updatedAt: Date;
}

/** A municipality without its boundary (lists, lookups): the bounding box stands in for it. */
export interface MunicipalitySummary extends Omit<MunicipalityView, 'boundary'> {
  bbox: BBox | null;
}

export interface CreateMunicipalityInput {
  slug: string;
  name: string;
  timezone: string;
  locale: Locale;
  countryCode?: string;
  boundary?: AreaGeometry | null;
}

export interface UpdateMunicipalityInput {
  name?: string;
  timezone?: string;
  locale?: Locale;
  /** undefined leaves it, null removes it. */
  boundary?: AreaGeometry | null;
}

export interface PageRequest {
  cursor?: string;
  limit?: number;
}

const SLUG_SHAPE = /^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/;
const VIEW_COLUMNS = ['m.id', 'm.slug', 'm.name', 'm.timezone', 'm.locale', 'm.countryCode', 'm.boundary'];
const SUMMARY_COLUMNS = ['m.id', 'm.slug', 'm.name', 'm.timezone', 'm.locale', 'm.countryCode', 'm.bbox'];

/** PostgreSQL prints a box as "(maxX,maxY),(minX,minY)". */
export function parsePgBox(text: string | null): BBox | null {
  if (!text) return null;
  const n = text.match(/-?\d+(?:\.\d+)?(?:e[-+]?\d+)?/gi)?.map(Number);
  if (!n || n.length !== 4) return null;
  return { minLng: Math.min(n[0], n[2]), minLat: Math.min(n[1], n[3]), maxLng: Math.max(n[0], n[2]), maxLat: Math.max(n[1], n[3]) };
}

function toView(m: MunicipalityEntity): MunicipalityView {
  return {
    id: m.id,
    slug: m.slug,
    name: m.name,
    timezone: m.timezone,
    locale: m.locale as Locale,
    countryCode: m.countryCode,
    boundary: m.boundary,
  };
}

function toRecord(m: MunicipalityEntity): MunicipalityRecord {
  return { ...toView(m), createdAt: m.createdAt, updatedAt: m.updatedAt };
}

function toSummary(m: MunicipalityEntity): MunicipalitySummary {
  const { boundary: _boundary, ...rest } = toView(m);
  return { ...rest, bbox: parsePgBox(m.bbox) };
}

/** What the audit trail keeps of a municipality: boundaries can be large, their box says enough. */
function auditSnapshot(m: MunicipalityView): Record<string, unknown> {
  return {
    slug: m.slug,
    name: m.name,
    timezone: m.timezone,
    locale: m.locale,
    countryCode: m.countryCode,
    bbox: m.boundary ? bboxOf(m.boundary) : null,
  };
}

/**
 * Municipalities change a few times a year but are read on every request of every library;
 * reads outside a transaction are served from a short-lived cache (another instance's change is
 * seen within VIEW_CACHE_TTL_MS; this instance's at once).
 */
const VIEW_CACHE_TTL_MS = 10_000;

/** Municipalities of the metropolis, and which one contains a point. */
@Injectable()
export class MunicipalitiesService {
  private readonly views = new LRUCache<string, MunicipalityView>({ max: 1000, ttl: VIEW_CACHE_TTL_MS });

  constructor(
    @InjectRepository(MunicipalityEntity) private readonly municipalities: Repository<MunicipalityEntity>,
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly access: AccessService,
  ) {}

  async create(actor: Actor, input: CreateMunicipalityInput): Promise<MunicipalityRecord> {
    this.access.assertPlatformAdmin(actor);
    return this.tx.run(async (manager) => {
      const boundary = input.boundary ?? null;
      // ON CONFLICT keeps the transaction usable, so a taken slug is a clean 409.
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(MunicipalityEntity)
        .values({
          slug: input.slug,
          name: input.name,
          timezone: input.timezone,
          locale: input.locale,
          countryCode: input.countryCode ?? 'FR',
          boundary,
          bbox: boundary ? toPgBox(bboxOf(boundary)) : null,
        })
        .orIgnore()
        .returning('id')
        .execute();
      const id = (inserted.raw as Array<{ id: string }>)[0]?.id;
      if (!id) throw new MunicipalitySlugTakenError(input.slug);
      const created = toRecord(await manager.findOneByOrFail(MunicipalityEntity, { id }));
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: id,
        action: 'municipality.created',
        targetType: 'municipality',
        targetId: id,
        after: auditSnapshot(created),
      });
      await this.outbox.record(
        manager,
        'identity.municipality_created',
        { municipalityId: id, slug: created.slug },
        { aggregateType: 'municipality', aggregateId: id, municipalityId: id, actorId: actor.id },
      );
      return created;
    });
  }

  /** By the platform admin or the municipality's own admin. */
  async update(actor: Actor, slug: string, input: UpdateMunicipalityInput): Promise<MunicipalityRecord> {
    const updated = await this.tx.run(async (manager) => {
      const current = await this.lockBySlug(manager, slug);
      await this.access.assertRole(actor, current.id, ['admin'], manager);
      const changes: Partial<MunicipalityEntity> = {};
      if (input.name !== undefined) changes.name = input.name;
      if (input.timezone !== undefined) changes.timezone = input.timezone;
      if (input.locale !== undefined) changes.locale = input.locale;
      if (input.boundary !== undefined) {
        changes.boundary = input.boundary;
        changes.bbox = input.boundary ? toPgBox(bboxOf(input.boundary)) : null;
      }
      const fields = Object.keys(changes).filter((f) => f !== 'bbox');
      if (fields.length === 0) return toRecord(current);
      await manager.update(MunicipalityEntity, { id: current.id }, changes);
      const updated = toRecord(await manager.findOneByOrFail(MunicipalityEntity, { id: current.id }));
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: current.id,
        action: 'municipality.updated',
        targetType: 'municipality',
        targetId: current.id,
        before: auditSnapshot(toView(current)),
        after: auditSnapshot(updated),
      });
      await this.outbox.record(
        manager,
        'identity.municipality_updated',
        { municipalityId: current.id, slug: current.slug, fields },
        { aggregateType: 'municipality', aggregateId: current.id, municipalityId: current.id, actorId: actor.id },
      );
      return updated;
    });
    this.views.delete(`slug:${updated.slug}`);
    this.views.delete(`id:${updated.id}`);
    return updated;
  }

  /** Keyset-paginated by slug. */
  /** By slug, keyset-paginated; `q` keeps the towns whose name contains it, accents and case aside. */
  async list(page: PageRequest & { q?: string }): Promise<Page<MunicipalitySummary>> {
    const limit = page.limit ?? 20;
    const qb = this.municipalities
      .createQueryBuilder('m')
      .select(SUMMARY_COLUMNS)
      .orderBy('m.slug', 'ASC')
      .limit(limit + 1);
    if (page.cursor) qb.andWhere('m.slug > :after', { after: decodeCursor(page.cursor, ['slug'] as const).slug });
    // civic_fold and its trigram index: migrations/1765150000000-MunicipalityNameSearch.ts.
    if (page.q) qb.andWhere(`civic_fold(m.name) LIKE '%' || civic_fold(:q) || '%'`, { q: escapeLike(page.q) });
    const rows = await qb.getMany();
    const items = rows.slice(0, limit).map(toSummary);
    return { items, nextCursor: rows.length > limit ? encodeCursor({ slug: items[items.length - 1].slug }) : null };
  }

  async getBySlug(slug: string): Promise<MunicipalityRecord> {
    const found = SLUG_SHAPE.test(slug) ? await this.municipalities.findOneBy({ slug }) : null;
    if (!found) throw new MunicipalityNotFoundError();
    return toRecord(found);
  }

  /** For other libraries: the municipality named in a route, or MUNICIPALITY_NOT_FOUND. */
  async requireBySlug(slug: string, manager?: EntityManager): Promise<MunicipalityView> {
    const cached = manager ? undefined : this.views.get(`slug:${slug}`);
    if (cached) return cached;
    const repo = manager ? manager.getRepository(MunicipalityEntity) : this.municipalities;
    const found = SLUG_SHAPE.test(slug) ? await repo.findOneBy({ slug }) : null;
    if (!found) throw new MunicipalityNotFoundError();
    return this.remember(toView(found));
  }

  async requireById(id: string, manager?: EntityManager): Promise<MunicipalityView> {
    const cached = manager ? undefined : this.views.get(`id:${id}`);
    if (cached) return cached;
    // A prepared statement: the domain-event consumers read a municipality per event, in their
    // transaction, where the cache does not serve.
    const [found] = await selectEntities(manager ?? this.municipalities.manager, MunicipalityEntity, 'id = $1', [id]);
    if (!found) throw new MunicipalityNotFoundError();
    return this.remember(toView(found));
  }

  private remember(view: MunicipalityView): MunicipalityView {
    this.views.set(`slug:${view.slug}`, view);
    this.views.set(`id:${view.id}`, view);
    return view;
  }

  /**
   * The municipality whose boundary contains the point, or null. Candidates come from the GiST
   * index on the bounding box; the exact test runs on their polygons (holes and multi-parts
   * included). Where boundaries overlap, the smallest box wins: the most specific town.
   */
  async findContaining(lng: number, lat: number, manager?: EntityManager): Promise<MunicipalityView | null> {
    const repo = manager ? manager.getRepository(MunicipalityEntity) : this.municipalities;
    // box @> box is what the GiST box_ops class indexes (box @> point is not), so the point is a
    // degenerate box.
    const candidates = await repo
      .createQueryBuilder('m')
      .select(VIEW_COLUMNS)
      .where('m.bbox @> box(point(:lng, :lat), point(:lng, :lat))', { lng, lat })
      .orderBy('area(m.bbox)', 'ASC')
      .addOrderBy('m.slug', 'ASC')
      .getMany();
    const found = candidates.find((m) => m.boundary !== null && containsPoint(m.boundary, lng, lat));
    return found ? toView(found) : null;
  }

  /** A location outside the boundary is refused, naming the municipality that contains it (none set: anywhere). */
  async assertContains(municipality: MunicipalityView, lng: number, lat: number): Promise<void> {
    if (!municipality.boundary || containsPoint(municipality.boundary, lng, lat)) return;
    const other = await this.findContaining(lng, lat);
    throw new OutsideMunicipalityError(municipality.name, other ? { slug: other.slug, name: other.name } : null);
  }

  async locate(lng: number, lat: number): Promise<MunicipalitySummary> {
    const found = await this.findContaining(lng, lat);
    if (!found) throw new NoMunicipalityAtPointError();
    const { boundary, ...rest } = found;
    return { ...rest, bbox: boundary ? bboxOf(boundary) : null };
  }

  private async lockBySlug(manager: EntityManager, slug: string): Promise<MunicipalityEntity> {
    const found = SLUG_SHAPE.test(slug)
      ? await manager.findOne(MunicipalityEntity, { where: { slug }, lock: { mode: 'pessimistic_write' } })
      : null;
    if (!found) throw new MunicipalityNotFoundError();
    return found;
  }
}

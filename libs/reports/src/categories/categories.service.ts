import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, FieldError, selectEntities, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor, MunicipalitiesService } from '@app/identity';
import { LRUCache } from 'lru-cache';
import { EntityManager } from 'typeorm';
import { CreateCategoryDto, UpdateCategoryDto } from '../dto/category.dto';
import { CategoryCodeTakenError, CategoryInactiveError, CategoryNotFoundError } from '../reports.errors';
import { CategoryAttribute, ReportCategoryEntity } from './report-category.entity';

export interface CategoryView {
  id: string;
  code: string;
  name: ReportCategoryEntity['name'];
  description: ReportCategoryEntity['description'];
  department: string | null;
  keywords: string[];
  active: boolean;
  attributes: CategoryAttribute[];
  serviceLevels: ReportCategoryEntity['serviceLevels'];
}

export function toCategoryView(c: ReportCategoryEntity): CategoryView {
  return {
    id: c.id,
    code: c.code,
    name: c.name,
    description: c.description,
    department: c.department,
    keywords: c.keywords,
    active: c.active,
    attributes: c.attributes,
    serviceLevels: c.serviceLevels,
  };
}

/** Rules an attribute list must follow beyond its DTO shape. */
function definitionProblems(dto: { name?: { fr?: string; en?: string }; attributes?: CategoryAttribute[] }) {
  const problems: FieldError[] = [];
  if (dto.name && !dto.name.fr && !dto.name.en) problems.push({ field: 'name', code: 'ONE_LANGUAGE_REQUIRED', message: 'give at least one of fr, en' });
  const seen = new Set<string>();
  (dto.attributes ?? []).forEach((a, i) => {
    if (seen.has(a.code)) problems.push({ field: `attributes.${i}.code`, code: 'DUPLICATE_CODE', message: 'codes must be unique' });
    seen.add(a.code);
    const isList = a.datatype === 'singlevaluelist' || a.datatype === 'multivaluelist';
    if (isList && !a.values?.length) problems.push({ field: `attributes.${i}.values`, code: 'VALUES_REQUIRED', message: 'a list attribute needs values' });
    if (!isList && a.values?.length) problems.push({ field: `attributes.${i}.values`, code: 'VALUES_NOT_ALLOWED', message: 'only list attributes have values' });
  });
  return problems;
}

// Read on every filing and every page of reports; changed by an admin now and then. Reads outside
// a transaction are cached briefly (another instance's change shows within the TTL).
const CATEGORY_CACHE_TTL_MS = 10_000;

/** Report categories (Open311 services) of each municipality, managed by its admins. */
@Injectable()
export class CategoriesService {
  private readonly cache = new LRUCache<string, ReportCategoryEntity>({ max: 10_000, ttl: CATEGORY_CACHE_TTL_MS });

  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, slug: string, dto: CreateCategoryDto): Promise<CategoryView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    const problems = definitionProblems(dto);
    if (problems.length) throw new ValidationError('Invalid category', problems);
    return this.tx.run(async (manager) => {
      const inserted = await manager
        .createQueryBuilder()
        .insert()
        .into(ReportCategoryEntity)
        .values({
          municipalityId: municipality.id,
          code: dto.code,
          name: dto.name,
          description: dto.description ?? {},
          department: dto.department ?? null,
          keywords: dto.keywords ?? [],
          active: dto.active ?? true,
          attributes: (dto.attributes ?? []) as CategoryAttribute[],
          serviceLevels: dto.serviceLevels ?? {},
        })
        .orIgnore()
        .returning('*')
        .execute();
      if (!inserted.raw.length) throw new CategoryCodeTakenError(dto.code);
      const category = await manager.findOneByOrFail(ReportCategoryEntity, { id: inserted.raw[0].id });
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'report_category.created',
        targetType: 'report_category',
        targetId: category.id,
        after: toCategoryView(category),
      });
      return toCategoryView(category);
    });
  }

  async update(actor: Actor, slug: string, code: string, dto: UpdateCategoryDto): Promise<CategoryView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    const problems = definitionProblems(dto as { name?: { fr?: string; en?: string }; attributes?: CategoryAttribute[] });
    if (problems.length) throw new ValidationError('Invalid category', problems);
    return this.tx.run(async (manager) => {
      const category = await manager.findOne(ReportCategoryEntity, {
        where: { municipalityId: municipality.id, code },
        lock: { mode: 'pessimistic_write' },
      });
      if (!category) throw new CategoryNotFoundError();
      const before = toCategoryView(category);
      Object.assign(category, {
        ...(dto.name !== undefined && { name: dto.name }),
        ...(dto.description !== undefined && { description: dto.description }),
        ...(dto.department !== undefined && { department: dto.department }),
        ...(dto.keywords !== undefined && { keywords: dto.keywords }),
        ...(dto.active !== undefined && { active: dto.active }),
        ...(dto.attributes !== undefined && { attributes: dto.attributes }),
        ...(dto.serviceLevels !== undefined && { serviceLevels: dto.serviceLevels }),
      });
      const saved = await manager.save(category);
      this.forget(category);
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'report_category.updated',
        targetType: 'report_category',
        targetId: category.id,
        before,
        after: toCategoryView(saved),
      });
      return toCategoryView(saved);
    });
  }

  /** Public: active categories; staff and admins may ask for inactive ones too. */
  async list(slug: string, actor: AuthUser | undefined, includeInactive = false): Promise<CategoryView[]> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const showInactive = includeInactive && (await this.access.hasRole(actor, municipality.id, ['staff', 'admin']));
    const rows = await this.tx.manager.find(ReportCategoryEntity, {
      where: { municipalityId: municipality.id, ...(showInactive ? {} : { active: true }) },
      order: { code: 'ASC' },
    });
    return rows.map(toCategoryView);
  }

  async get(slug: string, code: string): Promise<CategoryView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    return toCategoryView(await this.require(municipality.id, code));
  }

  async require(municipalityId: string, code: string, manager?: EntityManager): Promise<ReportCategoryEntity> {
    const cached = manager ? undefined : this.cache.get(`code:${municipalityId}:${code}`);
    if (cached) return cached;
    const category = await (manager ?? this.tx.manager).findOne(ReportCategoryEntity, { where: { municipalityId, code } });
    if (!category) throw new CategoryNotFoundError();
    return this.remember(category);
  }

  /** Localized names of categories by id, for report views. */
  async namesByIds(ids: readonly string[], manager?: EntityManager): Promise<Map<string, Record<string, string>>> {
    const names = new Map<string, Record<string, string>>();
    const missing: string[] = [];
    for (const id of new Set(ids)) {
      const cached = manager ? undefined : this.cache.get(`id:${id}`);
      if (cached) names.set(id, cached.name as Record<string, string>);
      else missing.push(id);
    }
    if (missing.length) {
      const rows = await selectEntities(manager ?? this.tx.manager, ReportCategoryEntity, 'id = ANY($1::uuid[])', [missing]);
      for (const row of rows) names.set(this.remember(row).id, row.name as Record<string, string>);
    }
    return names;
  }

  private remember(category: ReportCategoryEntity): ReportCategoryEntity {
    this.cache.set(`code:${category.municipalityId}:${category.code}`, category);
    this.cache.set(`id:${category.id}`, category);
    return category;
  }

  private forget(category: ReportCategoryEntity): void {
    this.cache.delete(`code:${category.municipalityId}:${category.code}`);
    this.cache.delete(`id:${category.id}`);
  }

  async requireActive(municipalityId: string, code: string, manager?: EntityManager): Promise<ReportCategoryEntity> {
    const category = await this.require(municipalityId, code, manager).catch((error) => {
      if (error instanceof CategoryNotFoundError) {
        throw new ValidationError('Unknown category', [{ field: 'categoryCode', code: 'CATEGORY_NOT_FOUND', message: `no category "${code}" here` }], 'CATEGORY_NOT_FOUND', 'unprocessable');
      }
      throw error;
    });
    if (!category.active) throw new CategoryInactiveError(code);
    return category;
  }
}

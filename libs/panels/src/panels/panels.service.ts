import { Injectable } from '@nestjs/common';
import { AuditService, decodeCursor, encodeCursor, Page, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor, MunicipalitiesService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { CreatePanelDto, UpdatePanelDto } from '../dto/panel.dto';
import { PANEL_AUDIT } from '../panels.events';
import { PanelNotFoundError, PanelStateError } from '../panels.errors';
import { PoolMemberEntity } from '../pool/pool-member.entity';
import { poolSnapshotHash, rulesHash } from '../selection/panel-draw';
import { PanelEntity, PanelFeature } from './panel.entity';
import { quotasOf, rulesProblems } from './panel-rules';
import { panelFieldError } from './panel-field-errors';
import { poolSnapshot } from './pool-snapshot';

export interface PanelView {
  id: string;
  municipalityId: string;
  name: string;
  purpose: string;
  size: number;
  termMonths: number;
  householdRule: boolean;
  features: PanelFeature[];
  consentVersion: string;
  consentText: string;
  status: PanelEntity['status'];
  /** Published when the pool closes: the commitment the draw is checked against. */
  poolHash: string | null;
  rulesHash: string | null;
  poolClosedAt: Date | null;
  /** Days a drawn person has to confirm; share of seats redrawn at each term's end. */
  confirmationDays: number;
  rotationShare: number;
  /** 0 until the first term starts (every seat confirmed). */
  termNumber: number;
  termStartedAt: Date | null;
  termEndsAt: Date | null;
  /** The term has ended: a rotation draw is due. */
  rotationDue: boolean;
  createdAt: Date;
}

export function toPanelView(p: PanelEntity): PanelView {
  return {
    id: p.id,
    municipalityId: p.municipalityId,
    name: p.name,
    purpose: p.purpose,
    size: p.size,
    termMonths: p.termMonths,
    householdRule: p.householdRule,
    features: p.features,
    consentVersion: p.consentVersion,
    consentText: p.consentText,
    status: p.status,
    poolHash: p.poolHash,
    rulesHash: p.rulesHash,
    poolClosedAt: p.poolClosedAt,
    confirmationDays: p.confirmationDays,
    rotationShare: p.rotationShare,
    termNumber: p.termNumber,
    termStartedAt: p.termStartedAt,
    termEndsAt: p.termEndsAt,
    rotationDue: p.rotationDue,
    createdAt: p.createdAt,
  };
}

const normalizeFeatures = (features: CreatePanelDto['features']): PanelFeature[] =>
  features.map((f) => ({ code: f.code, label: f.label ?? f.code, values: f.values.map((v) => ({ code: v.code, label: v.label ?? v.code, min: v.min, max: v.max, populationShare: v.populationShare ?? null })) }));

/** Panels of a municipality: their rules, managed by its admins; public to read (quotas and hashes are published). */
@Injectable()
export class PanelsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: Actor, slug: string, dto: CreatePanelDto): Promise<PanelView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    const features = normalizeFeatures(dto.features);
    const problems = rulesProblems(dto.size, features);
    if (problems.length) throw new ValidationError('Invalid panel rules', problems, 'INVALID_PANEL_RULES', 'unprocessable');
    return this.tx.run(async (manager) => {
      const panel = await manager.save(
        manager.create(PanelEntity, {
          municipalityId: municipality.id,
          name: dto.name,
          purpose: dto.purpose ?? '',
          size: dto.size,
          termMonths: dto.termMonths,
          householdRule: dto.householdRule ?? true,
          confirmationDays: dto.confirmationDays ?? 14,
          rotationShare: dto.rotationShare ?? 0.5,
          features,
          consentVersion: dto.consentVersion,
          consentText: dto.consentText,
        }),
      );
      await this.audit.record(manager, { actorId: actor.id, municipalityId: municipality.id, action: PANEL_AUDIT.created, targetType: 'panel', targetId: panel.id, after: { name: panel.name, size: panel.size } });
      return toPanelView(panel);
    });
  }

  async list(slug: string, page: { cursor?: string; limit?: number }): Promise<Page<PanelView>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    const limit = page.limit ?? 20;
    const qb = this.tx.manager
      .createQueryBuilder(PanelEntity, 'p')
      .where('p.municipality_id = :m', { m: municipality.id })
      .orderBy('p.created_at', 'DESC')
      .addOrderBy('p.id', 'DESC')
      .limit(limit + 1);
    if (page.cursor) {
      const c = decodeCursor(page.cursor, ['createdAt', 'id'] as const);
      qb.andWhere('(p.created_at, p.id) < (:createdAt::timestamptz, :id::uuid)', c);
    }
    const rows = await qb.getMany();
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map(toPanelView),
      nextCursor: rows.length > limit && last ? encodeCursor({ createdAt: last.createdAt.toISOString(), id: last.id }) : null,
    };
  }

  async get(id: string): Promise<PanelView> {
    return toPanelView(await this.requirePanel(this.tx.manager, id));
  }

  async update(actor: Actor, slug: string, id: string, dto: UpdatePanelDto): Promise<PanelView> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    return this.tx.run(async (manager) => {
      const panel = await this.requirePanel(manager, id, true);
      if (panel.municipalityId !== municipality.id) throw new PanelNotFoundError();
      const before = toPanelView(panel);
      const changesRules = dto.size !== undefined || dto.features !== undefined || dto.householdRule !== undefined;
      if (changesRules && panel.status !== 'recruiting') throw new PanelStateError('PANEL_POOL_CLOSED', 'The rules are fixed once the pool is closed');
      if (dto.features) {
        const features = normalizeFeatures(dto.features);
        const structureChanged = JSON.stringify(features.map((f) => [f.code, f.values.map((v) => v.code)])) !== JSON.stringify(panel.features.map((f) => [f.code, f.values.map((v) => v.code)]));
        if (structureChanged && (await manager.exists(PoolMemberEntity, { where: { panelId: id } }))) {
          throw new PanelStateError('PANEL_POOL_NOT_EMPTY', 'Features and values cannot change once people are in the pool; quotas can');
        }
        panel.features = features;
      }
      if (dto.consentVersion !== undefined && dto.consentText === undefined && dto.consentVersion !== panel.consentVersion) {
        throw new ValidationError('A new consent version needs its text', [panelFieldError('consentText', 'CONSENT_TEXT_REQUIRED')]);
      }
      if (dto.consentText !== undefined && dto.consentText !== panel.consentText && (dto.consentVersion ?? panel.consentVersion) === panel.consentVersion) {
        throw new ValidationError('A changed consent text needs a new version', [panelFieldError('consentVersion', 'CONSENT_VERSION_REQUIRED')]);
      }
      Object.assign(panel, {
        name: dto.name ?? panel.name,
        purpose: dto.purpose ?? panel.purpose,
        size: dto.size ?? panel.size,
        termMonths: dto.termMonths ?? panel.termMonths,
        householdRule: dto.householdRule ?? panel.householdRule,
        confirmationDays: dto.confirmationDays ?? panel.confirmationDays,
        rotationShare: dto.rotationShare ?? panel.rotationShare,
        consentVersion: dto.consentVersion ?? panel.consentVersion,
        consentText: dto.consentText ?? panel.consentText,
      });
      const problems = rulesProblems(panel.size, panel.features);
      if (problems.length) throw new ValidationError('Invalid panel rules', problems, 'INVALID_PANEL_RULES', 'unprocessable');
      const saved = await manager.save(panel);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: panel.municipalityId, action: PANEL_AUDIT.updated, targetType: 'panel', targetId: id, before, after: toPanelView(saved) });
      return toPanelView(saved);
    });
  }

  /**
   * Closes recruitment and publishes the commitment: the hashes of the pool snapshot and of the
   * rules. The seed must be revealed after this (see the README's draw protocol).
   */
  async closePool(actor: Actor, id: string): Promise<PanelView> {
    return this.tx.run(async (manager) => {
      const panel = await this.requirePanel(manager, id, true);
      await this.access.assertRole(actor, panel.municipalityId, ['admin']);
      if (panel.status !== 'recruiting') throw new PanelStateError('PANEL_POOL_CLOSED', 'The pool is already closed');
      const rows = await manager.find(PoolMemberEntity, { where: { panelId: id } });
      const snapshot = poolSnapshot(panel, rows);
      Object.assign(panel, {
        status: 'pool_closed',
        poolSnapshot: snapshot,
        poolHash: poolSnapshotHash(snapshot),
        rulesHash: rulesHash(panel.size, panel.householdRule, quotasOf(panel.features)),
        poolClosedAt: new Date(),
      });
      const saved = await manager.save(panel);
      await this.audit.record(manager, { actorId: actor.id, municipalityId: panel.municipalityId, action: PANEL_AUDIT.poolClosed, targetType: 'panel', targetId: id, after: { poolHash: panel.poolHash, rulesHash: panel.rulesHash, poolSize: rows.length } });
      return toPanelView(saved);
    });
  }

  /** The panel, locked for update inside a transaction when asked; 404 for a malformed id too. */
  async requirePanel(manager: EntityManager, id: string, lock = false, withSnapshot = false): Promise<PanelEntity> {
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id)) throw new PanelNotFoundError();
    const qb = manager.createQueryBuilder(PanelEntity, 'p').where('p.id = :id', { id });
    if (withSnapshot) qb.addSelect('p.poolSnapshot');
    if (lock) qb.setLock('pessimistic_write');
    const panel = await qb.getOne();
    if (!panel) throw new PanelNotFoundError();
    return panel;
  }
}

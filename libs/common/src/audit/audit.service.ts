import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditEntryEntity } from './audit-entry.entity';

export interface AuditRecord {
  actorId: string | null;
  municipalityId: string | null;
  /** `<domain>.<verb>`, e.g. `member.roles_changed`, `report.triaged`. */
  action: string;
  targetType: string;
  targetId: string;
  before?: unknown;
  after?: unknown;
}

export interface AuditQuery {
  municipalityId?: string;
  actorId?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  /** Keyset: entries strictly older than this id. */
  beforeId?: string;
  limit: number;
}

/** The one audit trail: every library records staff and admin actions here, in its own transaction. */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, entry: AuditRecord): Promise<void> {
    await manager.insert(AuditEntryEntity, {
      ...entry,
      before: (entry.before ?? null) as object | null,
      after: (entry.after ?? null) as object | null,
    });
  }

  async list(manager: EntityManager, query: AuditQuery): Promise<AuditEntryEntity[]> {
    const qb = manager.createQueryBuilder(AuditEntryEntity, 'a').orderBy('a.id', 'DESC').limit(query.limit);
    if (query.municipalityId) qb.andWhere('a.municipality_id = :m', { m: query.municipalityId });
    if (query.actorId) qb.andWhere('a.actor_id = :actor', { actor: query.actorId });
    if (query.action) qb.andWhere('a.action = :action', { action: query.action });
    if (query.targetType) qb.andWhere('a.target_type = :tt', { tt: query.targetType });
    if (query.targetId) qb.andWhere('a.target_id = :tid', { tid: query.targetId });
    if (query.beforeId) qb.andWhere('a.id < :before', { before: query.beforeId });
    return qb.getMany();
  }
}

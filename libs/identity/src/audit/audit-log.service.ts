import { Injectable } from '@nestjs/common';
import { AuditEntryEntity, AuditService, decodeCursor, encodeCursor, Page, TransactionService, ValidationError } from '@app/common';
import { AccessService, Actor } from '../members/access.service';
import { MunicipalitiesService } from '../municipalities/municipalities.service';

export interface AuditEntryView {
  id: string;
  actorId: string | null;
  municipalityId: string | null;
  action: string;
  targetType: string;
  targetId: string;
  before: unknown;
  after: unknown;
  createdAt: Date;
}

export interface AuditFilter {
  cursor?: string;
  limit?: number;
  action?: string;
  targetType?: string;
  targetId?: string;
}

export interface PlatformAuditFilter extends AuditFilter {
  municipalityId?: string;
  actorId?: string;
}

function toView(e: AuditEntryEntity): AuditEntryView {
  return {
    id: e.id,
    actorId: e.actorId,
    municipalityId: e.municipalityId,
    action: e.action,
    targetType: e.targetType,
    targetId: e.targetId,
    before: e.before,
    after: e.after,
    createdAt: e.createdAt,
  };
}

/** Audit ids are bigserial; anything else in a cursor is tampering. */
function beforeIdOf(cursor: string | undefined): string | undefined {
  if (!cursor) return undefined;
  const { id } = decodeCursor(cursor, ['id'] as const);
  if (!/^[1-9]\d{0,17}$/.test(id)) throw new ValidationError('Invalid cursor', [{ field: 'cursor', code: 'INVALID_CURSOR', message: 'cursor is invalid' }]);
  return id;
}

/** Reading the audit trail: a municipality's admins see theirs, the platform admin sees all. */
@Injectable()
export class AuditLogService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  async listForMunicipality(actor: Actor, slug: string, filter: AuditFilter): Promise<Page<AuditEntryView>> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    return this.page({ ...filter, municipalityId: municipality.id });
  }

  async listAll(actor: Actor, filter: PlatformAuditFilter): Promise<Page<AuditEntryView>> {
    this.access.assertPlatformAdmin(actor);
    return this.page(filter);
  }

  private async page(filter: PlatformAuditFilter): Promise<Page<AuditEntryView>> {
    const limit = filter.limit ?? 50;
    const rows = await this.audit.list(this.tx.manager, {
      municipalityId: filter.municipalityId,
      actorId: filter.actorId,
      action: filter.action,
      targetType: filter.targetType,
      targetId: filter.targetId,
      beforeId: beforeIdOf(filter.cursor),
      limit: limit + 1,
    });
    const items = rows.slice(0, limit).map(toView);
    return { items, nextCursor: rows.length > limit ? encodeCursor({ id: items[items.length - 1].id }) : null };
  }
}

import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, TransactionService } from '@app/common';
import { AccessService, MunicipalitiesService } from '@app/identity';
import { createHash, randomBytes } from 'node:crypto';
import { EntityManager, IsNull } from 'typeorm';
import { CreateApiKeyDto } from './dto/api-key.dto';
import { Open311ApiKeyEntity } from './open311-api-key.entity';
import { ApiKeyNotFoundError, Open311Error } from './open311.errors';

/** Recognisable in logs, config files and secret scanners. */
export const API_KEY_PREFIX = 'o311_';
const KEY_SHAPE = /^o311_[A-Za-z0-9_-]{43}$/;
const LIST_LIMIT = 200;

export interface ApiKeyView {
  id: string;
  name: string;
  createdById: string | null;
  createdAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** A new key: 32 random bytes, base64url, behind the prefix. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

/** Only this is stored: a leaked table gives no usable key. A fast hash suffices for 256 random bits. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function toView(k: Open311ApiKeyEntity): ApiKeyView {
  return { id: k.id, name: k.name, createdById: k.createdById, createdAt: k.createdAt.toISOString(), revokedAt: iso(k.revokedAt), lastUsedAt: iso(k.lastUsedAt) };
}

/** Open311 API keys, issued and revoked per municipality by its admins. */
@Injectable()
export class ApiKeysService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
    private readonly access: AccessService,
    private readonly audit: AuditService,
  ) {}

  async create(actor: AuthUser, slug: string, dto: CreateApiKeyDto): Promise<{ id: string; name: string; key: string; createdAt: string }> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    const key = generateApiKey();
    return this.tx.run(async (manager) => {
      const row = await manager.save(
        manager.create(Open311ApiKeyEntity, { municipalityId: municipality.id, name: dto.name.trim(), keyHash: hashApiKey(key), createdById: actor.id }),
      );
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'open311_api_key.created',
        targetType: 'open311_api_key',
        targetId: row.id,
        after: { name: row.name },
      });
      return { id: row.id, name: row.name, key, createdAt: row.createdAt.toISOString() };
    });
  }

  /** Newest first, revoked ones included; never the key nor its hash. */
  async list(actor: AuthUser, slug: string): Promise<ApiKeyView[]> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    const rows = await this.tx.manager.find(Open311ApiKeyEntity, {
      where: { municipalityId: municipality.id },
      order: { createdAt: 'DESC', id: 'DESC' },
      take: LIST_LIMIT,
    });
    return rows.map(toView);
  }

  /** Idempotent: revoking a revoked key changes nothing and records nothing. */
  async revoke(actor: AuthUser, slug: string, id: string): Promise<void> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    await this.tx.run(async (manager) => {
      const key = await manager.findOne(Open311ApiKeyEntity, { where: { id, municipalityId: municipality.id }, lock: { mode: 'pessimistic_write' } });
      if (!key) throw new ApiKeyNotFoundError();
      if (key.revokedAt) return;
      key.revokedAt = new Date();
      await manager.save(key);
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: municipality.id,
        action: 'open311_api_key.revoked',
        targetType: 'open311_api_key',
        targetId: key.id,
        before: { name: key.name, revokedAt: null },
        after: { name: key.name, revokedAt: key.revokedAt.toISOString() },
      });
    });
  }

  /**
   * The live key of this municipality matching `key`, or an Open311 403. Unknown, revoked and
   * other municipalities' keys get the same answer.
   */
  async authenticate(municipalityId: string, key: unknown): Promise<Open311ApiKeyEntity> {
    if (typeof key !== 'string' || key === '') throw new Open311Error(403, ['api_key was not provided: POST requests need an API key issued by this jurisdiction']);
    const found = KEY_SHAPE.test(key)
      ? await this.tx.manager.findOne(Open311ApiKeyEntity, { where: { keyHash: hashApiKey(key), municipalityId, revokedAt: IsNull() } })
      : null;
    if (!found) throw new Open311Error(403, ["Invalid api_key received -- it is unknown, revoked or not issued by this jurisdiction; can't proceed with create_request"]);
    return found;
  }

  /** Marks the key used, at most once a minute so busy clients do not fight over its row. */
  async touch(manager: EntityManager, id: string): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(Open311ApiKeyEntity)
      .set({ lastUsedAt: () => 'now()' })
      .where('id = :id', { id })
      .andWhere(`(last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`)
      .execute();
  }
}

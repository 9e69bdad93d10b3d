import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, Reflector } from '@nestjs/core';
import {
  AfterErasure,
  AuditService,
  ErasureOptions,
  OutboxService,
  PERSONAL_DATA_CONTRIBUTOR,
  PersonalDataContributor,
  TransactionService,
  UnauthenticatedError,
} from '@app/common';
import { AuthSessionEntity } from '../auth/auth-session.entity';
import { AuthService } from '../auth/auth.service';
import { PasswordConfirmation } from '../auth/password-confirmation';
import { SessionCheckCache } from '../auth/session-check-cache';
import { UserTokenEntity } from '../auth/user-token.entity';
import { truncateToSecond } from '../auth/tokens';
import { PersonalDataExportResponseDto, toUserProfileResponse } from '../dto/me.dto';
import { Locale, UserEntity } from '../users/user.entity';

/** Sections the export always has; a contributor may not take their names. */
const RESERVED_SECTIONS = new Set(['exportedAt', 'profile', 'sessions']);

/** What replaces a text its author asked to remove, in the author's language. */
export const REMOVED_AT_AUTHORS_REQUEST: Record<Locale, string> = {
  fr: "Supprimé à la demande de l'auteur.",
  en: "Removed at the author's request.",
};

export interface EraseAccountInput {
  /** The account's password, asked again: an open session alone cannot erase an account. */
  password: string;
  /** Also remove the person's texts and photos (default: keep them, anonymised). */
  removeContributions?: boolean;
  ip?: string;
}

interface Contributor {
  section: string;
  contributor: PersonalDataContributor;
}

/**
 * GDPR rights over one's own account: a copy of everything the platform holds about the person
 * (art. 15 and 20), and erasure (art. 17). Each library that holds personal data takes part
 * through a @ProvidesPersonalData provider, found at start.
 */
@Injectable()
export class PersonalDataService implements OnApplicationBootstrap {
  private readonly logger = new Logger(PersonalDataService.name);
  private contributors: Contributor[] | null = null;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly reflector: Reflector,
    private readonly tx: TransactionService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly auth: AuthService,
    private readonly sessionChecks: SessionCheckCache,
    private readonly passwords: PasswordConfirmation,
  ) {}

  onApplicationBootstrap(): void {
    const sections = this.load().map((c) => c.section);
    this.logger.debug(`Personal data sections: ${sections.join(', ') || '(none)'}`);
  }

  async exportFor(userId: string): Promise<PersonalDataExportResponseDto> {
    // One snapshot across every section.
    return this.tx.run(async (manager) => {
      await manager.query('SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY');
      const user = await manager.findOne(UserEntity, { where: { id: userId } });
      if (!user || user.deletedAt) throw new UnauthenticatedError();
      const sessions = await manager.find(AuthSessionEntity, { where: { userId }, order: { createdAt: 'ASC' } });
      const sections: Record<string, unknown> = {};
      for (const { section, contributor } of this.load()) {
        sections[section] = await contributor.exportFor(userId, manager);
      }
      return {
        exportedAt: new Date(),
        profile: toUserProfileResponse(user),
        sessions: sessions.map((s) => ({
          id: s.id,
          userAgent: s.userAgent,
          ip: s.ip,
          createdAt: s.createdAt,
          lastRefreshedAt: s.lastRefreshedAt,
          revokedAt: s.revokedAt,
          revokedReason: s.revokedReason,
        })),
        sections,
      };
    });
  }

  /**
   * Erases the account in one transaction, once its password is given again: every library strips
   * or deletes what identifies the person (contributions stay, anonymised — or, when the person
   * chose `removeContributions`, their texts are replaced and their photos deleted), then the
   * account itself is blanked, its sessions revoked and its mailed tokens deleted. Old access
   * tokens and the password stop working. Files go once the transaction has committed.
   */
  async erase(userId: string, input: EraseAccountInput): Promise<void> {
    await this.passwords.confirm(userId, input.password, input.ip);
    const removeContributions = input.removeContributions ?? false;
    const afterCommit: AfterErasure[] = [];
    await this.tx.run(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user || user.deletedAt) throw new UnauthenticatedError();
      const options: ErasureOptions = { removeContributions, removedText: REMOVED_AT_AUTHORS_REQUEST[user.locale] ?? REMOVED_AT_AUTHORS_REQUEST.fr };
      for (const { contributor } of this.load()) {
        const after = await contributor.eraseFor(userId, manager, options);
        if (after) afterCommit.push(after);
      }
      await manager.update(
        UserEntity,
        { id: userId },
        {
          email: `deleted-${userId}@erased.invalid`,
          displayName: 'Deleted user',
          passwordHash: null,
          emailVerifiedAt: null,
          isPlatformAdmin: false,
          deletedAt: new Date(),
          sessionsValidAfter: truncateToSecond(new Date()),
        },
      );
      await this.auth.revokeAllSessions(manager, userId, 'account_deleted');
      // Where the person signed in from is personal data too; the revoked rows stay for the record.
      await manager.update(AuthSessionEntity, { userId }, { ip: null, userAgent: null });
      await manager.delete(UserTokenEntity, { userId });
      await this.outbox.record(manager, 'identity.user_erased', { userId }, { aggregateType: 'user', aggregateId: userId, actorId: userId });
      await this.audit.record(manager, {
        actorId: userId,
        municipalityId: null,
        action: 'user.erased',
        targetType: 'user',
        targetId: userId,
        after: { removeContributions },
      });
    });
    this.sessionChecks.forget(userId);
    for (const after of afterCommit) {
      await after().catch((err: unknown) => this.logger.error({ err, userId }, 'Clean-up after an erasure failed'));
    }
  }

  /** The contributors, discovered once across the whole application, in a stable order. */
  private load(): Contributor[] {
    if (this.contributors) return this.contributors;
    const bySection = new Map<string, Contributor>();
    for (const wrapper of this.discovery.getProviders()) {
      const type = !wrapper.metatype || wrapper.inject ? wrapper.instance?.constructor : wrapper.metatype;
      if (typeof type !== 'function') continue;
      const section = this.reflector.get<string | undefined>(PERSONAL_DATA_CONTRIBUTOR, type);
      if (!section) continue;
      const instance = wrapper.instance as PersonalDataContributor | undefined;
      if (!instance || typeof instance.exportFor !== 'function' || typeof instance.eraseFor !== 'function') {
        throw new Error(`Personal data contributor ${type.name} must be a singleton with exportFor and eraseFor`);
      }
      if (RESERVED_SECTIONS.has(section)) throw new Error(`Personal data section "${section}" (${type.name}) is reserved`);
      const existing = bySection.get(section);
      // The same class provided by two modules is one contributor; two classes on one section are a bug.
      if (existing && existing.contributor.constructor !== type) {
        throw new Error(`Personal data section "${section}" is claimed by ${existing.contributor.constructor.name} and ${type.name}`);
      }
      if (!existing) bySection.set(section, { section, contributor: instance });
    }
    this.contributors = [...bySection.values()].sort((a, b) => a.section.localeCompare(b.section));
    return this.contributors;
  }
}

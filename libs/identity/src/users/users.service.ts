import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { APP_CONFIG, AppConfig, AuthUser, preparedQuery, TransactionService } from '@app/common';
import { EntityManager } from 'typeorm';
import { PasswordHasher } from '../auth/password-hasher';
import { SessionCheckCache } from '../auth/session-check-cache';
import { UserNotFoundError } from '../identity.errors';
import { Locale, UserEntity } from './user.entity';

/** What other libraries may show of a person: to the public the name, to staff also the email. */
/** The name shown for an erased account (and for one that no longer exists). */
const DELETED_USER_NAME = 'Deleted user';

export interface UserSummary {
  id: string;
  displayName: string;
  email: string | null;
  locale: Locale;
  erased: boolean;
}

/** The columns a summary is made of, as `summaries` and `summarySql` read them. */
export interface SummaryColumns {
  display_name: string;
  email: string;
  locale: Locale;
  erased: boolean;
}

function toSummary(id: string, row: SummaryColumns): UserSummary {
  const { erased } = row;
  return { id, displayName: erased ? DELETED_USER_NAME : row.display_name, email: erased ? null : row.email, locale: row.locale, erased };
}

export interface ProfileChanges {
  displayName?: string;
  locale?: Locale;
}

/** Accounts: the profile a person sees and edits, and the platform admin bootstrapped from config. */
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  private readonly logger = new Logger(UsersService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly hasher: PasswordHasher,
    private readonly sessionChecks: SessionCheckCache,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.ensurePlatformAdmin();
  }

  /**
   * Creates the ADMIN_EMAIL account, verified and platform admin, when it does not exist; an
   * existing one is promoted but keeps its password. Safe when several instances start at once.
   */
  async ensurePlatformAdmin(): Promise<void> {
    const { adminEmail, adminPassword } = this.config;
    if (!adminEmail || !adminPassword) return;
    const email = adminEmail.trim().toLowerCase();
    const existing = await this.tx.manager.findOne(UserEntity, { where: { email } });
    if (!existing) {
      const passwordHash = await this.hasher.hash(adminPassword);
      const created: unknown[] = await this.tx.manager.query(
        `INSERT INTO users (email, password_hash, display_name, locale, is_platform_admin, email_verified_at)
         VALUES ($1, $2, 'Platform admin', 'en', true, now())
         ON CONFLICT (email) DO NOTHING RETURNING id`,
        [email, passwordHash],
      );
      if (created.length > 0) this.logger.log(`Created platform admin ${email}`);
    }
    await this.tx.manager.query(`UPDATE users SET is_platform_admin = true WHERE email = $1 AND NOT is_platform_admin`, [email]);
  }

  async getProfile(userId: string): Promise<UserEntity> {
    const user = await this.tx.manager.findOne(UserEntity, { where: { id: userId } });
    if (!user || user.deletedAt) throw new UserNotFoundError();
    return user;
  }

  async updateProfile(userId: string, changes: ProfileChanges): Promise<UserEntity> {
    const saved = await this.tx.run(async (manager) => {
      const user = await manager.findOne(UserEntity, { where: { id: userId }, lock: { mode: 'pessimistic_write' } });
      if (!user || user.deletedAt) throw new UserNotFoundError();
      if (changes.displayName !== undefined) user.displayName = changes.displayName;
      if (changes.locale !== undefined) user.locale = changes.locale;
      return manager.save(user);
    });
    // The session check carries the profile (display name, locale) to the caller's next request.
    this.sessionChecks.forget(userId);
    return saved;
  }

  /** The caller's own summary: from what the session check read when it did, else one query. */
  async summaryOf(actor: AuthUser, manager?: EntityManager): Promise<Map<string, UserSummary>> {
    if (!actor.profile || manager) return this.summaries([actor.id], manager);
    const { displayName, email, locale } = actor.profile;
    return new Map([[actor.id, { id: actor.id, displayName, email, locale: locale as Locale, erased: false }]]);
  }

  /** Summaries of many people at once (one query); erased accounts come back with erased=true. */
  async summaries(ids: readonly string[], manager?: EntityManager): Promise<Map<string, UserSummary>> {
    const unique = [...new Set(ids.filter(Boolean))];
    const out = new Map<string, UserSummary>();
    if (unique.length === 0) return out;
    // Only what a summary shows: every page of reports or comments asks, and a password hash
    // has no business in those reads.
    const rows = await preparedQuery<{ id: string; display_name: string; email: string; locale: Locale; erased: boolean }>(
      manager ?? this.tx.manager,
      `SELECT id, display_name, email, locale, deleted_at IS NOT NULL AS erased FROM users WHERE id = ANY($1::uuid[])`,
      [unique],
    );
    for (const row of rows) out.set(row.id, toSummary(row.id, row));
    return out;
  }

  /**
   * What `summaries` reads of the account `userIdSql` names, as an SQL expression (a JSON object,
   * or null for no such account), for a caller's statement that reads its people with its own rows
   * instead of in a round trip of its own; `summaryFromSql` turns it into the summary. Identity
   * still owns the table.
   */
  summarySql(userIdSql: string): string {
    return `(SELECT json_build_object('display_name', u.display_name, 'email', u.email, 'locale', u.locale, 'erased', u.deleted_at IS NOT NULL) FROM users u WHERE u.id = ${userIdSql})`;
  }

  /** A person's locale as an SQL expression (null for no such account), like `summarySql`. */
  localeSql(userIdSql: string): string {
    return `(SELECT u.locale FROM users u WHERE u.id = ${userIdSql})`;
  }

  summaryFromSql(id: string, json: SummaryColumns | null): UserSummary | null {
    return json ? toSummary(id, json) : null;
  }

  /**
   * A person's public display name as an SQL expression, for a caller's page built by one
   * statement (views written as JSON by PostgreSQL) that cannot afford a round trip of its own:
   * what displayNames gives for the account `userIdSql` names (an expression over the caller's
   * rows), and the erased accounts' name for an erased or unknown one. Identity still owns the table.
   */
  displayNameSql(userIdSql: string): string {
    return `COALESCE((SELECT CASE WHEN u.deleted_at IS NULL THEN u.display_name END FROM users u WHERE u.id = ${userIdSql}), '${DELETED_USER_NAME}')`;
  }

  /** Public display names by id, for comments, timelines and lists. */
  async displayNames(ids: readonly string[], manager?: EntityManager): Promise<Map<string, string>> {
    const summaries = await this.summaries(ids, manager);
    return new Map([...summaries].map(([id, s]) => [id, s.displayName]));
  }
}

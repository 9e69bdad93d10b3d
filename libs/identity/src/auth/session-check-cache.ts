import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, AppConfig, PgChannelListener } from '@app/common';

/**
 * The channel on which PostgreSQL announces, at commit, the id of each person whose session
 * check could now answer differently (migrations/*-AuthPrincipalChangedNotify.ts).
 */
export const AUTH_PRINCIPAL_CHANGED_CHANNEL = 'auth_principal_changed';

/** What a request's session check reads: the account, its session, roles and profile. */
export interface SessionCheckRow {
  is_platform_admin: boolean;
  deleted_at: Date | null;
  sessions_valid_after: Date;
  revoked_at: Date | null;
  display_name?: string;
  email?: string;
  locale?: string;
  memberships?: Record<string, string[]> | null;
}

interface Entry {
  userId: string;
  row: Readonly<SessionCheckRow>;
}

const MAX_SESSIONS = 20_000;

/**
 * Session checks this API instance made recently, so that a person's burst of requests reads
 * their session, account and roles once instead of once per request.
 *
 * An entry is only trusted while this instance LISTENs on AUTH_PRINCIPAL_CHANGED_CHANNEL: every
 * announced change drops that person's entries, and while the connection is down nothing is read
 * from or put in the cache (it is emptied when the connection comes back, since announcements
 * may have been lost). A check that was already reading the database when any change arrived is
 * not stored (the generation moved), so a read from before a change can never outlive it. The
 * TTL (SESSION_CHECK_CACHE_MS) bounds what a silently dead connection could keep.
 *
 * Changes this instance commits itself are dropped by their service right after the commit
 * (`forget`), so the next request of the same client sees them without waiting for the
 * announcement; other instances see them when it arrives, a few milliseconds later.
 */
@Injectable()
export class SessionCheckCache implements OnModuleDestroy {
  private readonly logger = new Logger(SessionCheckCache.name);
  private readonly entries: LRUCache<string, Entry> | null;
  private generation = 0;
  private listener: PgChannelListener | null = null;
  private destroyed = false;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {
    this.entries = config.sessionCheckCacheMs > 0 ? new LRUCache<string, Entry>({ max: MAX_SESSIONS, ttl: config.sessionCheckCacheMs }) : null;
  }

  /** The row a recent check of this session read, if it can still be trusted. */
  get(userId: string, sessionId: string): Readonly<SessionCheckRow> | undefined {
    if (!this.usable()) return undefined;
    const entry = this.entries!.get(sessionId);
    return entry?.userId === userId ? entry.row : undefined;
  }

  /** Take before reading a session from the database, and hand to `store` with what was read. */
  mark(): number {
    this.startListening();
    return this.generation;
  }

  /** Keeps the row of a session that stands, unless anything changed since `mark`. */
  store(mark: number, userId: string, sessionId: string, row: SessionCheckRow): void {
    if (mark !== this.generation || !this.usable()) return;
    if (row.memberships) {
      for (const roles of Object.values(row.memberships)) Object.freeze(roles);
      Object.freeze(row.memberships);
    }
    this.entries!.set(sessionId, { userId, row: Object.freeze(row) });
  }

  /** Drops every entry of this person (after a change to their account, roles or sessions). */
  forget(userId: string): void {
    this.generation++;
    if (!this.entries) return;
    const stale: string[] = [];
    for (const [sessionId, entry] of this.entries.entries()) if (entry.userId === userId) stale.push(sessionId);
    for (const sessionId of stale) this.entries.delete(sessionId);
  }

  forgetAll(): void {
    this.generation++;
    this.entries?.clear();
  }

  /** Whether entries are trusted now (tests, health). */
  get active(): boolean {
    return this.usable();
  }

  async onModuleDestroy(): Promise<void> {
    this.destroyed = true;
    this.forgetAll();
    await this.listener?.stop();
    this.listener = null;
  }

  private usable(): boolean {
    return this.entries !== null && this.listener !== null && this.listener.listening;
  }

  /** Started by the first check, so processes that never check a request (the worker) hold no connection. */
  private startListening(): void {
    if (this.listener || !this.entries || this.destroyed) return;
    this.listener = new PgChannelListener({
      databaseUrl: this.config.databaseUrl,
      channel: AUTH_PRINCIPAL_CHANGED_CHANNEL,
      applicationName: 'civic-session-checks',
      // No payload: (re)connected, announcements may have been missed.
      onNotify: (userId) => (userId ? this.forget(userId) : this.forgetAll()),
      logger: this.logger,
    });
    void this.listener.start();
  }
}

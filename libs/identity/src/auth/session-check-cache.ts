import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { APP_CONFIG, AppConfig } from '@app/common';
import { PrincipalChanges } from './principal-changes';

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
 * An entry is only trusted while this instance hears PrincipalChanges' announcements: every
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
  private readonly entries: LRUCache<string, Entry> | null;
  private generation = 0;
  private unsubscribe: (() => void) | null = null;
  private destroyed = false;

  constructor(
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly changes: PrincipalChanges,
  ) {
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

  onModuleDestroy(): void {
    this.destroyed = true;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.forgetAll();
  }

  private usable(): boolean {
    return this.entries !== null && this.unsubscribe !== null && this.changes.listening;
  }

  /** Started by the first check, so processes that never check a request (the worker) hold no connection. */
  private startListening(): void {
    if (this.unsubscribe || !this.entries || this.destroyed) return;
    this.unsubscribe = this.changes.subscribe({
      changed: (userId) => this.forget(userId),
      maybeMissed: () => this.forgetAll(),
    });
  }
}

import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, REDIS } from '@app/common';
import Redis from 'ioredis';

/** How long a claim holds without being renewed (a re-claim renews it). */
export const CLAIM_TTL_MS = 5 * 60 * 1000;
/** How long "X is looking at it" shows after the last `viewing` message. */
export const VIEWING_TTL_MS = 60 * 1000;

export interface PresenceHolder {
  userId: string;
  name: string | null;
}

export interface Claim extends PresenceHolder {
  claimedAt: string;
  expiresAt: string;
}

export interface Viewer extends PresenceHolder {
  until: string;
}

export type ClaimOutcome = { ok: true; claim: Claim } | { ok: false; heldBy: Claim };

// One claimer per subject: take it if free, renew it if it is ours, else answer who holds it.
const CLAIM_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if current then
  local holder = cjson.decode(current)
  if holder.userId ~= ARGV[1] then return current end
  local mine = cjson.decode(ARGV[2])
  mine.claimedAt = holder.claimedAt
  local renewed = cjson.encode(mine)
  redis.call('SET', KEYS[1], renewed, 'PX', ARGV[3])
  return renewed
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return ARGV[2]`;

// Release only one's own claim: 1 released, 0 nothing to release, else the holder.
const RELEASE_SCRIPT = `
local current = redis.call('GET', KEYS[1])
if not current then return 0 end
if cjson.decode(current).userId ~= ARGV[1] then return current end
redis.call('DEL', KEYS[1])
return 1`;

/**
 * Who is working on what, per room (e.g. one municipality's triage board): claims (one holder,
 * short expiry, renewed by claiming again) and "viewing" marks. Lives in Redis so every API
 * instance sees the same; nothing here is the source of truth for the subject itself, so a
 * Redis outage only hides presence (reads answer empty and log).
 */
@Injectable()
export class PresenceService {
  private readonly logger = new Logger(PresenceService.name);
  private lastWarning = 0;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async claim(room: string, subjectId: string, holder: PresenceHolder, now = new Date(), ttlMs = CLAIM_TTL_MS): Promise<ClaimOutcome> {
    const claim: Claim = { ...holder, claimedAt: now.toISOString(), expiresAt: new Date(now.getTime() + ttlMs).toISOString() };
    const stored = (await this.redis.eval(CLAIM_SCRIPT, 1, this.claimKey(room, subjectId), holder.userId, JSON.stringify(claim), String(ttlMs))) as string;
    const result = JSON.parse(stored) as Claim;
    return result.userId === holder.userId ? { ok: true, claim: result } : { ok: false, heldBy: result };
  }

  /** `released` false when there was no claim; the holder when it is someone else's. */
  async release(room: string, subjectId: string, userId: string): Promise<{ released: boolean; heldBy?: Claim }> {
    const outcome = (await this.redis.eval(RELEASE_SCRIPT, 1, this.claimKey(room, subjectId), userId)) as number | string;
    if (typeof outcome === 'string') return { released: false, heldBy: JSON.parse(outcome) as Claim };
    return { released: outcome === 1 };
  }

  async viewing(room: string, subjectId: string, holder: PresenceHolder, now = Date.now(), ttlMs = VIEWING_TTL_MS): Promise<Viewer> {
    const key = this.viewersKey(room, subjectId);
    const until = now + ttlMs;
    // One member per person (the name may change, the id does not): drop their former mark first.
    const existing = await this.redis.zrange(key, 0, -1);
    const mine = existing.filter((m) => (JSON.parse(m) as PresenceHolder).userId === holder.userId);
    const pipeline = this.redis.multi();
    if (mine.length) pipeline.zrem(key, ...mine);
    pipeline.zadd(key, until, JSON.stringify({ userId: holder.userId, name: holder.name }));
    pipeline.zremrangebyscore(key, '-inf', now);
    pipeline.pexpire(key, ttlMs);
    await pipeline.exec();
    return { ...holder, until: new Date(until).toISOString() };
  }

  /** The live claims on these subjects, by subject id (for the triage queue and staff views). */
  async claimsFor(room: string, subjectIds: readonly string[]): Promise<Map<string, Claim>> {
    const out = new Map<string, Claim>();
    const ids = [...new Set(subjectIds)];
    if (ids.length === 0) return out;
    try {
      const values = await this.redis.mget(...ids.map((id) => this.claimKey(room, id)));
      values.forEach((value, i) => {
        if (value) out.set(ids[i], JSON.parse(value) as Claim);
      });
    } catch (error) {
      this.warn(error);
    }
    return out;
  }

  /** Who has announced looking at these subjects within the last minute. */
  async viewersFor(room: string, subjectIds: readonly string[], now = Date.now()): Promise<Map<string, Viewer[]>> {
    const out = new Map<string, Viewer[]>();
    const ids = [...new Set(subjectIds)];
    if (ids.length === 0) return out;
    try {
      const pipeline = this.redis.pipeline();
      for (const id of ids) pipeline.zrangebyscore(this.viewersKey(room, id), now, '+inf', 'WITHSCORES');
      const results = (await pipeline.exec()) ?? [];
      results.forEach(([error, raw], i) => {
        if (error || !Array.isArray(raw) || raw.length === 0) return;
        const viewers: Viewer[] = [];
        for (let j = 0; j < raw.length; j += 2) {
          viewers.push({ ...(JSON.parse(raw[j] as string) as PresenceHolder), until: new Date(Number(raw[j + 1])).toISOString() });
        }
        out.set(ids[i], viewers);
      });
    } catch (error) {
      this.warn(error);
    }
    return out;
  }

  private claimKey(room: string, subjectId: string): string {
    return `${this.config.queuePrefix}:presence:${room}:claim:${subjectId}`;
  }

  private viewersKey(room: string, subjectId: string): string {
    return `${this.config.queuePrefix}:presence:${room}:viewers:${subjectId}`;
  }

  private warn(error: unknown): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(`Presence unavailable: ${(error as Error).message}`);
  }
}

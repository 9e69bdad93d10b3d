import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TransactionService } from '@app/common';
import { Actor, MunicipalitiesService } from '@app/identity';
import { createHash, randomBytes } from 'node:crypto';
import { isUuid } from '../ids';
import { FeedTokenEntity } from '../registrations/registration.entity';
import { FeedTokenInvalidError, VenueNotFoundError, WorkshopNotFoundError } from '../workshops.errors';
import { FeedEntry, renderFeed } from './ical-feed';

const FEED_LIMIT = 1000;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The SELECT of feed entries; `where` narrows it. Sessions from 90 days back, soonest first. */
const ENTRIES_SQL = (where: string) => `
  SELECT s.id AS "sessionId", w.id AS "workshopId", w.title, w.description, s.starts_at AS "startsAt", s.ends_at AS "endsAt",
         s.status = 'cancelled' AS cancelled, s.sequence, GREATEST(s.updated_at, w.updated_at) AS "updatedAt",
         CASE WHEN v.id IS NULL THEN NULL ELSE concat_ws(', ', v.name, NULLIF(v.address, '')) END AS location, w.online_url AS "onlineUrl",
         s.municipality_id AS "municipalityId"
    FROM workshop_sessions s JOIN workshops w ON w.id = s.workshop_id LEFT JOIN workshop_venues v ON v.id = s.venue_id
   WHERE ${where} AND s.starts_at > now() - interval '90 days'
   ORDER BY s.starts_at, s.id LIMIT ${FEED_LIMIT}`;

/**
 * iCalendar feeds: a workshop's sessions, a venue's, and a person's private feed of the sessions
 * they hold a place at, behind a secret URL token stored hashed (a new token revokes the old).
 */
@Injectable()
export class CalendarFeedsService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  async workshopFeed(workshopId: string, lang?: 'fr' | 'en'): Promise<string> {
    if (!isUuid(workshopId)) throw new WorkshopNotFoundError();
    const [w] = (await this.tx.manager.query(`SELECT title, municipality_id AS "municipalityId" FROM workshops WHERE id = $1`, [workshopId])) as Array<{ title: { fr: string; en: string }; municipalityId: string }>;
    if (!w) throw new WorkshopNotFoundError();
    const entries = (await this.tx.manager.query(ENTRIES_SQL('s.workshop_id = $1'), [workshopId])) as FeedEntry[];
    const municipality = await this.municipalities.requireById(w.municipalityId);
    const locale = lang ?? municipality.locale;
    return renderFeed(w.title[locale] || w.title.fr, municipality.timezone, locale, entries, this.config.publicUrl);
  }

  async venueFeed(slug: string, venueId: string, lang?: 'fr' | 'en'): Promise<string> {
    const municipality = await this.municipalities.requireBySlug(slug);
    if (!isUuid(venueId)) throw new VenueNotFoundError();
    const [v] = (await this.tx.manager.query(`SELECT name FROM workshop_venues WHERE id = $1 AND municipality_id = $2`, [venueId, municipality.id])) as Array<{ name: string }>;
    if (!v) throw new VenueNotFoundError();
    const entries = (await this.tx.manager.query(ENTRIES_SQL('s.venue_id = $1'), [venueId])) as FeedEntry[];
    return renderFeed(v.name, municipality.timezone, lang ?? municipality.locale, entries, this.config.publicUrl);
  }

  /** The sessions the token's owner holds a seat at (registered or offered), across towns, in UTC's zone of the first town. */
  async personalFeed(token: string): Promise<string> {
    if (!TOKEN_SHAPE.test(token)) throw new FeedTokenInvalidError();
    const [owner] = (await this.tx.manager.query(
      `SELECT t.user_id AS "userId", u.locale FROM workshop_feed_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1 AND u.deleted_at IS NULL`,
      [hashToken(token)],
    )) as Array<{ userId: string; locale: string | null }>;
    if (!owner) throw new FeedTokenInvalidError();
    const locale = owner.locale === 'en' ? 'en' : 'fr';
    const entries = (await this.tx.manager.query(
      ENTRIES_SQL(`s.id IN (SELECT session_id FROM workshop_registrations WHERE user_id = $1 AND status IN ('registered', 'offered'))`),
      [owner.userId],
    )) as Array<FeedEntry & { municipalityId: string }>;
    // Each session in its own town's zone; the calendar's default is the first one's.
    const zones = new Map<string, string>();
    for (const id of new Set(entries.map((e) => e.municipalityId))) zones.set(id, (await this.municipalities.requireById(id)).timezone);
    const zoned = entries.map((e) => ({ ...e, timezone: zones.get(e.municipalityId) }));
    return renderFeed(locale === 'fr' ? 'Mes ateliers' : 'My workshops', zoned[0]?.timezone ?? 'UTC', locale, zoned, this.config.publicUrl);
  }

  /** A new secret for the caller's private feed; the previous one stops working. */
  async issueToken(actor: Actor): Promise<{ token: string; path: string }> {
    const token = randomBytes(32).toString('base64url');
    await this.tx.manager.query(
      `INSERT INTO workshop_feed_tokens (user_id, token_hash) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = now()`,
      [actor.id, hashToken(token)],
    );
    return { token, path: `/api/v1/workshop-calendars/${token}` };
  }

  async revokeToken(actor: Actor): Promise<void> {
    await this.tx.manager.delete(FeedTokenEntity, { userId: actor.id });
  }
}

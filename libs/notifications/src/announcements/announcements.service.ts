import { Injectable } from '@nestjs/common';
import { AuditService, AuthUser, cursorAtSql, decodeTimeCursor, DEFAULT_PAGE_SIZE, encodeTimeCursor, OutboxService, Page, TransactionService } from '@app/common';
import { AccessService, MunicipalitiesService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { AnnouncementCancelledError, AnnouncementNotFoundError } from '../notifications.errors';
import { QueuedChannel } from '../notification.types';
import { AudienceOptions, AudienceRef } from './audience';
import { AudienceRegistry } from './audience.registry';
import { ANNOUNCEMENT_TYPE } from './announcement.rule';
import { AnnouncementStatus } from './announcement.entity';

/** The channel LISTENed to by the worker's fan-out; NOTIFY is delivered at commit. */
export const ANNOUNCEMENTS_CHANNEL = 'notification_announcements';

export type AnnouncementChannel = 'in_app' | QueuedChannel;

export interface AnnounceInput {
  municipalityId: string;
  actorId: string | null;
  audience: AudienceRef;
  title: { fr: string; en: string };
  body: { fr: string; en: string };
  channels: readonly AnnouncementChannel[];
  /** A path of the web app the notification opens (`/budgets/<id>`); null: the home page. */
  path?: string | null;
  /** A type of the caller's own rule (rendered with renderAnnouncement); default `announcement.published`. */
  type?: string;
}

export interface AnnouncementProgress {
  pending: number;
  sending: number;
  sent: number;
  skipped: number;
  failed: number;
}

export interface AnnouncementView {
  id: string;
  municipalityId: string;
  type: string;
  audience: { kind: string; target: string | null; size: number };
  title: { fr: string; en: string };
  body: { fr: string; en: string };
  path: string | null;
  channels: AnnouncementChannel[];
  status: AnnouncementStatus;
  /** People stored so far (in-app rows and their deliveries). */
  recipients: number;
  createdBy: string | null;
  createdAt: Date;
  fannedOutAt: Date | null;
  cancelledAt: Date | null;
  /** Deliveries (email, push) by state: on the detail only. */
  progress?: AnnouncementProgress;
}

interface Row {
  id: string;
  municipality_id: string;
  type: string;
  audience_kind: string;
  audience_target: string | null;
  audience_size: number;
  title: { fr: string; en: string };
  body: { fr: string; en: string };
  path: string | null;
  channels: AnnouncementChannel[];
  status: AnnouncementStatus;
  recipients: number;
  created_by: string | null;
  created_at: Date;
  fanned_out_at: Date | null;
  cancelled_at: Date | null;
  source_event_id: string;
  cursor_at?: string;
}

const COLUMNS = `id, municipality_id, type, audience_kind, audience_target, audience_size, title, body, path, channels, status, recipients,
  created_by, created_at, fanned_out_at, cancelled_at, source_event_id`;

function toView(row: Row): AnnouncementView {
  return {
    id: row.id,
    municipalityId: row.municipality_id,
    type: row.type,
    audience: { kind: row.audience_kind, target: row.audience_target, size: row.audience_size },
    title: row.title,
    body: row.body,
    path: row.path,
    channels: row.channels,
    status: row.status,
    recipients: row.recipients,
    createdBy: row.created_by,
    createdAt: row.created_at,
    fannedOutAt: row.fanned_out_at,
    cancelledAt: row.cancelled_at,
  };
}

/**
 * Announcements: one message to an audience, for staff (the routes) and for any library (its
 * service calls `announce()` inside its own transaction). Storing one is a row and an outbox
 * event; the worker's fan-out walks the audience in pages (AnnouncementFanout).
 */
@Injectable()
export class AnnouncementsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly outbox: OutboxService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly audiences: AudienceRegistry,
  ) {}

  /** The audiences the app knows (every library's), for staff choosing one: kind, what target it takes, its label. */
  async audienceKinds(actor: AuthUser, slug: string): Promise<AudienceOptions[]> {
    await this.authorize(actor, slug);
    return this.audiences.all().map((a) => a.options);
  }

  /** The audience an announcement would reach, and its size now: what staff see before sending. */
  async preview(actor: AuthUser, slug: string, audience: AudienceRef): Promise<{ audience: AudienceRef; size: number }> {
    const municipalityId = await this.authorize(actor, slug);
    const { provider } = this.audiences.require(audience.kind);
    const scope = { municipalityId, target: audience.target };
    await provider.check(scope, this.tx.manager);
    return { audience, size: await provider.count(scope, this.tx.manager) };
  }

  /** By staff of the town: stored, audited, and fanned out by the worker once committed. */
  async create(actor: AuthUser, slug: string, input: Omit<AnnounceInput, 'municipalityId' | 'actorId' | 'type'>): Promise<AnnouncementView> {
    const municipalityId = await this.authorize(actor, slug);
    return this.tx.run(async (manager) => {
      const view = await this.announce(manager, { ...input, municipalityId, actorId: actor.id });
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId,
        action: 'announcement.sent',
        targetType: 'announcement',
        targetId: view.id,
        after: { audience: view.audience, channels: view.channels, title: view.title },
      });
      return view;
    });
  }

  /**
   * For any library, inside its own transaction: the announcement is sent only if that commits.
   * The audience is checked (its provider's own errors) and counted here.
   */
  async announce(manager: EntityManager, input: AnnounceInput): Promise<AnnouncementView> {
    const { provider } = this.audiences.require(input.audience.kind);
    const scope = { municipalityId: input.municipalityId, target: input.audience.target };
    await provider.check(scope, manager);
    const size = await provider.count(scope, manager);
    const channels = [...new Set(input.channels)];
    const [{ id }]: Array<{ id: string }> = await manager.query(`SELECT gen_random_uuid() AS id`);
    const sourceEventId = await this.outbox.record(
      manager,
      'notification.announcement_published',
      { announcementId: id, audience: input.audience, audienceSize: size },
      { aggregateType: 'announcement', aggregateId: id, municipalityId: input.municipalityId, actorId: input.actorId },
    );
    const [row]: Row[] = await manager.query(
      `INSERT INTO announcements (id, municipality_id, created_by, type, audience_kind, audience_target, audience_size, title, body, path, channels, source_event_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::text[], $12)
       RETURNING ${COLUMNS}`,
      [id, input.municipalityId, input.actorId, input.type ?? ANNOUNCEMENT_TYPE, input.audience.kind, input.audience.target, size,
        JSON.stringify(input.title), JSON.stringify(input.body), input.path ?? null, channels, sourceEventId],
    );
    await manager.query(`SELECT pg_notify($1, $2)`, [ANNOUNCEMENTS_CHANNEL, id]);
    return toView(row);
  }

  async list(actor: AuthUser, slug: string, page: { cursor?: string; limit?: number }): Promise<Page<AnnouncementView>> {
    const municipalityId = await this.authorize(actor, slug);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [municipalityId, limit + 1];
    let after = '';
    if (page.cursor) {
      const key = decodeTimeCursor(page.cursor);
      params.push(key.at, key.id);
      after = `AND (created_at, id) < ($3::timestamptz, $4::uuid)`;
    }
    const rows: Row[] = await this.tx.manager.query(
      `SELECT ${COLUMNS}, ${cursorAtSql('created_at')} AS cursor_at FROM announcements
        WHERE municipality_id = $1 ${after} ORDER BY created_at DESC, id DESC LIMIT $2`,
      params,
    );
    const more = rows.length > limit;
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return { items: items.map(toView), nextCursor: more && last ? encodeTimeCursor({ at: last.cursor_at!, id: last.id }) : null };
  }

  async get(actor: AuthUser, slug: string, id: string): Promise<AnnouncementView> {
    const municipalityId = await this.authorize(actor, slug);
    const row = await this.find(this.tx.manager, municipalityId, id);
    return { ...toView(row), progress: await this.progress(this.tx.manager, row.source_event_id) };
  }

  /**
   * Stops the fan-out (the next page sees the status under the row's lock) and drops every
   * delivery not yet out (pending, digest ones included); what is being sent finishes. In-app
   * copies already stored stay: they were delivered. Audited.
   */
  async cancel(actor: AuthUser, slug: string, id: string): Promise<AnnouncementView & { dropped: number }> {
    const municipalityId = await this.authorize(actor, slug);
    return this.tx.run(async (manager) => {
      // Waits for a fan-out page in progress (it holds this row), so its deliveries are dropped too.
      const [row]: Row[] = await manager.query(`SELECT ${COLUMNS} FROM announcements WHERE id = $1 AND municipality_id = $2 FOR UPDATE`, [id, municipalityId]);
      if (!row) throw new AnnouncementNotFoundError();
      if (row.status === 'cancelled') throw new AnnouncementCancelledError();
      const [updated]: [Row[], number] = await manager.query(
        `UPDATE announcements SET status = 'cancelled', cancelled_at = now(), cancelled_by = $2 WHERE id = $1 RETURNING ${COLUMNS}`,
        [id, actor.id],
      );
      const [, dropped]: [unknown, number] = await manager.query(
        `UPDATE notification_deliveries d SET status = 'skipped', last_error = 'announcement cancelled', updated_at = now()
           FROM notifications n
          WHERE n.source_event_id = $1 AND d.notification_id = n.id AND d.status = 'pending'`,
        [row.source_event_id],
      );
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId,
        action: 'announcement.cancelled',
        targetType: 'announcement',
        targetId: id,
        before: { status: row.status, recipients: row.recipients },
        after: { status: 'cancelled', dropped },
      });
      return { ...toView(updated[0]), progress: await this.progress(manager, row.source_event_id), dropped };
    });
  }

  private async find(manager: EntityManager, municipalityId: string, id: string): Promise<Row> {
    const [row]: Row[] = await manager.query(`SELECT ${COLUMNS} FROM announcements WHERE id = $1 AND municipality_id = $2`, [id, municipalityId]);
    if (!row) throw new AnnouncementNotFoundError();
    return row;
  }

  private async progress(manager: EntityManager, sourceEventId: string): Promise<AnnouncementProgress> {
    const rows: Array<{ status: keyof AnnouncementProgress; n: number }> = await manager.query(
      `SELECT d.status, count(*)::int AS n FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id
        WHERE n.source_event_id = $1 GROUP BY d.status`,
      [sourceEventId],
    );
    const out: AnnouncementProgress = { pending: 0, sending: 0, sent: 0, skipped: 0, failed: 0 };
    for (const r of rows) out[r.status] = r.n;
    return out;
  }

  /** Staff of the town (or its admins, or a platform admin). */
  private async authorize(actor: AuthUser, slug: string): Promise<string> {
    const municipality = await this.municipalities.requireBySlug(slug);
    await this.access.assertRole(actor, municipality.id, ['staff', 'admin']);
    return municipality.id;
  }
}

import { Injectable } from '@nestjs/common';
import { DomainEvent, OutboxService, TransactionService } from '@app/common';
import { NotificationFanoutService, QueuedDeliveryRef } from '../inbox/notification-fanout.service';
import { NotificationsCreatedEvent } from '../notifications.events';
import { AnnouncementChannel } from './announcements.service';
import { AudienceRegistry } from './audience.registry';
import { AnnouncementData } from './announcement.rule';

/** People stored per transaction: big enough that 100,000 take ~50 statements, small enough to hold little memory. */
export const FANOUT_PAGE_SIZE = 2000;

export interface FanoutPage {
  announcementId: string;
  /** `store`: in-app rows and deliveries stored; `jobs`: their live messages and bulk jobs started. */
  walk: 'store' | 'jobs';
  /** People in this page (before preferences for `store`; notifications for `jobs`). */
  people: number;
  /** Notifications stored (`store`), bulk jobs added (`jobs`). */
  stored: number;
  done: boolean;
}

/** Adds the bulk lane's jobs of deliveries already stored (DeliveryQueueService.enqueueBulk). */
export type EnqueueBulk = (rows: readonly QueuedDeliveryRef[]) => Promise<void>;

interface FanoutRow {
  id: string;
  municipality_id: string;
  created_by: string | null;
  type: string;
  audience_kind: string;
  audience_target: string | null;
  title: { fr: string; en: string };
  body: { fr: string; en: string };
  path: string | null;
  channels: AnnouncementChannel[];
  source_event_id: string;
  fanout_cursor: string | null;
  created_at: Date;
}

/**
 * The fan-out of announcements, in two walks, one page per transaction each. The announcement's
 * row is locked (FOR UPDATE SKIP LOCKED: two workers never walk the same one at once, and a cancel
 * waits for the page) and its cursor moved in the page's commit, so a worker killed at any point
 * leaves either the whole page or none of it and the next one resumes after the cursor.
 *
 * 1. `nextPage`: the audience's next page is read after `fanout_cursor` and its notifications and
 *    deliveries stored (the notifications' unique (source event, person, type) would refuse a
 *    second copy anyway). Nothing else: the in-app rows of a whole town are what must land fast,
 *    and live messages, job adds and sends beside each page spaced 0.3-s pages 1–3.6 s apart.
 * 2. `nextJobsPage`, once everyone is stored: the stored notifications are walked after
 *    `jobs_cursor` (the source key), one `notification.created` names the page's range for the
 *    live channel, and the page's pending deliveries get their bulk-lane jobs — added before the
 *    commit that moves the cursor, so a worker killed in between adds them again (same job ids: a
 *    no-op) instead of leaving them to the sweeper.
 */
@Injectable()
export class AnnouncementFanout {
  constructor(
    private readonly tx: TransactionService,
    private readonly audiences: AudienceRegistry,
    private readonly fanout: NotificationFanoutService,
    private readonly outbox: OutboxService,
  ) {}

  /** One page of the oldest announcement still going out; null when none is (or all are being walked). */
  nextPage(pageSize = FANOUT_PAGE_SIZE): Promise<FanoutPage | null> {
    return this.tx.run(async (manager) => {
      const [a]: FanoutRow[] = await manager.query(
        `SELECT id, municipality_id, created_by, type, audience_kind, audience_target, title, body, path, channels, source_event_id, fanout_cursor, created_at
           FROM announcements WHERE status = 'sending' AND fanned_out_at IS NULL
          ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!a) return null;
      const { provider } = this.audiences.require(a.audience_kind);
      const ids = await provider.page({ municipalityId: a.municipality_id, target: a.audience_target }, a.fanout_cursor, pageSize, manager);
      const event: DomainEvent = {
        id: String(a.source_event_id),
        type: 'notification.announcement_published',
        occurredAt: a.created_at,
        aggregateType: 'announcement',
        aggregateId: a.id,
        municipalityId: a.municipality_id,
        actorId: a.created_by,
        payload: { announcementId: a.id, audience: { kind: a.audience_kind, target: a.audience_target }, audienceSize: 0 },
      };
      const data: AnnouncementData = { announcementId: a.id, title: a.title, body: a.body, path: a.path };
      const result = ids.length
        ? await this.fanout.toAudience(event, ids, { type: a.type, data: data as unknown as Record<string, unknown>, channels: a.channels }, manager)
        : { notifications: 0, deliveries: 0 };
      const done = ids.length < pageSize;
      await manager.query(
        `UPDATE announcements SET fanout_cursor = $2, recipients = recipients + $3,
                fanned_out_at = CASE WHEN $4::boolean THEN now() END, status = CASE WHEN $4::boolean THEN 'sent' ELSE status END
          WHERE id = $1`,
        [a.id, ids.length ? ids[ids.length - 1] : a.fanout_cursor, result.notifications, done],
      );
      return { announcementId: a.id, walk: 'store' as const, people: ids.length, stored: result.notifications, done };
    });
  }

  /**
   * One page of the second walk of the oldest announcement stored for everyone whose live messages
   * and jobs are not all started; null when none is waiting (or all are being walked). A cancelled
   * announcement is not walked (its pending deliveries are skipped; a job added just before finds
   * its row skipped and does nothing).
   */
  nextJobsPage(enqueue: EnqueueBulk, pageSize = FANOUT_PAGE_SIZE): Promise<FanoutPage | null> {
    return this.tx.run(async (manager) => {
      const [a]: Array<{ id: string; municipality_id: string; created_by: string | null; type: string; source_event_id: string; jobs_cursor: string | null }> =
        await manager.query(
          `SELECT id, municipality_id, created_by, type, source_event_id, jobs_cursor
             FROM announcements WHERE status = 'sent' AND jobs_queued_at IS NULL
            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
      if (!a) return null;
      // The page's people (a walk of the notifications' source key) and their deliveries still to send.
      const rows: Array<{ kind: 'p' | 'd'; id: string | null; notification_id: string | null; channel: QueuedDeliveryRef['channel'] | null; last_user_id: string | null; people: number | null; in_app: number | null }> =
        await manager.query(
          `WITH p AS (
             SELECT id, user_id, in_app FROM notifications
              WHERE source_event_id = $1 AND type = $2 AND ($3::uuid IS NULL OR user_id > $3::uuid)
              ORDER BY user_id LIMIT $4)
           SELECT 'p' AS kind, NULL::uuid AS id, NULL::uuid AS notification_id, NULL::text AS channel,
                  (SELECT user_id FROM p ORDER BY user_id DESC LIMIT 1) AS last_user_id,
                  (SELECT count(*) FROM p)::int AS people, (SELECT count(*) FROM p WHERE p.in_app)::int AS in_app
           UNION ALL
           SELECT 'd', d.id, d.notification_id, d.channel, NULL, NULL, NULL
             FROM p JOIN notification_deliveries d ON d.notification_id = p.id
            WHERE d.status = 'pending' AND d.digest_at IS NULL`,
          [a.source_event_id, a.type, a.jobs_cursor, pageSize],
        );
      const summary = rows.find((r) => r.kind === 'p')!;
      const queued = rows.filter((r) => r.kind === 'd').map((r) => ({ id: r.id!, notification_id: r.notification_id!, channel: r.channel! }));
      const people = summary.people ?? 0;
      if (summary.in_app) {
        // The live in-app push: one small event naming the page's range (see CreatedNotificationRange).
        const created: NotificationsCreatedEvent = {
          sourceEventId: String(a.source_event_id),
          municipalityId: a.municipality_id,
          notifications: [],
          range: { type: a.type, afterUserId: a.jobs_cursor, lastUserId: summary.last_user_id!, count: summary.in_app },
        };
        await this.outbox.record(manager, 'notification.created', created, {
          aggregateType: 'notification',
          aggregateId: String(a.source_event_id),
          municipalityId: a.municipality_id,
          actorId: a.created_by,
        });
      }
      if (queued.length) await enqueue(queued);
      const done = people < pageSize;
      await manager.query(
        `UPDATE announcements SET jobs_cursor = coalesce($2::uuid, jobs_cursor), jobs_queued_at = CASE WHEN $3::boolean THEN now() END WHERE id = $1`,
        [a.id, summary.last_user_id, done],
      );
      return { announcementId: a.id, walk: 'jobs' as const, people, stored: queued.length, done };
    });
  }
}

import { Injectable } from '@nestjs/common';
import { DomainEvent, TransactionService } from '@app/common';
import { NotificationFanoutService, QueuedDeliveryRef } from '../inbox/notification-fanout.service';
import { AnnouncementChannel } from './announcements.service';
import { AudienceRegistry } from './audience.registry';
import { AnnouncementData } from './announcement.rule';

/** People stored per transaction: big enough that 100,000 take ~50 statements, small enough to hold little memory. */
export const FANOUT_PAGE_SIZE = 2000;

export interface FanoutPage {
  announcementId: string;
  /** People in this page (before preferences). */
  people: number;
  /** Notifications stored. */
  stored: number;
  /** Immediate deliveries stored as enqueued: the caller adds their jobs now (the sweeper if it dies first). */
  queued: QueuedDeliveryRef[];
  done: boolean;
}

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
 * The fan-out of announcements, one page per transaction: the announcement's row is locked (FOR
 * UPDATE SKIP LOCKED: two workers never walk the same one at once, and a cancel waits for the
 * page), the next page of its audience is read after its cursor, the page's notifications and
 * deliveries are stored and the cursor moved — all in one commit. A worker killed at any point
 * leaves either the whole page or none of it; the next one starts after the last stored id, and
 * the notifications' unique (source event, person, type) would refuse a second copy anyway.
 */
@Injectable()
export class AnnouncementFanout {
  constructor(
    private readonly tx: TransactionService,
    private readonly audiences: AudienceRegistry,
    private readonly fanout: NotificationFanoutService,
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
        ? await this.fanout.toAudience(event, ids, { type: a.type, data: data as unknown as Record<string, unknown>, channels: a.channels, after: a.fanout_cursor }, manager)
        : { notifications: 0, deliveries: 0, queued: [] };
      const done = ids.length < pageSize;
      await manager.query(
        `UPDATE announcements SET fanout_cursor = $2, recipients = recipients + $3,
                fanned_out_at = CASE WHEN $4::boolean THEN now() END, status = CASE WHEN $4::boolean THEN 'sent' ELSE status END
          WHERE id = $1`,
        [a.id, ids.length ? ids[ids.length - 1] : a.fanout_cursor, result.notifications, done],
      );
      return { announcementId: a.id, people: ids.length, stored: result.notifications, queued: result.queued, done };
    });
  }
}

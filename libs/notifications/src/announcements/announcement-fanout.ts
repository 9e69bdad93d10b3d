import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEvent, OutboxService, TransactionService } from '@app/common';
import { NotificationFanoutService, QueuedDeliveryRef } from '../inbox/notification-fanout.service';
import { NotificationsCreatedEvent } from '../notifications.events';
import { AnnouncementChannel } from './announcements.service';
import { AudienceRegistry } from './audience.registry';
import { AnnouncementData } from './announcement.rule';

/** People stored per transaction: big enough that 100,000 take ~50 statements, small enough to hold little memory. */
export const FANOUT_PAGE_SIZE = 2000;
/** Consecutive pages stored at once, one transaction (and so one PostgreSQL backend) each: two cores. */
export const FANOUT_PAGES_AT_ONCE = 2;

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

interface StoredPage {
  people: number;
  stored: number;
  done: boolean;
}

/** A page after the first whose cursor could not move (the page before it failed, or the announcement was cancelled): rolled back. */
class PageNotStored extends Error {}

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
 * The fan-out of announcements, in two walks. The announcement's row is locked (FOR UPDATE SKIP
 * LOCKED: another worker skips it, and a cancel waits, while the page holding it runs) and its
 * cursor moved in the page's commit, so a worker killed at any point leaves whole pages and the
 * next one resumes after the cursor. In the store walk only the first of the pages stored at once
 * holds the row: between its commit and the later pages' cursor moves, another worker can take
 * the announcement and store the same pages. The cursor check below keeps that safe (one of the
 * two rolls back, reported by PostgreSQL as a deadlock when each waits on the other's rows: seen
 * with two walkers and a slow second page), not the lock.
 *
 * 1. `nextPage`: the audience's next `atOnce` pages are read after `fanout_cursor` and stored at
 *    once, each in its own transaction (one PostgreSQL backend each: a page is ~0.15 s of one core,
 *    most of it the rows' foreign-key checks and index entries, which no statement shares across
 *    cores). They commit in order: a page moves the cursor only from where the page before it left
 *    it (`fanout_cursor IS NOT DISTINCT FROM` its first person's predecessor), after that page
 *    committed, and while the announcement is still going out — otherwise it rolls back (the page
 *    before it failed, or a cancel came between). So the cursor never passes a page not stored,
 *    and the notifications' unique (source event, person, type) would refuse a second copy anyway.
 *    Nothing else happens per page: the in-app rows of a whole town are what must land fast.
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

  /**
   * Up to `atOnce` pages of the oldest announcement still going out, stored at once; null when
   * none is (or all are being walked). Resolves once every page has committed or rolled back.
   */
  async nextPage(pageSize = FANOUT_PAGE_SIZE, atOnce = FANOUT_PAGES_AT_ONCE): Promise<FanoutPage | null> {
    const later: Array<Promise<StoredPage>> = [];
    let firstCommitted!: (committed: boolean) => void;
    const afterFirst = new Promise<boolean>((resolve) => (firstCommitted = resolve));
    const first = this.tx
      .run(async (manager): Promise<(StoredPage & { announcementId: string }) | null> => {
        const [a]: FanoutRow[] = await manager.query(
          `SELECT id, municipality_id, created_by, type, audience_kind, audience_target, title, body, path, channels, source_event_id, fanout_cursor, created_at
             FROM announcements WHERE status = 'sending' AND fanned_out_at IS NULL
            ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED`,
        );
        if (!a) return null;
        const { pages, done } = await this.readPages(a, pageSize, Math.max(1, atOnce), manager);
        const last = pages.length - 1;
        // The pages after the first, each in a transaction of its own started now (beside this
        // one), each moving the cursor only once the one before it committed.
        let previous = afterFirst;
        for (let i = 1; i <= last; i++) {
          const before = previous; // this page's predecessor, not what `previous` becomes once the transaction opens
          const page = this.tx.run((m) => this.storeAfter(m, a, pages[i], pages[i - 1][pages[i - 1].length - 1], i === last && done, before));
          later.push(page);
          previous = page.then(
            () => true,
            () => false,
          );
        }
        return { announcementId: a.id, ...(await this.storePage(manager, a, pages[0], a.fanout_cursor, last === 0 && done)) };
      })
      .then(
        (result) => ({ result, error: null as unknown }),
        (error: unknown) => ({ result: null, error: error ?? new Error('fan-out page failed') }),
      );
    const { result, error } = await first;
    firstCommitted(error === null && result !== null);
    // Every transaction ends before this resolves: none is left open behind a caller that moved on.
    const rest = await Promise.allSettled(later);
    if (error !== null) throw error;
    if (!result) return null;
    const page: FanoutPage = { announcementId: result.announcementId, walk: 'store', people: result.people, stored: result.stored, done: result.done };
    for (const r of rest) {
      // A page that found the one before it failed, or the announcement cancelled, stored nothing:
      // the next call resumes from the cursor.
      if (r.status === 'rejected' && r.reason instanceof PageNotStored) break;
      if (r.status === 'rejected') throw r.reason;
      page.people += r.value.people;
      page.stored += r.value.stored;
      page.done = r.value.done;
    }
    return page;
  }

  /** Up to `count` consecutive pages of the audience after the cursor; `done` when the last one ends it. */
  private async readPages(a: FanoutRow, pageSize: number, count: number, manager: EntityManager): Promise<{ pages: string[][]; done: boolean }> {
    const { provider } = this.audiences.require(a.audience_kind);
    const scope = { municipalityId: a.municipality_id, target: a.audience_target };
    const pages: string[][] = [];
    let after = a.fanout_cursor;
    while (pages.length < count) {
      const ids = await provider.page(scope, after, pageSize, manager);
      // An empty page is stored (as nothing) only to end a walk that has nothing left.
      if (ids.length > 0 || pages.length === 0) pages.push(ids);
      if (ids.length < pageSize) return { pages, done: true };
      after = ids[ids.length - 1];
    }
    return { pages, done: false };
  }

  /** A later page: stored, then — once the page before it committed — its cursor moved from where that page left it. */
  private async storeAfter(manager: EntityManager, a: FanoutRow, ids: string[], after: string, done: boolean, previous: Promise<boolean>): Promise<StoredPage> {
    const stored = await this.store(manager, a, ids);
    if (!(await previous)) throw new PageNotStored();
    return this.moveCursor(manager, a, ids, after, stored, done);
  }

  /** The first page, under the announcement's lock. */
  private async storePage(manager: EntityManager, a: FanoutRow, ids: string[], after: string | null, done: boolean): Promise<StoredPage> {
    return this.moveCursor(manager, a, ids, after, await this.store(manager, a, ids), done);
  }

  private store(manager: EntityManager, a: FanoutRow, ids: string[]): Promise<number> {
    if (ids.length === 0) return Promise.resolve(0);
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
    return this.fanout
      .toAudience(event, ids, { type: a.type, data: data as unknown as Record<string, unknown>, channels: a.channels }, manager)
      .then((r) => r.notifications);
  }

  /**
   * Moves the cursor past a stored page — only from `after` (where the page before it left it) and
   * while the announcement is still going out; otherwise the page rolls back. `fanned_out_at` is
   * the moment the last page is recorded (clock time, not its transaction's start).
   */
  private async moveCursor(manager: EntityManager, a: FanoutRow, ids: string[], after: string | null, stored: number, done: boolean): Promise<StoredPage> {
    const [, moved]: [unknown, number] = await manager.query(
      `UPDATE announcements SET fanout_cursor = $2, recipients = recipients + $3,
              fanned_out_at = CASE WHEN $4::boolean THEN clock_timestamp() END, status = CASE WHEN $4::boolean THEN 'sent' ELSE status END
        WHERE id = $1 AND status = 'sending' AND fanned_out_at IS NULL AND fanout_cursor IS NOT DISTINCT FROM $5::text`,
      [a.id, ids.length ? ids[ids.length - 1] : after, stored, done, after],
    );
    if (moved !== 1) throw new PageNotStored();
    return { people: ids.length, stored, done };
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

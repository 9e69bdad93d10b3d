import { Injectable, Logger } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditService, AuthUser, Page, TransactionService } from '@app/common';
import { AccessService, MunicipalitiesService } from '@app/identity';
import { DeliveryNotFailedError, DeliveryNotFoundError } from '../notifications.errors';
import { DeliveryStatus, QueuedChannel } from '../notification.types';
import { DeliveryQueueService } from '../delivery/delivery-queue.service';
import { DELIVERIES_CHANNEL } from '../inbox/notification-fanout.service';
import { cursorAtSql, decodeTimeCursor, DEFAULT_PAGE_SIZE, encodeTimeCursor } from '../inbox/keyset';

export interface FailedDeliveryView {
  id: string;
  notificationId: string;
  /** Null for a contact without an account. */
  userId: string | null;
  municipalityId: string | null;
  type: string;
  channel: QueuedChannel;
  attempts: number;
  lastError: string | null;
  /** For digest emails: the digest that should have carried it. */
  digestAt: Date | null;
  createdAt: Date;
  failedAt: Date;
}

interface FailedRow {
  id: string;
  notification_id: string;
  user_id: string | null;
  municipality_id: string | null;
  type: string;
  channel: QueuedChannel;
  attempts: number;
  last_error: string | null;
  digest_at: Date | null;
  created_at: Date;
  updated_at: Date;
  cursor_at: string;
}

/**
 * Where an admin works: the whole platform (platform admins), or one municipality (its admins,
 * who see and retry only the deliveries of notifications from their town).
 */
export type FailedDeliveryScope = { municipalitySlug: string } | { platform: true };

/** Deliveries put back per statement by "retry all" (each batch's old jobs are removed first). */
const RETRY_ALL_BATCH = 500;

/** Deliveries that gave up, for admins: listed newest first, retried one by one or all at once. */
@Injectable()
export class FailedDeliveriesService {
  private readonly logger = new Logger(FailedDeliveriesService.name);

  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly access: AccessService,
    private readonly municipalities: MunicipalitiesService,
    private readonly deliveryQueue: DeliveryQueueService,
  ) {}

  async list(actor: AuthUser, scope: FailedDeliveryScope, page: { cursor?: string; limit?: number }): Promise<Page<FailedDeliveryView>> {
    const municipalityId = await this.authorize(actor, scope);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [municipalityId];
    let after = '';
    if (page.cursor) {
      const key = decodeTimeCursor(page.cursor);
      params.push(key.at, key.id);
      after = `AND (d.updated_at, d.id) < ($2::timestamptz, $3::uuid)`;
    }
    params.push(limit + 1);
    // notification_deliveries_failed_idx walks the failed rows newest first; a town's are
    // filtered on the way (failed rows are few: they are what admins act on).
    const rows: FailedRow[] = await this.tx.manager.query(
      `SELECT d.id, d.notification_id, d.user_id, n.municipality_id, n.type, d.channel, d.attempts, d.last_error, d.digest_at,
              d.created_at, d.updated_at, ${cursorAtSql('d.updated_at')} AS cursor_at
         FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE d.status = 'failed' AND ($1::uuid IS NULL OR n.municipality_id = $1::uuid) ${after}
        ORDER BY d.updated_at DESC, d.id DESC
        LIMIT $${params.length}`,
      params,
    );
    const items = rows.slice(0, limit);
    const last = items[items.length - 1];
    return {
      items: items.map((r) => ({
        id: r.id,
        notificationId: r.notification_id,
        userId: r.user_id,
        municipalityId: r.municipality_id,
        type: r.type,
        channel: r.channel,
        attempts: r.attempts,
        lastError: r.last_error,
        digestAt: r.digest_at,
        createdAt: r.created_at,
        failedAt: r.updated_at,
      })),
      nextCursor: rows.length > limit ? encodeTimeCursor({ at: last.cursor_at, id: last.id }) : null,
    };
  }

  /**
   * Puts a failed delivery back to pending, with a whole retry window of its own; the worker's
   * dispatcher enqueues it (a digest email waits for the next digest run). Its finished job is
   * removed first, so the new one is not mistaken for a duplicate. Another town's delivery is
   * "not found" to a town's admin.
   */
  async retry(actor: AuthUser, scope: FailedDeliveryScope, deliveryId: string): Promise<void> {
    const municipalityId = await this.authorize(actor, scope);
    const [row]: Array<{ status: DeliveryStatus; notification_id: string; channel: QueuedChannel }> = await this.tx.manager.query(
      `SELECT d.status, d.notification_id, d.channel FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE d.id = $1 AND ($2::uuid IS NULL OR n.municipality_id = $2::uuid)`,
      [deliveryId, municipalityId],
    );
    if (!row) throw new DeliveryNotFoundError();
    if (row.status !== 'failed') throw new DeliveryNotFailedError(row.status);
    await this.forgetJobs([row]);
    await this.tx.run(async (manager) => {
      const updated = await this.putBack(manager, [deliveryId]);
      if (updated.length === 0) throw new DeliveryNotFailedError('no longer failed');
      await this.audit.record(manager, {
        actorId: actor.id,
        municipalityId: updated[0].municipality_id,
        action: 'notification.delivery_retried',
        targetType: 'notification_delivery',
        targetId: deliveryId,
        before: { status: 'failed' },
        after: { status: 'pending' },
      });
      await manager.query(`SELECT pg_notify($1, '')`, [DELIVERIES_CHANNEL]);
    });
  }

  /**
   * Every failed delivery of the scope back to pending (after an outage longer than the retry
   * window, say), in batches; one audit entry per batch. Returns how many were put back.
   */
  async retryAll(actor: AuthUser, scope: FailedDeliveryScope): Promise<{ retried: number }> {
    const municipalityId = await this.authorize(actor, scope);
    let retried = 0;
    let afterId = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const batch: Array<{ id: string; notification_id: string; channel: QueuedChannel }> = await this.tx.manager.query(
        `SELECT d.id, d.notification_id, d.channel FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
          WHERE d.status = 'failed' AND d.id > $2 AND ($1::uuid IS NULL OR n.municipality_id = $1::uuid)
          ORDER BY d.id LIMIT ${RETRY_ALL_BATCH}`,
        [municipalityId, afterId],
      );
      if (batch.length === 0) break;
      afterId = batch[batch.length - 1].id;
      await this.forgetJobs(batch);
      retried += await this.tx.run(async (manager) => {
        const updated = await this.putBack(manager, batch.map((r) => r.id));
        if (updated.length === 0) return 0;
        await this.audit.record(manager, {
          actorId: actor.id,
          municipalityId,
          action: 'notification.deliveries_retried',
          // One entry for the batch, on the town (or the platform); the deliveries in `after`.
          targetType: municipalityId ? 'municipality' : 'platform',
          targetId: municipalityId ?? 'all',
          before: { status: 'failed' },
          after: { status: 'pending', count: updated.length, ids: updated.map((u) => u.id) },
        });
        await manager.query(`SELECT pg_notify($1, '')`, [DELIVERIES_CHANNEL]);
        return updated.length;
      });
      if (batch.length < RETRY_ALL_BATCH) break;
    }
    return { retried };
  }

  /** The municipality the scope limits to (null: the whole platform), once the actor may act there. */
  private async authorize(actor: AuthUser, scope: FailedDeliveryScope): Promise<string | null> {
    if ('platform' in scope) {
      this.access.assertPlatformAdmin(actor);
      return null;
    }
    const municipality = await this.municipalities.requireBySlug(scope.municipalitySlug);
    await this.access.assertRole(actor, municipality.id, ['admin']);
    return municipality.id;
  }

  private putBack(manager: EntityManager, ids: string[]): Promise<Array<{ id: string; municipality_id: string | null }>> {
    return manager
      .query(
        `UPDATE notification_deliveries d
            SET status = 'pending', enqueued_at = NULL, claimed_at = NULL, retry_from = now(), updated_at = now()
           FROM notifications n
          WHERE d.id = ANY($1::uuid[]) AND d.status = 'failed' AND n.id = d.notification_id
          RETURNING d.id, n.municipality_id`,
        [ids],
      )
      .then(([rows]: [Array<{ id: string; municipality_id: string | null }>, number]) => rows);
  }

  /** While 'failed' nothing re-enqueues a delivery, so removing its old job first leaves no race. */
  private async forgetJobs(rows: Array<{ notification_id: string; channel: QueuedChannel }>): Promise<void> {
    await Promise.all(rows.map((r) => this.deliveryQueue.forgetJob(r.notification_id, r.channel))).catch((error: Error) => {
      // The sweeper replaces a finished job it finds later; Redis being away must not block a retry.
      this.logger.warn({ err: error }, `Could not remove the old job of ${rows.length} failed deliveries: ${error.message}`);
    });
  }
}

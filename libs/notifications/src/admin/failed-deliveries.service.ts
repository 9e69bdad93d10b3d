import { Injectable, Logger } from '@nestjs/common';
import { AuditService, AuthUser, ForbiddenError, Page, TransactionService } from '@app/common';
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

/** Deliveries that gave up, for platform admins: listed newest first, and retried one by one. */
@Injectable()
export class FailedDeliveriesService {
  private readonly logger = new Logger(FailedDeliveriesService.name);

  constructor(
    private readonly tx: TransactionService,
    private readonly audit: AuditService,
    private readonly deliveryQueue: DeliveryQueueService,
  ) {}

  async list(actor: AuthUser, page: { cursor?: string; limit?: number }): Promise<Page<FailedDeliveryView>> {
    assertPlatformAdmin(actor);
    const limit = page.limit ?? DEFAULT_PAGE_SIZE;
    const params: unknown[] = [];
    let after = '';
    if (page.cursor) {
      const key = decodeTimeCursor(page.cursor);
      params.push(key.at, key.id);
      after = `AND (d.updated_at, d.id) < ($1::timestamptz, $2::uuid)`;
    }
    params.push(limit + 1);
    const rows: FailedRow[] = await this.tx.manager.query(
      `SELECT d.id, d.notification_id, d.user_id, n.municipality_id, n.type, d.channel, d.attempts, d.last_error, d.digest_at,
              d.created_at, d.updated_at, ${cursorAtSql('d.updated_at')} AS cursor_at
         FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE d.status = 'failed' ${after}
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
   * Puts a failed delivery back to pending; the worker's dispatcher enqueues it (a digest email
   * waits for the next digest run). Its finished job is removed first, so the new one is not
   * mistaken for a duplicate.
   */
  async retry(actor: AuthUser, deliveryId: string): Promise<void> {
    assertPlatformAdmin(actor);
    const [row]: Array<{ status: DeliveryStatus; notification_id: string; channel: QueuedChannel }> = await this.tx.manager.query(
      `SELECT status, notification_id, channel FROM notification_deliveries WHERE id = $1`,
      [deliveryId],
    );
    if (!row) throw new DeliveryNotFoundError();
    if (row.status !== 'failed') throw new DeliveryNotFailedError(row.status);
    // While 'failed' nothing re-enqueues it, so removing the old job first leaves no race.
    await this.deliveryQueue.forgetJob(row.notification_id, row.channel).catch((error: Error) => {
      // The sweeper replaces a finished job it finds later; Redis being away must not block a retry.
      this.logger.warn({ err: error }, `Could not remove the old job of delivery ${deliveryId}: ${error.message}`);
    });
    await this.tx.run(async (manager) => {
      const [updated]: [Array<{ municipality_id: string | null }>, number] = await manager.query(
        `UPDATE notification_deliveries d SET status = 'pending', enqueued_at = NULL, claimed_at = NULL, updated_at = now()
           FROM notifications n
          WHERE d.id = $1 AND d.status = 'failed' AND n.id = d.notification_id
          RETURNING n.municipality_id`,
        [deliveryId],
      );
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
}

function assertPlatformAdmin(actor: AuthUser): void {
  if (!actor.isPlatformAdmin) throw new ForbiddenError('Only a platform administrator may do this');
}

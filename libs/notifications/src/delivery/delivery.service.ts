import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TransactionService } from '@app/common';
import { UserSummary, UsersService } from '@app/identity';
import { UnrecoverableError } from 'bullmq';
import { PreferencesService } from '../preferences/preferences.service';
import { NotificationContent, RenderedNotification } from '../rules/notification-rule';
import { NotificationRuleRegistry } from '../rules/notification-rule.registry';
import { DeliveryStatus, QueuedChannel } from '../notification.types';
import { MunicipalityNames, withDeadline } from './delivery-context';
import { renderNotificationMail, unsubscribeHeaders } from './notification-mail';
import { NotificationMailer } from './notification-mailer';
import { PushSender, PushTarget } from './push-sender';

export type DeliveryOutcome = 'sent' | 'skipped' | `already_${DeliveryStatus}` | 'missing';

/** Another sender holds the delivery (its claim is not stale yet): try again later. */
export class DeliveryBusyError extends Error {}

/** Will fail the same way every time: no retry. */
class PermanentDeliveryError extends Error {}

interface ClaimedRow {
  id: string;
  notification_id: string;
  user_id: string;
  channel: QueuedChannel;
  attempts: number;
  /** Null when the notification is gone (its owner's account was erased). */
  type: string | null;
  subject_type: string | null;
  subject_id: string | null;
  data: Record<string, unknown> | null;
  municipality_id: string | null;
  created_at: Date | null;
  enabled: boolean | null;
}

interface Claimed {
  id: string;
  userId: string;
  channel: QueuedChannel;
  notification: Loaded | null;
}

interface Loaded extends NotificationContent {
  id: string;
  municipalityId: string | null;
  createdAt: Date;
  /** The person's switch for this type and channel now (null: never changed, so on). */
  enabled: boolean | null;
}

/**
 * Sends one delivery, at most once per successful claim: the row is claimed ('sending') before the
 * send and marked 'sent' right after, so a job that runs twice finds nothing to do. A claim whose
 * sender died is taken over once it is older than the send timeout plus the queue lock window.
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly rules: NotificationRuleRegistry,
    private readonly preferences: PreferencesService,
    private readonly users: UsersService,
    private readonly names: MunicipalityNames,
    private readonly mailer: NotificationMailer,
    private readonly push: PushSender,
  ) {}

  /** How old a 'sending' claim must be before another sender may take it over. */
  get staleClaimMs(): number {
    return this.config.notifications.sendTimeoutMs + this.config.queueLockMs;
  }

  async deliver(deliveryId: string, options: { finalAttempt: boolean }): Promise<DeliveryOutcome> {
    const claimed = await this.claim(deliveryId);
    if (!claimed) {
      const [row]: Array<{ status: DeliveryStatus }> = await this.tx.manager.query(`SELECT status FROM notification_deliveries WHERE id = $1`, [deliveryId]);
      if (!row) return 'missing';
      if (row.status === 'sending') throw new DeliveryBusyError(`Delivery ${deliveryId} is being sent by another worker`);
      return `already_${row.status}`;
    }
    let outcome: 'sent' | 'skipped';
    let note: string | null = null;
    try {
      [outcome, note] = await this.send(claimed);
    } catch (error) {
      const permanent = error instanceof PermanentDeliveryError;
      const message = (error as Error).message ?? String(error);
      // Back to 'pending' for BullMQ's next attempt, or 'failed' for the admins when none is left.
      await this.tx.manager.query(
        `UPDATE notification_deliveries SET status = $2, last_error = $3, updated_at = now() WHERE id = $1 AND status = 'sending'`,
        [deliveryId, permanent || options.finalAttempt ? 'failed' : 'pending', message.slice(0, 1000)],
      );
      if (permanent) throw new UnrecoverableError(message);
      throw error;
    }
    // Outside the try: a send that went out is never reported as failed (and so never resent).
    await this.tx.manager.query(
      `UPDATE notification_deliveries SET status = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() END, last_error = $3, updated_at = now()
       WHERE id = $1 AND status = 'sending'`,
      [deliveryId, outcome, note],
    );
    return outcome;
  }

  /** Claims the delivery and reads its notification in one round trip. */
  private async claim(deliveryId: string): Promise<Claimed | null> {
    const rows: ClaimedRow[] = await this.tx.manager.query(
      `WITH c AS (
         UPDATE notification_deliveries
            SET status = 'sending', attempts = attempts + 1, claimed_at = now(), updated_at = now()
          WHERE id = $1 AND digest_at IS NULL
            AND (status = 'pending' OR (status = 'sending' AND claimed_at < now() - make_interval(secs => $2::double precision / 1000)))
          RETURNING id, notification_id, user_id, channel, attempts)
       SELECT c.*, n.type, n.subject_type, n.subject_id, n.data, n.municipality_id, n.created_at,
              (SELECT p.enabled FROM notification_preferences p WHERE p.user_id = c.user_id AND p.type = n.type AND p.channel = c.channel) AS enabled
         FROM c LEFT JOIN notifications n ON n.id = c.notification_id`,
      [deliveryId, this.staleClaimMs],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: row.id,
      userId: row.user_id,
      channel: row.channel,
      notification: row.type === null ? null : {
        id: row.notification_id,
        type: row.type,
        subjectType: row.subject_type!,
        subjectId: row.subject_id!,
        data: row.data ?? {},
        municipalityId: row.municipality_id,
        createdAt: row.created_at!,
        enabled: row.enabled,
      },
    };
  }

  /** Returns the outcome and, for a skip, why. */
  private async send(claimed: Claimed): Promise<['sent' | 'skipped', string | null]> {
    const notification = claimed.notification;
    if (!notification) return ['skipped', 'notification deleted'];
    // The person may have turned this off since it was created (or used the unsubscribe link).
    if (notification.enabled === false) return ['skipped', 'turned off in preferences'];
    const person = (await this.users.summaries([claimed.userId])).get(claimed.userId);
    if (!person || person.erased) return ['skipped', 'account erased'];
    const rule = this.rules.ruleForType(notification.type);
    if (!rule) throw new PermanentDeliveryError(`No rule renders notification type ${notification.type}`);
    const text = rule.handler.render(notification, person.locale);
    return claimed.channel === 'email' ? this.sendEmail(notification, person, text) : this.sendPush(notification, person, text);
  }

  private async sendEmail(n: Loaded, person: UserSummary, text: RenderedNotification): Promise<['sent' | 'skipped', string | null]> {
    if (!person.email) return ['skipped', 'no email address'];
    const unsubscribeUrl = this.preferences.unsubscribeUrl({ userId: person.id, type: n.type, channel: 'email' });
    const mail = renderNotificationMail(
      { ...text, url: `${this.config.publicUrl}${text.path}` },
      { locale: person.locale, displayName: person.displayName, municipalityName: await this.names.of(n.municipalityId), unsubscribeUrl },
    );
    try {
      await withDeadline(
        this.mailer.send({
          to: person.email,
          ...mail,
          headers: unsubscribeHeaders(unsubscribeUrl),
          messageId: `<${n.id}.email@${this.mailer.messageIdDomain}>`,
        }),
        this.config.notifications.sendTimeoutMs,
        'SMTP send',
      );
    } catch (error) {
      const code = (error as { responseCode?: number }).responseCode;
      // 5xx: the server will never take it (unknown mailbox, refused content). 4xx: try again.
      if (typeof code === 'number' && code >= 500) throw new PermanentDeliveryError(`SMTP ${code}: ${(error as Error).message}`);
      throw error;
    }
    return ['sent', null];
  }

  private async sendPush(n: Loaded, person: UserSummary, text: RenderedNotification): Promise<['sent' | 'skipped', string | null]> {
    if (!this.push.enabled) return ['skipped', 'web push is not configured'];
    const targets: PushTarget[] = await this.tx.manager.query(
      `SELECT id, endpoint, p256dh, auth FROM push_subscriptions WHERE user_id = $1 ORDER BY created_at, id`,
      [person.id],
    );
    if (targets.length === 0) return ['skipped', 'no push subscription'];
    const attempts = await withDeadline(
      this.push.send(targets, { id: n.id, type: n.type, title: text.title, body: text.body, url: `${this.config.publicUrl}${text.path}`, createdAt: n.createdAt.toISOString() }),
      // web-push's own timeout bounds each request; this one bounds them all.
      this.config.notifications.sendTimeoutMs + 1000,
      'Web push',
    );
    const gone = attempts.filter((a) => a.outcome === 'gone').map((a) => a.target.id);
    if (gone.length) {
      // The browser unsubscribed or the subscription expired: it will never work again.
      await this.tx.manager.query(`DELETE FROM push_subscriptions WHERE id = ANY($1::uuid[])`, [gone]);
      this.logger.log(`Removed ${gone.length} expired push subscription(s) of user ${person.id}`);
    }
    if (attempts.some((a) => a.outcome === 'delivered')) return ['sent', null];
    const transient = attempts.find((a) => a.outcome === 'transient');
    if (transient) throw new Error(transient.error ?? 'push service unavailable');
    const rejected = attempts.find((a) => a.outcome === 'rejected');
    if (rejected) throw new PermanentDeliveryError(rejected.error ?? 'push refused');
    return ['skipped', 'every push subscription is gone'];
  }
}

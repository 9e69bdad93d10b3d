import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TransactionService } from '@app/common';
import { UserSummary } from '@app/identity';
import { UnrecoverableError } from 'bullmq';
import { PreferencesService } from '../preferences/preferences.service';
import { RenderedNotification } from '../rules/notification-rule';
import { NotificationRuleRegistry } from '../rules/notification-rule.registry';
import { DeliveryStatus } from '../notification.types';
import { MunicipalityNames, withDeadline } from './delivery-context';
import { ClaimedDelivery, DeliveryContact, DeliveryRows, LoadedNotification as Loaded } from './delivery-rows';
import { renderNotificationMail, unsubscribeHeaders } from './notification-mail';
import { NotificationMailer } from './notification-mailer';
import { PushSender, PushTarget } from './push-sender';
import { retryWindowPassed } from './retry-policy';

export type DeliveryOutcome = 'sent' | 'skipped' | `already_${DeliveryStatus}` | 'missing';

/** Another sender holds the delivery (its claim is not stale yet): try again later. */
export class DeliveryBusyError extends Error {}

/** Will fail the same way every time: no retry. */
class PermanentDeliveryError extends Error {}

/**
 * Sends one delivery, at most once per successful claim: the row is claimed ('sending') before the
 * send and marked 'sent' right after, so a job that runs twice finds nothing to do. A claim whose
 * sender died is taken over once it is older than the send timeout plus the queue lock window.
 * Claims and marks of the deliveries a worker sends at once share statements (DeliveryRows).
 */
@Injectable()
export class DeliveryService {
  private readonly logger = new Logger(DeliveryService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly rows: DeliveryRows,
    private readonly rules: NotificationRuleRegistry,
    private readonly preferences: PreferencesService,
    private readonly names: MunicipalityNames,
    private readonly mailer: NotificationMailer,
    private readonly push: PushSender,
  ) {}

  /** How old a 'sending' claim must be before another sender may take it over. */
  get staleClaimMs(): number {
    return this.rows.staleClaimMs;
  }

  async deliver(deliveryId: string, options: { finalAttempt: boolean }): Promise<DeliveryOutcome> {
    const result = await this.rows.claim(deliveryId);
    const claimed = result.claimed;
    if (!claimed) {
      const status = (result as { status: DeliveryStatus | null }).status;
      if (!status) return 'missing';
      // 'pending' here is a digest email, or a row another worker claimed as this one looked.
      if (status === 'sending') throw new DeliveryBusyError(`Delivery ${deliveryId} is being sent by another worker`);
      return `already_${status}`;
    }
    let outcome: 'sent' | 'skipped';
    let note: string | null = null;
    try {
      [outcome, note] = await this.send(claimed);
    } catch (error) {
      const message = (error as Error).message ?? String(error);
      // A refusal is retried for the retry window (from the delivery's creation, or an admin's
      // retry), not a number of attempts: a relay can be down for hours. Then 'failed' for the admins.
      const permanent = error instanceof PermanentDeliveryError;
      const expired = !permanent && retryWindowPassed(claimed.retryFrom, new Date(), this.config.notifications.retryWindowMs);
      const final = permanent || expired || options.finalAttempt;
      // Cancelled while this attempt was on its way: not put back for a retry (the cancel dropped
      // only the rows still waiting).
      if (!final && (await this.announcementCancelled(deliveryId))) {
        await this.rows.mark(deliveryId, { status: 'skipped', note: 'announcement cancelled' });
        return 'skipped';
      }
      await this.rows.mark(deliveryId, { status: final ? 'failed' : 'pending', note: message.slice(0, 1000) });
      if (final) throw new UnrecoverableError(expired ? `Retried for the whole retry window: ${message}` : message);
      throw error;
    }
    // Outside the try: a send that went out is never reported as failed (and so never resent).
    await this.rows.mark(deliveryId, { status: outcome, note });
    return outcome;
  }

  /** Returns the outcome and, for a skip, why. */
  /** Whether the delivery is part of an announcement that staff have cancelled (read only after a refused attempt). */
  private async announcementCancelled(deliveryId: string): Promise<boolean> {
    const rows: unknown[] = await this.tx.manager.query(
      `SELECT 1 FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
         JOIN announcements a ON a.source_event_id = n.source_event_id
        WHERE d.id = $1 AND a.status = 'cancelled'`,
      [deliveryId],
    );
    return rows.length > 0;
  }

  private async send(claimed: ClaimedDelivery): Promise<['sent' | 'skipped', string | null]> {
    const notification = claimed.notification;
    if (!notification) return ['skipped', 'notification deleted'];
    // The person may have turned this off since it was created (or used the unsubscribe link).
    if (notification.enabled === false) return ['skipped', 'turned off in preferences'];
    if (claimed.contact) return this.sendToContact(notification, claimed.contact, claimed.channel);
    const person = claimed.person;
    if (!person || person.erased) return ['skipped', 'account erased'];
    const rule = this.rules.ruleForType(notification.type);
    if (!rule) throw new PermanentDeliveryError(`No rule renders notification type ${notification.type}`);
    const text = rule.handler.render(notification, person.locale);
    return claimed.channel === 'email'
      ? this.sendEmail(notification, { email: person.email, locale: person.locale, displayName: person.displayName, userId: person.id }, text)
      : this.sendPush(notification, person, text);
  }

  /** Someone without an account (a report filed for them): by e-mail only, in the locale the rule gave. */
  private async sendToContact(n: Loaded, contact: DeliveryContact, channel: ClaimedDelivery['channel']): Promise<['sent' | 'skipped', string | null]> {
    if (channel !== 'email') return ['skipped', 'a contact without an account is told by e-mail only'];
    const rule = this.rules.ruleForType(n.type);
    if (!rule) throw new PermanentDeliveryError(`No rule renders notification type ${n.type}`);
    return this.sendEmail(n, { email: contact.email, locale: contact.locale, displayName: contact.name ?? contact.email, userId: null }, rule.handler.render(n, contact.locale));
  }

  private async sendEmail(
    n: Loaded,
    to: { email: string | null; locale: UserSummary['locale']; displayName: string; userId: string | null },
    text: RenderedNotification,
  ): Promise<['sent' | 'skipped', string | null]> {
    if (!to.email) return ['skipped', 'no email address'];
    // A contact has no preferences to turn off: no unsubscribe link (the mail says why it came).
    const unsubscribeUrl = to.userId ? this.preferences.unsubscribeUrl({ userId: to.userId, type: n.type, channel: 'email' }) : null;
    const mail = renderNotificationMail(
      { ...text, url: `${this.config.publicUrl}${text.path}` },
      { locale: to.locale, displayName: to.displayName, municipalityName: await this.names.of(n.municipalityId), unsubscribeUrl },
    );
    try {
      // The mailer's deadline counts from the moment a connection takes the mail.
      await this.mailer.send({
        to: to.email,
        ...mail,
        headers: unsubscribeUrl ? unsubscribeHeaders(unsubscribeUrl) : { 'Auto-Submitted': 'auto-generated' },
        messageId: `<${n.id}.email@${this.mailer.messageIdDomain}>`,
      });
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

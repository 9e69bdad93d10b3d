import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TransactionService } from '@app/common';
import { UsersService } from '@app/identity';
import { NotificationRuleRegistry } from '../rules/notification-rule.registry';
import { PreferencesService } from '../preferences/preferences.service';
import { ALL_TYPES } from '../preferences/unsubscribe-token';
import { MunicipalityNames } from './delivery-context';
import { DigestItem, renderDigestMail, unsubscribeHeaders } from './notification-mail';
import { NotificationMailer } from './notification-mailer';

export interface DigestRunResult {
  /** Digest mails sent. */
  mails: number;
  /** Deliveries they carried. */
  deliveries: number;
  /** People whose digest failed this time (tried again at the next run). */
  failures: number;
}

interface DueRow {
  delivery_id: string;
  notification_id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  data: Record<string, unknown>;
  municipality_id: string | null;
  enabled: boolean | null;
}

/** People handled per run; the next run (a quarter of an hour later) takes the rest. */
const USERS_PER_RUN = 5000;

/**
 * Daily digests: email deliveries of people in digest mode wait with a `digest_at` (the next
 * digest hour in their municipality's time zone); a repeatable job sends, per person, one mail
 * with everything that is due. Claimed and marked like single deliveries, so two runs at once (or
 * a run after a crash) never send a notification twice.
 */
@Injectable()
export class DigestService {
  private readonly logger = new Logger(DigestService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly rules: NotificationRuleRegistry,
    private readonly preferences: PreferencesService,
    private readonly users: UsersService,
    private readonly names: MunicipalityNames,
    private readonly mailer: NotificationMailer,
  ) {}

  async sendDue(now: Date = new Date()): Promise<DigestRunResult> {
    const result: DigestRunResult = { mails: 0, deliveries: 0, failures: 0 };
    const people: Array<{ user_id: string }> = await this.tx.manager.query(
      `SELECT DISTINCT user_id FROM notification_deliveries
        WHERE status IN ('pending', 'sending') AND digest_at IS NOT NULL AND digest_at <= $1
        LIMIT ${USERS_PER_RUN}`,
      [now],
    );
    for (const { user_id: userId } of people) {
      try {
        const sent = await this.sendFor(userId, now);
        if (sent > 0) {
          result.mails++;
          result.deliveries += sent;
        }
      } catch (error) {
        result.failures++;
        this.logger.warn({ err: error }, `Digest for user ${userId} failed, will retry: ${(error as Error).message}`);
      }
    }
    if (result.mails || result.failures) this.logger.log(`Digests: ${result.mails} mail(s) with ${result.deliveries} notification(s), ${result.failures} failure(s)`);
    return result;
  }

  /** One person's digest; returns how many notifications it carried. */
  async sendFor(userId: string, now: Date = new Date()): Promise<number> {
    const staleMs = this.config.notifications.sendTimeoutMs + this.config.queueLockMs;
    const [claimed]: [Array<{ id: string }>, number] = await this.tx.manager.query(
      `UPDATE notification_deliveries
          SET status = 'sending', attempts = attempts + 1, claimed_at = now(), updated_at = now()
        WHERE user_id = $1 AND channel = 'email' AND digest_at IS NOT NULL AND digest_at <= $2
          AND (status = 'pending' OR (status = 'sending' AND claimed_at < now() - make_interval(secs => $3::double precision / 1000)))
        RETURNING id`,
      [userId, now, staleMs],
    );
    if (claimed.length === 0) return 0;
    const ids = claimed.map((c) => c.id);
    const rows: DueRow[] = await this.tx.manager.query(
      `SELECT d.id AS delivery_id, n.id AS notification_id, n.type, n.subject_type, n.subject_id, n.data, n.municipality_id,
              (SELECT p.enabled FROM notification_preferences p WHERE p.user_id = n.user_id AND p.type = n.type AND p.channel = 'email') AS enabled
         FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        WHERE d.id = ANY($1::uuid[])
        ORDER BY n.created_at, n.id`,
      [ids],
    );
    const person = (await this.users.summaries([userId])).get(userId);
    const wanted = rows.filter((r) => r.enabled !== false && this.rules.ruleForType(r.type));
    const unwanted = rows.filter((r) => !wanted.includes(r)).map((r) => r.delivery_id);
    if (!person || person.erased || !person.email || wanted.length === 0) {
      await this.finish(ids, 'skipped', person?.email ? 'turned off in preferences' : 'no email address');
      return 0;
    }
    if (unwanted.length) await this.finish(unwanted, 'skipped', 'turned off in preferences');

    const items: DigestItem[] = [];
    for (const row of wanted) {
      const text = this.rules.ruleForType(row.type)!.handler.render(
        { type: row.type, subjectType: row.subject_type, subjectId: row.subject_id, data: row.data },
        person.locale,
      );
      items.push({ ...text, url: `${this.config.publicUrl}${text.path}`, municipalityName: await this.names.of(row.municipality_id) });
    }
    const towns = [...new Set(items.map((i) => i.municipalityName))];
    const unsubscribeUrl = this.preferences.unsubscribeUrl({ userId, type: ALL_TYPES, channel: 'email' });
    const mail = renderDigestMail(items, {
      locale: person.locale,
      displayName: person.displayName,
      municipalityName: towns.length === 1 ? towns[0] : null,
      unsubscribeUrl,
    });
    const sending = wanted.map((r) => r.delivery_id);
    try {
      // The mailer's deadline counts from the moment a connection takes the mail.
      await this.mailer.send({
        to: person.email,
        ...mail,
        headers: unsubscribeHeaders(unsubscribeUrl),
        messageId: `<digest.${sending[0]}@${this.mailer.messageIdDomain}>`,
      });
    } catch (error) {
      // Back to waiting: the next run tries again, for the retry window after the digest was due.
      await this.tx.manager.query(
        `UPDATE notification_deliveries
            SET status = CASE WHEN GREATEST(created_at, digest_at, retry_from) < now() - make_interval(secs => $2::double precision / 1000) THEN 'failed' ELSE 'pending' END,
                last_error = $3, updated_at = now()
          WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
        [sending, this.config.notifications.retryWindowMs, ((error as Error).message ?? String(error)).slice(0, 1000)],
      );
      throw error;
    }
    await this.finish(sending, 'sent', null);
    return sending.length;
  }

  private async finish(ids: string[], status: 'sent' | 'skipped', note: string | null): Promise<void> {
    await this.tx.manager.query(
      `UPDATE notification_deliveries SET status = $2, sent_at = CASE WHEN $2 = 'sent' THEN now() END, last_error = $3, updated_at = now()
        WHERE id = ANY($1::uuid[]) AND status = 'sending'`,
      [ids, status, note],
    );
  }
}

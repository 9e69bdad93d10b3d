import { Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig, TransactionService } from '@app/common';
import { UsersService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { InvalidUnsubscribeTokenError, UnknownNotificationTypeError } from '../notifications.errors';
import { EmailMode, NOTIFICATION_CHANNELS, NotificationChannel } from '../notification.types';
import { NotificationRuleRegistry } from '../rules/notification-rule.registry';
import { ALL_TYPES, UnsubscribeClaim, UnsubscribeTokens } from './unsubscribe-token';

export type ChannelSwitches = Record<NotificationChannel, boolean>;

export interface PreferencesView {
  emailMode: EmailMode;
  /** Whether this server sends web push at all (VAPID keys configured). */
  pushAvailable: boolean;
  types: Array<{ type: string; channels: ChannelSwitches }>;
}

export interface PreferenceChange {
  type: string;
  channel: NotificationChannel;
  enabled: boolean;
}

export interface PreferencesUpdate {
  emailMode?: EmailMode;
  preferences?: PreferenceChange[];
}

/** What the pipeline needs to know of a person's choices when it creates or sends. */
export interface RecipientSettings {
  emailMode: EmailMode;
  /** `${type}|${channel}` → enabled, only for what the person changed (default: on). */
  switches: Map<string, boolean>;
}

const key = (type: string, channel: NotificationChannel) => `${type}|${channel}`;

/**
 * People choose, per notification type and channel, whether they hear of it (all on by default),
 * and whether email comes at once or as one daily digest. A mail's unsubscribe link turns its
 * type's email off without signing in.
 */
@Injectable()
export class PreferencesService {
  private readonly tokens: UnsubscribeTokens;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly tx: TransactionService,
    private readonly rules: NotificationRuleRegistry,
    private readonly users: UsersService,
  ) {
    this.tokens = new UnsubscribeTokens(config.jwtSecret);
  }

  async get(userId: string): Promise<PreferencesView> {
    const settings = (await this.settingsFor([userId])).get(userId)!;
    return {
      emailMode: settings.emailMode,
      pushAvailable: this.config.notifications.vapid !== null,
      types: this.rules.types().map((type) => ({
        type,
        channels: Object.fromEntries(NOTIFICATION_CHANNELS.map((c) => [c, settings.switches.get(key(type, c)) ?? true])) as ChannelSwitches,
      })),
    };
  }

  async update(userId: string, update: PreferencesUpdate): Promise<PreferencesView> {
    const changes = update.preferences ?? [];
    const unknown = [...new Set(changes.map((c) => c.type).filter((t) => !this.rules.isKnownType(t)))];
    if (unknown.length) throw new UnknownNotificationTypeError(unknown, this.rules.types());
    await this.tx.run(async (manager) => {
      if (update.emailMode) {
        await manager.query(
          `INSERT INTO notification_settings (user_id, email_mode) VALUES ($1, $2)
           ON CONFLICT (user_id) DO UPDATE SET email_mode = excluded.email_mode, updated_at = now()`,
          [userId, update.emailMode],
        );
      }
      await this.setSwitches(manager, userId, changes);
    });
    return this.get(userId);
  }

  /** Settings of many people at once (two queries), for the fan-out of one event. */
  async settingsFor(userIds: readonly string[], manager: EntityManager = this.tx.manager): Promise<Map<string, RecipientSettings>> {
    const out = new Map<string, RecipientSettings>(userIds.map((id) => [id, { emailMode: 'immediate' as EmailMode, switches: new Map() }]));
    if (userIds.length === 0) return out;
    // One round trip for both tables: the mode rows have no type.
    const rows: Array<{ user_id: string; type: string | null; channel: NotificationChannel | null; enabled: boolean | null; email_mode: EmailMode | null }> =
      await manager.query(
        `SELECT user_id, NULL AS type, NULL AS channel, NULL::boolean AS enabled, email_mode FROM notification_settings WHERE user_id = ANY($1::uuid[])
         UNION ALL
         SELECT user_id, type, channel, enabled, NULL FROM notification_preferences WHERE user_id = ANY($1::uuid[])`,
        [userIds],
      );
    for (const row of rows) {
      const settings = out.get(row.user_id)!;
      if (row.type === null) settings.emailMode = row.email_mode!;
      else settings.switches.set(key(row.type, row.channel!), row.enabled!);
    }
    return out;
  }

  isEnabled(settings: RecipientSettings, type: string, channel: NotificationChannel): boolean {
    return settings.switches.get(key(type, channel)) ?? true;
  }

  /** The link a mail carries to stop that type's email (or, for a digest, all email). */
  unsubscribeUrl(claim: UnsubscribeClaim): string {
    return `${this.config.publicUrl}/api/v1/notifications/unsubscribe?token=${this.tokens.sign(claim)}`;
  }

  /** What an unsubscribe token would turn off, or INVALID_UNSUBSCRIBE_TOKEN. */
  readUnsubscribeToken(token: string): UnsubscribeClaim {
    const claim = this.tokens.verify(token);
    if (!claim) throw new InvalidUnsubscribeTokenError();
    return claim;
  }

  /** Turns off what the token names. Idempotent; an erased account is a no-op. */
  async unsubscribe(token: string): Promise<UnsubscribeClaim> {
    const claim = this.readUnsubscribeToken(token);
    const types = claim.type === ALL_TYPES ? this.rules.types() : [claim.type];
    await this.tx.run(async (manager) => {
      const person = (await this.users.summaries([claim.userId], manager)).get(claim.userId);
      if (!person || person.erased) return;
      await this.setSwitches(manager, claim.userId, types.map((type) => ({ type, channel: claim.channel, enabled: false })));
    });
    return claim;
  }

  private async setSwitches(manager: EntityManager, userId: string, changes: PreferenceChange[]): Promise<void> {
    if (changes.length === 0) return;
    // Last one wins when a request names the same switch twice.
    const merged = new Map(changes.map((c) => [key(c.type, c.channel), c]));
    const list = [...merged.values()];
    await manager.query(
      `INSERT INTO notification_preferences (user_id, type, channel, enabled)
       SELECT $1, t, c, e FROM unnest($2::text[], $3::text[], $4::boolean[]) AS x(t, c, e)
       ON CONFLICT (user_id, type, channel) DO UPDATE SET enabled = excluded.enabled, updated_at = now()`,
      [userId, list.map((c) => c.type), list.map((c) => c.channel), list.map((c) => c.enabled)],
    );
  }
}

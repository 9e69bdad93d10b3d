import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DomainEvent, OutboxService } from '@app/common';
import { MunicipalitiesService, UsersService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { nextDigestAt } from '../delivery/digest-time';
import { PreferencesService } from '../preferences/preferences.service';
import { NotificationDraft } from '../rules/notification-rule';
import { NotificationRuleRegistry } from '../rules/notification-rule.registry';
import { QueuedChannel } from '../notification.types';

/** The channel LISTENed to by the worker's dispatcher; NOTIFY is delivered at commit. */
export const DELIVERIES_CHANNEL = 'notification_deliveries';

export interface FanoutResult {
  notifications: number;
  deliveries: number;
}

interface Planned {
  draft: NotificationDraft;
  subjectType: string;
  subjectId: string;
  inApp: boolean;
  channels: Array<{ channel: QueuedChannel; digest: boolean }>;
}

/**
 * Turns one committed event into stored notifications and their pending deliveries, inside the
 * transaction that records the event as consumed. Nothing is sent or enqueued here: the worker's
 * dispatcher hands the deliveries to the queue once this commits.
 */
@Injectable()
export class NotificationFanoutService {
  private readonly logger = new Logger(NotificationFanoutService.name);

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly rules: NotificationRuleRegistry,
    private readonly preferences: PreferencesService,
    private readonly users: UsersService,
    private readonly municipalities: MunicipalitiesService,
    private readonly outbox: OutboxService,
  ) {}

  /** Who each rule wants told, minus the actor, once per (person, type). */
  async drafts(event: DomainEvent, manager: EntityManager): Promise<NotificationDraft[]> {
    const out = new Map<string, NotificationDraft>();
    for (const rule of this.rules.rulesFor(event.type)) {
      for (const draft of await rule.handler.recipients(event, manager)) {
        if (!rule.options.types.includes(draft.type)) {
          throw new Error(`Notification rule ${rule.name} produced type "${draft.type}" it does not declare`);
        }
        // Nobody is told of what they did themselves.
        if (!draft.userId || draft.userId === event.actorId) continue;
        const id = `${draft.userId}|${draft.type}`;
        if (!out.has(id)) out.set(id, draft);
      }
    }
    return [...out.values()];
  }

  async fromEvent(event: DomainEvent, manager: EntityManager): Promise<FanoutResult> {
    const drafts = await this.drafts(event, manager);
    if (drafts.length === 0) return { notifications: 0, deliveries: 0 };
    const userIds = [...new Set(drafts.map((d) => d.userId))];
    const [people, settings, pushUsers] = [
      await this.users.summaries(userIds, manager),
      await this.preferences.settingsFor(userIds, manager),
      await this.usersWithPush(userIds, manager),
    ];

    const planned: Planned[] = [];
    for (const draft of drafts) {
      const person = people.get(draft.userId);
      if (!person || person.erased) continue;
      const mine = settings.get(draft.userId)!;
      const channels: Planned['channels'] = [];
      if (person.email && this.preferences.isEnabled(mine, draft.type, 'email')) {
        channels.push({ channel: 'email', digest: mine.emailMode === 'daily_digest' });
      }
      if (pushUsers.has(draft.userId) && this.preferences.isEnabled(mine, draft.type, 'push')) channels.push({ channel: 'push', digest: false });
      const inApp = this.preferences.isEnabled(mine, draft.type, 'in_app');
      // Every channel off: there is nothing to keep.
      if (!inApp && channels.length === 0) continue;
      planned.push({
        draft,
        subjectType: draft.subject?.type ?? event.aggregateType,
        subjectId: draft.subject?.id ?? event.aggregateId,
        inApp,
        channels,
      });
    }
    if (planned.length === 0) return { notifications: 0, deliveries: 0 };

    const digestAt = planned.some((p) => p.channels.some((c) => c.digest)) ? await this.digestAt(event, manager) : null;
    const deliveries = planned.flatMap((p) => p.channels.map((c) => ({ userId: p.draft.userId, type: p.draft.type, channel: c.channel, digestAt: c.digest ? digestAt : null })));
    // One statement for the notifications and their deliveries. A rule that runs again for this
    // event (a redelivered job whose consumption record was lost) finds its rows and adds nothing.
    const inserted: Array<{ id: string; user_id: string; type: string; subject_type: string; subject_id: string; in_app: boolean }> =
      await manager.query(
        `WITH n AS (
           INSERT INTO notifications (user_id, municipality_id, type, subject_type, subject_id, source_event_id, data, in_app)
           SELECT u, $1::uuid, t, st, sid, $2::bigint, d, ia
             FROM unnest($3::uuid[], $4::text[], $5::text[], $6::text[], $7::jsonb[], $8::boolean[]) AS x(u, t, st, sid, d, ia)
           ON CONFLICT (source_event_id, user_id, type) DO NOTHING
           RETURNING id, user_id, type, subject_type, subject_id, in_app),
         d AS (
           INSERT INTO notification_deliveries (notification_id, user_id, channel, digest_at)
           SELECT n.id, n.user_id, y.c, y.da
             FROM n JOIN unnest($9::uuid[], $10::text[], $11::text[], $12::timestamptz[]) AS y(u, t, c, da) ON y.u = n.user_id AND y.t = n.type
           RETURNING digest_at)
         -- Wakes the worker's dispatcher at commit (digest emails wait for their hour instead).
         SELECT n.*, (SELECT count(pg_notify($13, '')) FROM (SELECT 1 FROM d WHERE d.digest_at IS NULL LIMIT 1) w)::int AS woken FROM n`,
        [
          event.municipalityId,
          event.id,
          planned.map((p) => p.draft.userId),
          planned.map((p) => p.draft.type),
          planned.map((p) => p.subjectType),
          planned.map((p) => p.subjectId),
          planned.map((p) => JSON.stringify(p.draft.data ?? {})),
          planned.map((p) => p.inApp),
          deliveries.map((d) => d.userId),
          deliveries.map((d) => d.type),
          deliveries.map((d) => d.channel),
          deliveries.map((d) => d.digestAt),
          DELIVERIES_CHANNEL,
        ],
      );
    if (inserted.length === 0) return { notifications: 0, deliveries: 0 };
    // The live in-app push: the worker sends each to user:{id} after commit.
    const live = inserted.filter((row) => row.in_app);
    if (live.length) {
      await this.outbox.record(
        manager,
        'notification.created',
        {
          sourceEventId: event.id,
          municipalityId: event.municipalityId,
          notifications: live.map((row) => ({ notificationId: row.id, userId: row.user_id, type: row.type, subjectType: row.subject_type, subjectId: row.subject_id })),
        },
        { aggregateType: 'notification', aggregateId: event.id, municipalityId: event.municipalityId, actorId: event.actorId },
      );
    }
    const stored = new Set(inserted.map((row) => `${row.user_id}|${row.type}`));
    const delivered = deliveries.filter((d) => stored.has(`${d.userId}|${d.type}`)).length;
    this.logger.debug(`Event ${event.id} (${event.type}): ${inserted.length} notification(s), ${delivered} delivery(ies)`);
    return { notifications: inserted.length, deliveries: delivered };
  }

  /** People with at least one push subscription, when this server sends push at all. */
  private async usersWithPush(userIds: string[], manager: EntityManager): Promise<Set<string>> {
    if (!this.config.notifications.vapid) return new Set();
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT DISTINCT user_id FROM push_subscriptions WHERE user_id = ANY($1::uuid[])`,
      [userIds],
    );
    return new Set(rows.map((r) => r.user_id));
  }

  /**
   * The digest that carries an email: the next digest hour in the time zone of the municipality
   * the event happened in (what people read the hour in), UTC for events of no municipality.
   */
  private async digestAt(event: DomainEvent, manager: EntityManager): Promise<Date> {
    let zone = 'UTC';
    if (event.municipalityId) {
      zone = (await this.municipalities.requireById(event.municipalityId, manager).catch(() => null))?.timezone ?? 'UTC';
    }
    return nextDigestAt(new Date(), zone, this.config.notifications.digestHour);
  }
}

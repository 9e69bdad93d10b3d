import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DomainEvent, OutboxService } from '@app/common';
import { MunicipalitiesService, UsersService } from '@app/identity';
import { EntityManager } from 'typeorm';
import { nextDigestAt } from '../delivery/digest-time';
import { PreferencesService } from '../preferences/preferences.service';
import { AnyNotificationDraft, ContactNotificationDraft, isContactDraft, NotificationDraft } from '../rules/notification-rule';
import { storeContactNotifications } from './contact-notifications';
import { NotificationRuleRegistry, RegisteredRule } from '../rules/notification-rule.registry';
import { QueuedChannel } from '../notification.types';
import { storeAudiencePage } from './audience-page-store';

/** What the rules with `recipientsMany` said of each event of a batch. */
type BatchedDrafts = Map<RegisteredRule, Map<DomainEvent, AnyNotificationDraft[]>>;

/** The channel LISTENed to by the worker's dispatcher; NOTIFY is delivered at commit. */
export const DELIVERIES_CHANNEL = 'notification_deliveries';

export interface FanoutResult {
  notifications: number;
  deliveries: number;
}

/** A fan-out whose caller enqueues its immediate deliveries after commit: which ones. */
export interface EnqueuedFanoutResult extends FanoutResult {
  queued: QueuedDeliveryRef[];
}

/** Which lane deliveries travel in: a personal event's, or a bulk announcement's (its own queue). */
export type DeliveryLane = 'personal' | 'bulk';

/** A stored delivery that its caller hands to the queue itself right after commit. */
export interface QueuedDeliveryRef {
  id: string;
  notification_id: string;
  channel: QueuedChannel;
}

/** How a bulk fan-out stores its page (announcements). */
export interface AudienceFanoutOptions {
  type: string;
  data: Record<string, unknown>;
  /** The channels the sender chose; each person's preferences narrow them further. */
  channels: readonly ('in_app' | QueuedChannel)[];
}

/** A row of the store statement: a notification stored ('n'), or an immediate delivery to enqueue ('d'). */
interface StoredRow {
  kind: 'n' | 'd';
  id: string;
  source_event_id: string;
  user_id: string;
  type: string;
  subject_type: string;
  subject_id: string;
  in_app: boolean;
  notification_id: string | null;
  channel: QueuedChannel | null;
}

interface Planned {
  event: DomainEvent;
  draft: NotificationDraft;
  subjectType: string;
  subjectId: string;
  inApp: boolean;
  channels: Array<{ channel: QueuedChannel; digest: boolean }>;
}

/**
 * Turns one committed event into stored notifications and their pending deliveries, inside the
 * transaction that records the event as consumed. Nothing is sent or enqueued here: either the
 * caller adds the jobs of the deliveries it gets back once this commits (the worker's rule
 * consumer, an announcement's page), or the worker's dispatcher takes them (woken by NOTIFY).
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
    return (await this.allDrafts(event, manager)).people;
  }

  /**
   * What the rules that take several events at once (`recipientsMany`) say of each event, asked
   * once per rule for the events it reads; the other rules run per event in `allDrafts`.
   */
  private async batchedDrafts(events: readonly DomainEvent[], manager: EntityManager): Promise<BatchedDrafts> {
    const byRule = new Map<RegisteredRule, DomainEvent[]>();
    for (const event of events) {
      for (const rule of this.rules.rulesFor(event.type)) {
        if (!rule.handler.recipientsMany) continue;
        const list = byRule.get(rule);
        if (list) list.push(event);
        else byRule.set(rule, [event]);
      }
    }
    const out: BatchedDrafts = new Map();
    for (const [rule, ruleEvents] of byRule) {
      const drafts = await rule.handler.recipientsMany!(ruleEvents, manager);
      out.set(rule, new Map(ruleEvents.map((event, i) => [event, drafts[i] ?? []])));
    }
    return out;
  }

  /** The people to tell, and the contacts without an account (once per e-mail and type). */
  private async allDrafts(
    event: DomainEvent,
    manager: EntityManager,
    batched?: BatchedDrafts,
  ): Promise<{ people: NotificationDraft[]; contacts: ContactNotificationDraft[] }> {
    const out = new Map<string, NotificationDraft>();
    const contacts = new Map<string, ContactNotificationDraft>();
    for (const rule of this.rules.rulesFor(event.type)) {
      for (const draft of batched?.get(rule)?.get(event) ?? (await rule.handler.recipients(event, manager))) {
        if (!rule.options.types.includes(draft.type)) {
          throw new Error(`Notification rule ${rule.name} produced type "${draft.type}" it does not declare`);
        }
        if (isContactDraft(draft)) {
          const email = draft.contact.email.trim().toLowerCase();
          if (email && !contacts.has(`${email}|${draft.type}`)) contacts.set(`${email}|${draft.type}`, { ...draft, contact: { ...draft.contact, email } });
          continue;
        }
        // Nobody is told of what they did themselves.
        if (!draft.userId || draft.userId === event.actorId) continue;
        const id = `${draft.userId}|${draft.type}`;
        if (!out.has(id)) out.set(id, draft);
      }
    }
    return { people: [...out.values()], contacts: [...contacts.values()] };
  }

  async fromEvent(event: DomainEvent, manager: EntityManager): Promise<FanoutResult> {
    return this.fromEvents([event], manager);
  }

  /**
   * Several committed events at once (the worker consumes the events that wait together in one
   * transaction): each rule runs per event, then the recipients' accounts and settings are read
   * once for all, and one statement stores every notification and delivery. Each event still
   * gets its own `notification.created`.
   */
  async fromEvents(events: readonly DomainEvent[], manager: EntityManager): Promise<FanoutResult> {
    const { notifications, deliveries } = await this.fromEventsEnqueuedBy('dispatcher', events, manager);
    return { notifications, deliveries };
  }

  /**
   * `fromEvents` for a caller that adds the immediate deliveries' jobs itself right after commit
   * (`caller`): they are stored already enqueued and returned, so no dispatcher pass marks each
   * one again; if the caller dies or Redis refuses first, the sweeper finds them pending with no
   * job. With `dispatcher`, they are stored new and NOTIFY wakes the dispatcher.
   */
  async fromEventsEnqueuedBy(by: 'caller' | 'dispatcher', events: readonly DomainEvent[], manager: EntityManager): Promise<EnqueuedFanoutResult> {
    const drafted: Array<{ event: DomainEvent; drafts: NotificationDraft[] }> = [];
    const toContacts: Array<{ event: DomainEvent; draft: ContactNotificationDraft }> = [];
    const batched = await this.batchedDrafts(events, manager);
    for (const event of events) {
      const { people, contacts } = await this.allDrafts(event, manager, batched);
      if (people.length) drafted.push({ event, drafts: people });
      for (const draft of contacts) toContacts.push({ event, draft });
    }
    const contacted = await storeContactNotifications(manager, toContacts);
    const told = await this.toPeople(drafted, manager, { lane: 'personal', enqueuedBy: by });
    return { notifications: told.notifications + contacted, deliveries: told.deliveries + contacted, queued: told.queued };
  }

  /**
   * One page of an announcement's audience: notifications and deliveries in the bulk lane, under
   * each person's preferences (digest mode included), unique per (source event, person, type) so
   * a page stored twice stores nothing twice (the preferences applied in the statement itself,
   * see storeAudiencePage). Nothing is sent from here: the live messages and the
   * bulk jobs are started once the whole audience is stored (AnnouncementFanout.nextJobsPage).
   */
  async toAudience(event: DomainEvent, userIds: readonly string[], options: AudienceFanoutOptions, manager: EntityManager): Promise<FanoutResult> {
    if (userIds.length === 0) return { notifications: 0, deliveries: 0 };
    const page = await storeAudiencePage(manager, {
      event,
      type: options.type,
      data: options.data,
      userIds,
      channels: options.channels,
      pushAvailable: this.config.notifications.vapid !== null,
      digestAt: await this.digestAt(event, manager),
    });
    return { notifications: page.stored, deliveries: page.deliveries };
  }

  /** Who is told on which channels, under each person's preferences (and the sender's channels, if any). */
  private async plan(
    drafted: Array<{ event: DomainEvent; drafts: NotificationDraft[] }>,
    manager: EntityManager,
    only?: readonly ('in_app' | QueuedChannel)[],
  ): Promise<{ planned: Planned[]; digestAt: Map<DomainEvent, Date> }> {
    const allowed = (channel: 'in_app' | QueuedChannel) => !only || only.includes(channel);
    const userIds = [...new Set(drafted.flatMap(({ drafts }) => drafts.map((d) => d.userId)))];
    const [people, settings, pushUsers] = [
      await this.users.summaries(userIds, manager),
      await this.preferences.settingsFor(userIds, manager),
      await this.usersWithPush(userIds, manager),
    ];

    const planned: Planned[] = [];
    const digestAt = new Map<DomainEvent, Date>();
    for (const { event, drafts } of drafted) {
      for (const draft of drafts) {
        const person = people.get(draft.userId);
        if (!person || person.erased) continue;
        const mine = settings.get(draft.userId)!;
        const channels: Planned['channels'] = [];
        if (person.email && allowed('email') && this.preferences.isEnabled(mine, draft.type, 'email')) {
          channels.push({ channel: 'email', digest: mine.emailMode === 'daily_digest' });
        }
        if (pushUsers.has(draft.userId) && allowed('push') && this.preferences.isEnabled(mine, draft.type, 'push')) channels.push({ channel: 'push', digest: false });
        const inApp = allowed('in_app') && this.preferences.isEnabled(mine, draft.type, 'in_app');
        // Every channel off: there is nothing to keep.
        if (!inApp && channels.length === 0) continue;
        if (channels.some((c) => c.digest) && !digestAt.has(event)) digestAt.set(event, await this.digestAt(event, manager));
        planned.push({
          event,
          draft,
          subjectType: draft.subject?.type ?? event.aggregateType,
          subjectId: draft.subject?.id ?? event.aggregateId,
          inApp,
          channels,
        });
      }
    }
    return { planned, digestAt };
  }

  private async toPeople(
    drafted: Array<{ event: DomainEvent; drafts: NotificationDraft[] }>,
    manager: EntityManager,
    options: { lane: DeliveryLane; enqueuedBy: 'caller' | 'dispatcher' },
  ): Promise<EnqueuedFanoutResult> {
    const nothing = { notifications: 0, deliveries: 0, queued: [] };
    if (drafted.length === 0) return nothing;
    const { planned, digestAt } = await this.plan(drafted, manager);
    if (planned.length === 0) return nothing;

    const deliveries = planned.flatMap((p) =>
      p.channels.map((c) => ({ eventId: p.event.id, userId: p.draft.userId, type: p.draft.type, channel: c.channel, digestAt: c.digest ? digestAt.get(p.event)! : null })),
    );
    // One statement for the notifications and their deliveries. A rule that runs again for an
    // event (a redelivered job whose consumption record was lost) finds its rows and adds nothing.
    // Rows of kind 'n' are the notifications stored; of kind 'd', the immediate deliveries the
    // caller enqueues after commit (stored with enqueued_at set: the dispatcher never touches them).
    const rows: Array<StoredRow> = await manager.query(
      `WITH n AS (
         INSERT INTO notifications (user_id, municipality_id, type, subject_type, subject_id, source_event_id, data, in_app)
         SELECT u, m, t, st, sid, e, d, ia
           FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::bigint[], $7::jsonb[], $8::boolean[]) AS x(u, m, t, st, sid, e, d, ia)
         ON CONFLICT (source_event_id, user_id, type) DO NOTHING
         RETURNING id, source_event_id, user_id, type, subject_type, subject_id, in_app),
       d AS (
         INSERT INTO notification_deliveries (notification_id, user_id, channel, digest_at, lane, enqueued_at)
         SELECT n.id, n.user_id, y.c, y.da, $15::text, CASE WHEN $16::boolean AND y.da IS NULL THEN now() END
           FROM n JOIN unnest($9::bigint[], $10::uuid[], $11::text[], $12::text[], $13::timestamptz[]) AS y(e, u, t, c, da)
                    ON y.e = n.source_event_id AND y.u = n.user_id AND y.t = n.type
         RETURNING id, notification_id, channel, digest_at)
       -- Wakes the worker's dispatcher at commit when it is the one to enqueue (digest emails
       -- wait for their hour instead).
       SELECT 'n' AS kind, n.id, n.source_event_id, n.user_id, n.type, n.subject_type, n.subject_id, n.in_app, NULL::uuid AS notification_id, NULL::text AS channel,
              (SELECT count(pg_notify($14, '')) FROM (SELECT 1 FROM d WHERE d.digest_at IS NULL AND NOT $16::boolean LIMIT 1) w)::int AS woken
         FROM n
       UNION ALL
       SELECT 'd', d.id, NULL::bigint, NULL::uuid, NULL::text, NULL::text, NULL::text, NULL::boolean, d.notification_id, d.channel, NULL::int
         FROM d WHERE d.digest_at IS NULL AND $16::boolean`,
      [
        planned.map((p) => p.draft.userId),
        planned.map((p) => p.event.municipalityId),
        planned.map((p) => p.draft.type),
        planned.map((p) => p.subjectType),
        planned.map((p) => p.subjectId),
        planned.map((p) => p.event.id),
        planned.map((p) => JSON.stringify(p.draft.data ?? {})),
        planned.map((p) => p.inApp),
        deliveries.map((d) => d.eventId),
        deliveries.map((d) => d.userId),
        deliveries.map((d) => d.type),
        deliveries.map((d) => d.channel),
        deliveries.map((d) => d.digestAt),
        DELIVERIES_CHANNEL,
        options.lane,
        options.enqueuedBy === 'caller',
      ],
    );
    const inserted = rows.filter((row) => row.kind === 'n');
    const queued: QueuedDeliveryRef[] = rows.filter((row) => row.kind === 'd').map((row) => ({ id: row.id, notification_id: row.notification_id!, channel: row.channel! }));
    if (inserted.length === 0) return nothing;
    // The live in-app push: the worker sends each to user:{id} after commit, one event per source
    // event, the batch's events written by one statement.
    const live = drafted
      .map(({ event }) => ({ event, rows: inserted.filter((row) => row.in_app && String(row.source_event_id) === event.id) }))
      .filter(({ rows }) => rows.length > 0);
    await this.outbox.recordMany(
      manager,
      'notification.created',
      live.map(({ event, rows }) => ({
        payload: {
          sourceEventId: event.id,
          municipalityId: event.municipalityId,
          notifications: rows.map((row) => ({ notificationId: row.id, userId: row.user_id, type: row.type, subjectType: row.subject_type, subjectId: row.subject_id })),
        },
        meta: { aggregateType: 'notification', aggregateId: event.id, municipalityId: event.municipalityId, actorId: event.actorId },
      })),
    );
    const stored = new Set(inserted.map((row) => `${row.source_event_id}|${row.user_id}|${row.type}`));
    const delivered = deliveries.filter((d) => stored.has(`${d.eventId}|${d.userId}|${d.type}`)).length;
    this.logger.debug(`${drafted.length} event(s): ${inserted.length} notification(s), ${delivered} delivery(ies)`);
    return { notifications: inserted.length, deliveries: delivered, queued };
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

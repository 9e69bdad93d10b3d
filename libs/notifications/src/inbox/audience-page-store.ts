import { DomainEvent } from '@app/common';
import { EntityManager } from 'typeorm';
import { QueuedChannel } from '../notification.types';

export interface StoredAudiencePage {
  /** Notifications stored (a page stored twice stores nothing the second time). */
  stored: number;
  /** Of which in the in-app inbox. */
  inApp: number;
  deliveries: number;
}

export interface AudiencePage {
  event: DomainEvent;
  type: string;
  data: Record<string, unknown>;
  /** The page's people, as the audience provider walked them. */
  userIds: readonly string[];
  /** The channels the sender chose (each person's preferences narrow them). */
  channels: readonly ('in_app' | QueuedChannel)[];
  /** Whether this server sends web push at all (VAPID keys). */
  pushAvailable: boolean;
  /** When a digest-mode person's email is due. */
  digestAt: Date;
}

/**
 * One statement stores an announcement page: who is told on which channel is decided in the
 * database, by the rules the rest of the pipeline applies in PreferencesService / the fan-out's
 * `plan()` — erased or unknown accounts and the sender are skipped; a channel is on unless the
 * person switched that type × channel off (notification_preferences); email needs an address and
 * waits for the digest in digest mode (notification_settings); push needs VAPID and a
 * subscription; nobody is stored with every channel off. The people's accounts, settings and
 * switches no longer travel to the worker and back as 2,000-element arrays (a third of a page's
 * time with the worker's thread busy), and what is shared — the event, town, type, subject and the
 * words — is one parameter. Counted, not returned: the live messages and bulk jobs are started
 * from the table once the whole audience is stored (AnnouncementFanout.nextJobsPage). Immediate
 * deliveries are stored already marked enqueued, so the dispatcher never takes them and the
 * sweeper is the fallback for a job never added. Unique per (source event, person, type): a page
 * stored again adds nothing. test/notifications/announcements.e2e-spec.ts checks the preferences.
 */
export async function storeAudiencePage(manager: EntityManager, page: AudiencePage): Promise<StoredAudiencePage> {
  const { event } = page;
  const allowed = (channel: 'in_app' | QueuedChannel) => page.channels.includes(channel);
  const [counts]: Array<{ stored: number; in_app: number; deliveries: number }> = await manager.query(
    `WITH x AS (
       SELECT u.id AS u, u.email IS NOT NULL AS has_email, coalesce(s.email_mode = 'daily_digest', false) AS digest,
              $13::boolean AND EXISTS (SELECT 1 FROM push_subscriptions ps WHERE ps.user_id = u.id) AS has_push,
              coalesce(bool_and(p.enabled) FILTER (WHERE p.channel = 'in_app'), true) AS in_app_on,
              coalesce(bool_and(p.enabled) FILTER (WHERE p.channel = 'email'), true) AS email_on,
              coalesce(bool_and(p.enabled) FILTER (WHERE p.channel = 'push'), true) AS push_on
         FROM unnest($1::uuid[]) AS i(id)
         JOIN users u ON u.id = i.id AND u.deleted_at IS NULL
         LEFT JOIN notification_settings s ON s.user_id = u.id
         LEFT JOIN notification_preferences p ON p.user_id = u.id AND p.type = $3
        WHERE u.id IS DISTINCT FROM $12::uuid
        GROUP BY u.id, u.email, s.email_mode),
     plan AS (
       SELECT u, $9::boolean AND in_app_on AS ia, $10::boolean AND has_email AND email_on AS em, digest, $11::boolean AND has_push AND push_on AS pu FROM x),
     n AS (
       INSERT INTO notifications (user_id, municipality_id, type, subject_type, subject_id, source_event_id, data, in_app)
       SELECT plan.u, $2::uuid, $3, $4, $5, $6::bigint, $7::jsonb, plan.ia FROM plan WHERE plan.ia OR plan.em OR plan.pu
       ON CONFLICT (source_event_id, user_id, type) DO NOTHING
       RETURNING id, user_id, in_app),
     d AS (
       INSERT INTO notification_deliveries (notification_id, user_id, channel, digest_at, lane, enqueued_at)
       SELECT n.id, n.user_id, c.channel, CASE WHEN c.dg THEN $8::timestamptz END, 'bulk', CASE WHEN c.dg THEN NULL ELSE now() END
         FROM n JOIN plan ON plan.u = n.user_id
        CROSS JOIN LATERAL (VALUES ('email', plan.em, plan.digest), ('push', plan.pu, false)) AS c(channel, wanted, dg)
        WHERE c.wanted
       RETURNING 1)
     SELECT (SELECT count(*) FROM n)::int AS stored, (SELECT count(*) FROM n WHERE n.in_app)::int AS in_app, (SELECT count(*) FROM d)::int AS deliveries`,
    [
      page.userIds,
      event.municipalityId,
      page.type,
      event.aggregateType,
      event.aggregateId,
      event.id,
      JSON.stringify(page.data),
      page.digestAt,
      allowed('in_app'),
      allowed('email'),
      allowed('push'),
      event.actorId,
      page.pushAvailable,
    ],
  );
  return { stored: counts.stored, inApp: counts.in_app, deliveries: counts.deliveries };
}

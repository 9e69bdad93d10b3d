import { DomainEvent } from '@app/common';
import { EntityManager } from 'typeorm';
import { QueuedChannel } from '../notification.types';

/** One person of an audience's page, as their preferences leave them. */
export interface AudienceMember {
  userId: string;
  inApp: boolean;
  channels: Array<{ channel: QueuedChannel; digest: boolean }>;
}

export interface StoredAudiencePage {
  /** Notifications stored (a page stored twice stores nothing the second time). */
  stored: number;
  /** Of which in the in-app inbox. */
  inApp: number;
  deliveries: number;
}

/**
 * One statement for an announcement page's notifications and bulk-lane deliveries. What every
 * row of the page shares — the event, town, type, subject and the announcement's words — is one
 * parameter, not one array element per person (2,000 copies of the words parsed as jsonb per
 * page were a tenth of the statement); what it stored is counted, not returned: the live messages
 * and the bulk jobs are started from the table once the whole audience is stored
 * (AnnouncementFanout.nextJobsPage). Immediate deliveries are stored already marked enqueued, so
 * the dispatcher never takes them and the sweeper is the fallback for a job never added. Unique
 * per (source event, person, type): a page stored again adds nothing.
 */
export async function storeAudiencePage(
  manager: EntityManager,
  page: { event: DomainEvent; type: string; data: Record<string, unknown>; digestAt: Date | null; members: readonly AudienceMember[] },
): Promise<StoredAudiencePage> {
  const { event, members } = page;
  const deliveries = members.flatMap((m) => m.channels.map((c) => ({ userId: m.userId, channel: c.channel, digest: c.digest })));
  const [counts]: Array<{ stored: number; in_app: number; deliveries: number }> = await manager.query(
    `WITH n AS (
       INSERT INTO notifications (user_id, municipality_id, type, subject_type, subject_id, source_event_id, data, in_app)
       SELECT x.u, $3::uuid, $4, $5, $6, $7::bigint, $8::jsonb, x.ia FROM unnest($1::uuid[], $2::boolean[]) AS x(u, ia)
       ON CONFLICT (source_event_id, user_id, type) DO NOTHING
       RETURNING id, user_id, in_app),
     d AS (
       INSERT INTO notification_deliveries (notification_id, user_id, channel, digest_at, lane, enqueued_at)
       SELECT n.id, n.user_id, y.c, CASE WHEN y.dg THEN $12::timestamptz END, 'bulk', CASE WHEN y.dg THEN NULL ELSE now() END
         FROM n JOIN unnest($9::uuid[], $10::text[], $11::boolean[]) AS y(u, c, dg) ON y.u = n.user_id
       RETURNING 1)
     SELECT (SELECT count(*) FROM n)::int AS stored, (SELECT count(*) FROM n WHERE n.in_app)::int AS in_app, (SELECT count(*) FROM d)::int AS deliveries`,
    [
      members.map((m) => m.userId),
      members.map((m) => m.inApp),
      event.municipalityId,
      page.type,
      event.aggregateType,
      event.aggregateId,
      event.id,
      JSON.stringify(page.data),
      deliveries.map((d) => d.userId),
      deliveries.map((d) => d.channel),
      deliveries.map((d) => d.digest),
      page.digestAt,
    ],
  );
  return { stored: counts.stored, inApp: counts.in_app, deliveries: counts.deliveries };
}

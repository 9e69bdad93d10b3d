import { DomainEvent } from '@app/common';
import { EntityManager } from 'typeorm';
import { ContactNotificationDraft } from '../rules/notification-rule';
import { DELIVERIES_CHANNEL } from './notification-fanout.service';

/**
 * Stores the notifications of contacts without an account (see ContactNotificationDraft) with
 * one e-mail delivery each, never a digest (there are no settings to ask for one), in the
 * consuming transaction, and wakes the dispatcher at commit. A rule run again for an event finds
 * its rows (notifications_contact_source_key) and adds nothing. Returns how many were stored.
 */
export async function storeContactNotifications(manager: EntityManager, drafted: Array<{ event: DomainEvent; draft: ContactNotificationDraft }>): Promise<number> {
  if (drafted.length === 0) return 0;
  const rows: Array<{ n: number }> = await manager.query(
    `WITH n AS (
       INSERT INTO notifications (user_id, contact_email, contact_name, contact_locale, municipality_id, type, subject_type, subject_id, source_event_id, data, in_app)
       SELECT NULL, ce, cn, cl, m, t, st, sid, e, d, false
         FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::bigint[], $9::jsonb[]) AS x(ce, cn, cl, m, t, st, sid, e, d)
       ON CONFLICT (source_event_id, contact_email, type) WHERE user_id IS NULL DO NOTHING
       RETURNING id),
     d AS (
       INSERT INTO notification_deliveries (notification_id, user_id, channel) SELECT id, NULL, 'email' FROM n RETURNING id)
     SELECT (SELECT count(*) FROM d)::int AS n, (SELECT count(pg_notify($10, '')) FROM (SELECT 1 FROM d LIMIT 1) w)::int AS woken`,
    [
      drafted.map(({ draft }) => draft.contact.email),
      drafted.map(({ draft }) => draft.contact.name),
      drafted.map(({ draft }) => draft.contact.locale),
      drafted.map(({ event }) => event.municipalityId),
      drafted.map(({ draft }) => draft.type),
      drafted.map(({ event, draft }) => draft.subject?.type ?? event.aggregateType),
      drafted.map(({ event, draft }) => draft.subject?.id ?? event.aggregateId),
      drafted.map(({ event }) => event.id),
      drafted.map(({ draft }) => JSON.stringify(draft.data ?? {})),
      DELIVERIES_CHANNEL,
    ],
  );
  return rows[0]?.n ?? 0;
}

import { Injectable } from '@nestjs/common';
import { AudienceProvider, AudienceScope, AudienceTargetInvalidError, NotificationAudience } from '@app/notifications';
import { EntityManager } from 'typeorm';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sessionId(target: string | null): string {
  if (!target || !UUID.test(target)) throw new AudienceTargetInvalidError('workshop.session_attendees needs a target: the session id');
  return target.toLowerCase();
}

/**
 * Everyone holding a place at a session or waiting for one: registered, on the waiting list, or
 * offered a freed seat (any registration not cancelled, with an account; walk-ins entered at the
 * door have none). Walked by the partial unique index `workshop_registrations_person (session_id,
 * user_id) WHERE user_id IS NOT NULL AND status <> 'cancelled'`, whose condition the query repeats.
 */
@Injectable()
@NotificationAudience({
  kind: 'workshop.session_attendees',
  target: '<session id>',
  label: { fr: "Les inscrits et la liste d'attente d'une séance d'atelier", en: "A workshop session's registered and waiting people" },
})
export class SessionAttendeesAudience implements AudienceProvider {
  async check(scope: AudienceScope, manager: EntityManager): Promise<void> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM workshop_sessions WHERE id = $1 AND municipality_id = $2`, [sessionId(scope.target), scope.municipalityId]);
    // Another town's session answers as one that does not exist.
    if (rows.length === 0) throw new AudienceTargetInvalidError('no such workshop session in this municipality');
  }

  async count(scope: AudienceScope, manager: EntityManager): Promise<number> {
    const [{ n }]: Array<{ n: number }> = await manager.query(
      `SELECT count(*)::int AS n FROM workshop_registrations WHERE session_id = $1 AND user_id IS NOT NULL AND status <> 'cancelled'`,
      [sessionId(scope.target)],
    );
    return n;
  }

  async page(scope: AudienceScope, after: string | null, limit: number, manager: EntityManager): Promise<string[]> {
    const rows: Array<{ user_id: string }> = await manager.query(
      `SELECT user_id FROM workshop_registrations
        WHERE session_id = $1 AND user_id IS NOT NULL AND status <> 'cancelled' AND ($2::uuid IS NULL OR user_id > $2::uuid)
        ORDER BY user_id LIMIT $3`,
      [sessionId(scope.target), after, limit],
    );
    return rows.map((r) => r.user_id);
  }
}

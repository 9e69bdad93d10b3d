import { EntityManager } from 'typeorm';
import { isUuid } from '../ids';
import { WorkshopSessionEntity } from '../sessions/session.entity';
import { SessionNotFoundError } from '../workshops.errors';

export async function lockSession(manager: EntityManager, sessionId: string): Promise<WorkshopSessionEntity> {
  if (!isUuid(sessionId)) throw new SessionNotFoundError();
  const session = await manager.findOne(WorkshopSessionEntity, { where: { id: sessionId }, lock: { mode: 'pessimistic_write' } });
  if (!session) throw new SessionNotFoundError();
  return session;
}

/** Sessions that ended with this person registered and never checked in, in the town. */
export async function countNoShows(manager: EntityManager, userId: string, municipalityId: string): Promise<number> {
  const [row] = (await manager.query(
    `SELECT count(*)::int AS n FROM workshop_registrations r JOIN workshop_sessions s ON s.id = r.session_id
      WHERE r.user_id = $1 AND s.municipality_id = $2 AND r.status = 'registered' AND r.checked_in_at IS NULL AND s.status = 'scheduled' AND s.ends_at < now()`,
    [userId, municipalityId],
  )) as Array<{ n: number }>;
  return row.n;
}

export function meta(session: WorkshopSessionEntity, actorId: string | null) {
  return { aggregateType: 'workshop_session', aggregateId: session.id, municipalityId: session.municipalityId, actorId };
}

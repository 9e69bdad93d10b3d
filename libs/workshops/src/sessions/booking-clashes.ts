import { EntityManager, QueryFailedError } from 'typeorm';
import { BookingClash, BookingClashError } from '../workshops.errors';

/** A booking we tried to write: its time, room and facilitators. */
export interface AttemptedBooking {
  sessionId?: string;
  startsAt: Date;
  endsAt: Date;
  roomId: string | null;
  facilitatorIds: string[];
}

const ROOM_CONSTRAINT = 'workshop_sessions_room_overlap';
const FACILITATOR_CONSTRAINT = 'workshop_facilitator_overlap';

function violatedConstraint(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === '23P01' ? (driverError.constraint ?? null) : null;
}

/**
 * Turns the exclusion constraint's refusal into a 409 naming what was already booked. Runs after
 * the failed transaction rolled back: the clashing booking is committed (that is why ours failed),
 * so a plain read finds it. Anything else is rethrown as it was.
 */
export async function explainClash(manager: EntityManager, error: unknown, attempts: AttemptedBooking[]): Promise<never> {
  const constraint = violatedConstraint(error);
  if (constraint === ROOM_CONSTRAINT) {
    for (const a of attempts) {
      if (!a.roomId) continue;
      const [row] = (await manager.query(
        `SELECT id AS "sessionId", workshop_id AS "workshopId", starts_at AS "startsAt", ends_at AS "endsAt", room_id AS "roomId"
           FROM workshop_sessions
          WHERE room_id = $1 AND status = 'scheduled' AND tstzrange(starts_at, ends_at) && tstzrange($2, $3) AND ($4::uuid IS NULL OR id <> $4)
          ORDER BY starts_at LIMIT 1`,
        [a.roomId, a.startsAt, a.endsAt, a.sessionId ?? null],
      )) as BookingClash[];
      if (row) throw new BookingClashError('room', isoTimes(row));
    }
    throw new BookingClashError('room', { sessionId: 'unknown', workshopId: 'unknown', startsAt: '', endsAt: '' });
  }
  if (constraint === FACILITATOR_CONSTRAINT) {
    for (const a of attempts) {
      if (!a.facilitatorIds.length) continue;
      const [row] = (await manager.query(
        `SELECT s.id AS "sessionId", s.workshop_id AS "workshopId", s.starts_at AS "startsAt", s.ends_at AS "endsAt", b.user_id AS "userId"
           FROM workshop_facilitator_bookings b JOIN workshop_sessions s ON s.id = b.session_id
          WHERE b.user_id = ANY($1::uuid[]) AND b.during && tstzrange($2, $3) AND ($4::uuid IS NULL OR b.session_id <> $4)
          ORDER BY s.starts_at LIMIT 1`,
        [a.facilitatorIds, a.startsAt, a.endsAt, a.sessionId ?? null],
      )) as BookingClash[];
      if (row) throw new BookingClashError('facilitator', isoTimes(row));
    }
    throw new BookingClashError('facilitator', { sessionId: 'unknown', workshopId: 'unknown', startsAt: '', endsAt: '' });
  }
  throw error;
}

function isoTimes(row: BookingClash): BookingClash {
  return { ...row, startsAt: new Date(row.startsAt).toISOString(), endsAt: new Date(row.endsAt).toISOString() };
}

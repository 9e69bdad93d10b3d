import { Injectable } from '@nestjs/common';
import { decodeCursor, DEFAULT_PAGE_SIZE, encodeCursor, Page, TransactionService } from '@app/common';
import { Actor, MunicipalitiesService } from '@app/identity';
import { MyRegistrationsQueryDto } from '../dto/my-registrations.dto';
import { instantToLocal } from '../sessions/session-times';
import { LocalizedText } from '../workshops/workshop.entity';
import { RegistrationStatus } from './registration.entity';

/** Where a registration stands for its holder: `attended` once checked in at the door. */
export type MyRegistrationState = 'registered' | 'waitlisted' | 'offered' | 'cancelled' | 'attended';

export interface MyRegistrationView {
  id: string;
  state: MyRegistrationState;
  status: RegistrationStatus;
  waitlistPosition: number | null;
  offerExpiresAt: string | null;
  checkedInAt: string | null;
  sessionId: string;
  sessionStatus: 'scheduled' | 'cancelled';
  startsAt: string;
  endsAt: string;
  localStartsAt: string;
  localEndsAt: string;
  timezone: string;
  workshopId: string;
  workshopTitle: LocalizedText;
}

interface Row {
  id: string;
  status: RegistrationStatus;
  position: number | null;
  offer_expires_at: Date | null;
  checked_in_at: Date | null;
  session_id: string;
  session_status: 'scheduled' | 'cancelled';
  starts_at: Date;
  ends_at: Date;
  starts_at_text: string;
  municipality_id: string;
  workshop_id: string;
  title: LocalizedText;
}

/**
 * The signed-in person's own registrations, on any device: upcoming (sessions not yet over,
 * soonest first) or past (latest first), keyset paginated on (session start, registration id).
 * Only ever the caller's: the person is the query's first condition, not a filter applied later.
 */
@Injectable()
export class MyRegistrationsService {
  constructor(
    private readonly tx: TransactionService,
    private readonly municipalities: MunicipalitiesService,
  ) {}

  async list(actor: Actor, q: MyRegistrationsQueryDto): Promise<Page<MyRegistrationView>> {
    const limit = q.limit ?? DEFAULT_PAGE_SIZE;
    const past = q.when === 'past';
    const params: unknown[] = [actor.id, limit + 1];
    let narrow = '';
    if (q.workshopId) {
      params.push(q.workshopId);
      narrow += ` AND s.workshop_id = $${params.length}::uuid`;
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor, ['t', 'id'] as const, { t: 'timestamptz', id: 'uuid' });
      params.push(c.t, c.id);
      narrow += ` AND (s.starts_at, r.id) ${past ? '<' : '>'} ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
    }
    const order = past ? 'DESC' : 'ASC';
    const rows = (await this.tx.manager.query(
      `SELECT r.id, r.status, r.offer_expires_at, r.checked_in_at, r.session_id,
              s.status AS session_status, s.starts_at, s.ends_at, s.starts_at::text AS starts_at_text, s.municipality_id,
              w.id AS workshop_id, w.title,
              CASE WHEN r.status = 'waitlisted' THEN (SELECT count(*)::int FROM workshop_registrations q
                WHERE q.session_id = r.session_id AND q.status = 'waitlisted' AND q.arrival <= r.arrival) END AS position
         FROM workshop_registrations r
         JOIN workshop_sessions s ON s.id = r.session_id
         JOIN workshops w ON w.id = s.workshop_id
        WHERE r.user_id = $1 AND s.ends_at ${past ? '<=' : '>'} now()${narrow}
        ORDER BY s.starts_at ${order}, r.id ${order}
        LIMIT $2`,
      params,
    )) as Row[];
    const page = rows.slice(0, limit);
    const zones = new Map<string, string>();
    for (const id of new Set(page.map((r) => r.municipality_id))) zones.set(id, (await this.municipalities.requireById(id)).timezone);
    const last = page[page.length - 1];
    return {
      items: page.map((r) => toMyRegistrationView(r, zones.get(r.municipality_id)!)),
      nextCursor: rows.length > limit ? encodeCursor({ t: last.starts_at_text, id: last.id }) : null,
    };
  }
}

function toMyRegistrationView(r: Row, timezone: string): MyRegistrationView {
  return {
    id: r.id,
    state: r.status === 'registered' && r.checked_in_at ? 'attended' : r.status,
    status: r.status,
    waitlistPosition: r.status === 'waitlisted' ? r.position : null,
    offerExpiresAt: r.offer_expires_at?.toISOString() ?? null,
    checkedInAt: r.checked_in_at?.toISOString() ?? null,
    sessionId: r.session_id,
    sessionStatus: r.session_status,
    startsAt: r.starts_at.toISOString(),
    endsAt: r.ends_at.toISOString(),
    localStartsAt: instantToLocal(r.starts_at, timezone),
    localEndsAt: instantToLocal(r.ends_at, timezone),
    timezone,
    workshopId: r.workshop_id,
    workshopTitle: r.title,
  };
}

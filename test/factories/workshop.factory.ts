import TestAgent from 'supertest/lib/agent';
import { DateTime } from 'luxon';
import * as argon2 from 'argon2';
import { bearer, login, Session, TEST_PASSWORD, uniqueEmail } from '../utils/sessions';

export interface TestVenue {
  id: string;
  rooms: Array<{ id: string; name: string; capacity: number }>;
}

export interface TestSession {
  localStartsAt: string;
  id: string;
  startsAt: string;
  endsAt: string;
  capacity: number;
  roomId: string | null;
  venueId: string | null;
}

export interface TestWorkshop {
  id: string;
  municipalityId: string;
  facilitatorIds: string[];
  sessions: TestSession[];
}

/** A wall-clock time `days` from now at `hour`:`minute` in `zone`, as the API takes it (YYYY-MM-DDTHH:mm). */
export function localTime(days: number, hour = 18, minute = 0, zone = 'Europe/Paris'): string {
  return DateTime.now().setZone(zone).plus({ days }).set({ hour, minute }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** POST /api/v1/municipalities/:slug/venues as staff; one room of `capacity` by default. */
export async function createVenue(http: TestAgent, staff: Session, slug: string, body: Record<string, unknown> = {}): Promise<TestVenue> {
  const res = await staff.auth(http.post(`/api/v1/municipalities/${slug}/venues`)).send({ name: 'Maison de quartier', address: '1 place de la Mairie', rooms: [{ name: 'Salle A', capacity: 40 }], ...body });
  if (res.status !== 201) throw new Error(`create venue answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as TestVenue;
}

export function workshopBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: { fr: 'Atelier mobilité', en: 'Mobility workshop' },
    description: { fr: 'Repenser les trajets du quotidien.', en: 'Rethinking daily journeys.' },
    topic: 'mobility',
    format: 'in_person',
    sessions: [{ startsAt: localTime(7, 18), endsAt: localTime(7, 20), capacity: 20 }],
    ...overrides,
  };
}

/** POST /api/v1/municipalities/:slug/workshops; fails unless 201. */
export async function createWorkshop(http: TestAgent, by: Session, slug: string, body: Record<string, unknown>): Promise<TestWorkshop> {
  const res = await by.auth(http.post(`/api/v1/municipalities/${slug}/workshops`)).send(body);
  if (res.status !== 201) throw new Error(`create workshop answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body as TestWorkshop;
}

/** POST /api/v1/sessions/:id/registrations as `who`; returns the registration (fails unless 201). */
export async function registerFor(http: TestAgent, who: Session, sessionId: string): Promise<{ id: string; status: string; code: string; waitlistPosition: number | null }> {
  const res = await who.auth(http.post(`/api/v1/sessions/${sessionId}/registrations`)).send();
  if (res.status !== 201) throw new Error(`register answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** POST /api/v1/sessions/:id/check-ins with a code, as a facilitator or staff; fails unless 201. */
export async function checkIn(http: TestAgent, by: Session, sessionId: string, code: string): Promise<{ id: string; counted: boolean }> {
  const res = await by.auth(http.post(`/api/v1/sessions/${sessionId}/check-ins`)).send({ code });
  if (res.status !== 201) throw new Error(`check-in answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

/**
 * Many signed-in people at once, for races. The accounts are written straight to the users table
 * with a deliberately cheap argon2id hash (1 MiB, 1 pass) and then sign in through the real
 * login route: hashing 200 passwords at the production cost would take minutes on a shared machine
 * and prove nothing about registration.
 */
export async function manyPeople(http: TestAgent, db: { query: (sql: string, params: unknown[]) => Promise<unknown> }, count: number, prefix = 'racer'): Promise<Session[]> {
  const hash = await argon2.hash(TEST_PASSWORD, { type: argon2.argon2id, memoryCost: 1024, timeCost: 1, parallelism: 1 });
  const emails = Array.from({ length: count }, () => uniqueEmail(prefix));
  const rows = (await db.query(
    `INSERT INTO users (email, password_hash, display_name, email_verified_at) SELECT e, $2, 'Racer', now() FROM unnest($1::text[]) AS e RETURNING id, email`,
    [emails, hash],
  )) as Array<{ id: string; email: string }>;
  const sessions: Session[] = [];
  for (let i = 0; i < rows.length; i += 20) {
    sessions.push(
      ...(await Promise.all(
        rows.slice(i, i + 20).map(async (row) => {
          const tokens = await login(http, row.email, TEST_PASSWORD);
          return { user: { id: row.id, email: row.email, password: TEST_PASSWORD, displayName: 'Racer' }, ...tokens, auth: bearer(tokens.accessToken) };
        }),
      )),
    );
  }
  return sessions;
}

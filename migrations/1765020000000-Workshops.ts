import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Workshops: venues and rooms, workshops with their facilitators, sessions (a series), and
 * registrations. Double bookings of a room or a facilitator are refused by exclusion constraints
 * (btree_gist), so two concurrent bookings cannot both pass a check made before the insert.
 */
export class Workshops1765020000000 implements MigrationInterface {
  name = 'Workshops1765020000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
    await q.query(`
      CREATE TABLE workshop_venues (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        name text NOT NULL,
        address text NOT NULL DEFAULT '',
        location point,
        district_id uuid REFERENCES districts (id) ON DELETE SET NULL,
        accessibility text NOT NULL DEFAULT '',
        is_third_place boolean NOT NULL DEFAULT false,
        sequence int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX workshop_venues_municipality ON workshop_venues (municipality_id, name, id)`);
    await q.query(`
      CREATE TABLE workshop_rooms (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        venue_id uuid NOT NULL REFERENCES workshop_venues (id) ON DELETE CASCADE,
        name text NOT NULL,
        capacity int NOT NULL CHECK (capacity > 0),
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (venue_id, name)
      )`);
    await q.query(`
      CREATE TABLE workshops (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        title jsonb NOT NULL,
        description jsonb NOT NULL,
        topic text NOT NULL,
        format text NOT NULL CHECK (format IN ('in_person', 'online', 'hybrid')),
        online_url text,
        max_no_shows int CHECK (max_no_shows IS NULL OR max_no_shows >= 0),
        offer_hours int NOT NULL DEFAULT 24 CHECK (offer_hours BETWEEN 1 AND 168),
        created_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((format = 'in_person') = (online_url IS NULL))
      )`);
    await q.query(`CREATE INDEX workshops_municipality ON workshops (municipality_id, created_at, id)`);
    await q.query(`CREATE INDEX workshops_topic ON workshops (municipality_id, topic)`);
    await q.query(`
      CREATE TABLE workshop_facilitators (
        workshop_id uuid NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (workshop_id, user_id)
      )`);
    await q.query(`CREATE INDEX workshop_facilitators_user ON workshop_facilitators (user_id)`);
    await q.query(`
      CREATE TABLE workshop_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        workshop_id uuid NOT NULL REFERENCES workshops (id) ON DELETE CASCADE,
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        starts_at timestamptz NOT NULL,
        ends_at timestamptz NOT NULL,
        venue_id uuid REFERENCES workshop_venues (id) ON DELETE RESTRICT,
        room_id uuid REFERENCES workshop_rooms (id) ON DELETE RESTRICT,
        capacity int NOT NULL CHECK (capacity > 0),
        registration_cutoff_at timestamptz NOT NULL,
        status text NOT NULL DEFAULT 'scheduled' CHECK (status IN ('scheduled', 'cancelled')),
        seats_taken int NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
        sequence int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (ends_at > starts_at),
        CHECK (registration_cutoff_at <= starts_at),
        CHECK (room_id IS NULL OR venue_id IS NOT NULL),
        CONSTRAINT workshop_sessions_room_overlap EXCLUDE USING gist (room_id WITH =, tstzrange(starts_at, ends_at) WITH &&)
          WHERE (room_id IS NOT NULL AND status = 'scheduled')
      )`);
    await q.query(`CREATE INDEX workshop_sessions_workshop ON workshop_sessions (workshop_id, starts_at, id)`);
    // The public listing: a town's sessions by start time (keyset), filtered by the rest.
    await q.query(`CREATE INDEX workshop_sessions_listing ON workshop_sessions (municipality_id, starts_at, id) WHERE status = 'scheduled'`);
    await q.query(`CREATE INDEX workshop_sessions_venue ON workshop_sessions (venue_id, starts_at) WHERE venue_id IS NOT NULL`);
    // A facilitator's booking per session: the exclusion constraint needs the person and the time in one row.
    await q.query(`
      CREATE TABLE workshop_facilitator_bookings (
        session_id uuid NOT NULL REFERENCES workshop_sessions (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        during tstzrange NOT NULL,
        PRIMARY KEY (session_id, user_id),
        CONSTRAINT workshop_facilitator_overlap EXCLUDE USING gist (user_id WITH =, during WITH &&)
      )`);
    await q.query(`CREATE SEQUENCE workshop_registration_arrival`);
    await q.query(`
      CREATE TABLE workshop_registrations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES workshop_sessions (id) ON DELETE CASCADE,
        user_id uuid REFERENCES users (id) ON DELETE CASCADE,
        walk_in_name text,
        status text NOT NULL CHECK (status IN ('registered', 'waitlisted', 'offered', 'cancelled')),
        arrival bigint NOT NULL DEFAULT nextval('workshop_registration_arrival'),
        code text NOT NULL,
        offer_expires_at timestamptz,
        checked_in_at timestamptz,
        checked_in_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        cancelled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK ((user_id IS NULL) <> (walk_in_name IS NULL)),
        CHECK ((status = 'offered') = (offer_expires_at IS NOT NULL)),
        UNIQUE (session_id, code)
      )`);
    await q.query(`CREATE UNIQUE INDEX workshop_registrations_person ON workshop_registrations (session_id, user_id) WHERE user_id IS NOT NULL AND status <> 'cancelled'`);
    await q.query(`CREATE INDEX workshop_registrations_queue ON workshop_registrations (session_id, arrival) WHERE status = 'waitlisted'`);
    await q.query(`CREATE INDEX workshop_registrations_user ON workshop_registrations (user_id, created_at) WHERE user_id IS NOT NULL`);
    // The private calendar feed: one secret per person, stored hashed; rotating it revokes the old URL.
    await q.query(`
      CREATE TABLE workshop_feed_tokens (
        user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
        token_hash text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE workshop_feed_tokens`);
    await q.query(`DROP TABLE workshop_registrations`);
    await q.query(`DROP SEQUENCE workshop_registration_arrival`);
    await q.query(`DROP TABLE workshop_facilitator_bookings`);
    await q.query(`DROP TABLE workshop_sessions`);
    await q.query(`DROP TABLE workshop_facilitators`);
    await q.query(`DROP TABLE workshops`);
    await q.query(`DROP TABLE workshop_rooms`);
    await q.query(`DROP TABLE workshop_venues`);
    // btree_gist serves other tables (reports); dropping it is not this migration's call.
  }
}

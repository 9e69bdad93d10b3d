import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('new', 'acknowledged', 'in_progress')`;

/** Citizen reports, their categories (Open311 services), timeline, supports and triage calendar. */
export class Reports1763800001000 implements MigrationInterface {
  name = 'Reports1763800001000';

  async up(q: QueryRunner): Promise<void> {
    // Lets one GiST index hold (municipality_id, location); a trusted contrib extension.
    await q.query(`CREATE EXTENSION IF NOT EXISTS btree_gist`);

    await q.query(`
      CREATE TABLE report_categories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        code text NOT NULL,
        name jsonb NOT NULL,
        description jsonb NOT NULL DEFAULT '{}',
        department text,
        keywords text[] NOT NULL DEFAULT '{}',
        active boolean NOT NULL DEFAULT true,
        attributes jsonb NOT NULL DEFAULT '[]',
        service_levels jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX report_categories_code_key ON report_categories (municipality_id, code)`);

    await q.query(`
      CREATE TABLE triage_calendars (
        municipality_id uuid PRIMARY KEY REFERENCES municipalities (id) ON DELETE CASCADE,
        weekly_hours jsonb NOT NULL,
        closures text[] NOT NULL DEFAULT '{}',
        region text,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);

    await q.query(`
      CREATE TABLE reports (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        number bigserial NOT NULL,
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        kind text NOT NULL,
        category_id uuid NOT NULL REFERENCES report_categories (id),
        category_code text NOT NULL,
        status text NOT NULL DEFAULT 'new',
        reject_reason text,
        duplicate_of_id uuid REFERENCES reports (id) ON DELETE SET NULL,
        description text NOT NULL,
        lat double precision NOT NULL,
        lng double precision NOT NULL,
        location point NOT NULL,
        address text,
        attributes jsonb NOT NULL DEFAULT '{}',
        reporter_id uuid REFERENCES users (id) ON DELETE SET NULL,
        anonymous boolean NOT NULL DEFAULT false,
        contact_name text,
        contact_email text,
        source text NOT NULL DEFAULT 'app',
        priority text NOT NULL DEFAULT 'normal',
        assignee_id uuid REFERENCES users (id) ON DELETE SET NULL,
        department text,
        acknowledge_due_at timestamptz,
        resolve_due_at timestamptz,
        due_at timestamptz,
        acknowledged_at timestamptz,
        resolved_at timestamptz,
        closed_at timestamptz,
        rating smallint,
        support_count int NOT NULL DEFAULT 0,
        photo_count int NOT NULL DEFAULT 0,
        hidden_at timestamptz,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT reports_kind_check CHECK (kind IN ('problem', 'suggestion', 'compliment')),
        CONSTRAINT reports_status_check CHECK (status IN ('new', 'acknowledged', 'in_progress', 'resolved', 'closed', 'rejected')),
        CONSTRAINT reports_reject_reason_check CHECK (reject_reason IS NULL OR reject_reason IN ('duplicate', 'not_responsible', 'invalid', 'spam')),
        CONSTRAINT reports_priority_check CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
        CONSTRAINT reports_source_check CHECK (source IN ('app', 'open311')),
        CONSTRAINT reports_rating_check CHECK (rating IS NULL OR rating BETWEEN 1 AND 5),
        CONSTRAINT reports_lat_check CHECK (lat BETWEEN -90 AND 90),
        CONSTRAINT reports_lng_check CHECK (lng BETWEEN -180 AND 180)
      )`);
    await q.query(`CREATE UNIQUE INDEX reports_number_key ON reports (number)`);
    // Public list and export: newest first per municipality (keyset on created_at, id).
    await q.query(`CREATE INDEX reports_public_list_idx ON reports (municipality_id, created_at DESC, id DESC)`);
    // Map bbox queries within a municipality, newest first: created_at in the same GiST index
    // lets a KNN scan (created_at <-> a far-future instant) return the newest in the box first.
    await q.query(`CREATE INDEX reports_location_idx ON reports USING gist (municipality_id, location, created_at)`);
    // "Is it already reported?": open reports only.
    await q.query(`CREATE INDEX reports_open_location_idx ON reports USING gist (municipality_id, location) WHERE status IN ${OPEN}`);
    await q.query(`CREATE INDEX reports_reporter_idx ON reports (reporter_id, created_at DESC, id DESC)`);
    // Triage queue: open reports of a municipality by status and age.
    await q.query(`CREATE INDEX reports_triage_idx ON reports (municipality_id, status, created_at, id)`);
    await q.query(`CREATE INDEX reports_assignee_idx ON reports (municipality_id, assignee_id, created_at, id) WHERE status IN ${OPEN}`);
    await q.query(`CREATE INDEX reports_due_idx ON reports (municipality_id, resolve_due_at) WHERE status IN ${OPEN}`);
    await q.query(`CREATE INDEX reports_duplicate_of_idx ON reports (duplicate_of_id) WHERE duplicate_of_id IS NOT NULL`);

    await q.query(`
      CREATE TABLE report_events (
        id bigserial PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        type text NOT NULL,
        visibility text NOT NULL DEFAULT 'public',
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        by_staff boolean NOT NULL DEFAULT false,
        from_status text,
        to_status text,
        message text,
        data jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT report_events_visibility_check CHECK (visibility IN ('public', 'internal'))
      )`);
    await q.query(`CREATE INDEX report_events_report_idx ON report_events (report_id, id)`);

    await q.query(`
      CREATE TABLE report_supports (
        report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (report_id, user_id)
      )`);
    await q.query(`CREATE INDEX report_supports_user_idx ON report_supports (user_id)`);

    await q.query(`
      CREATE TABLE open311_api_keys (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        name text NOT NULL,
        key_hash text NOT NULL,
        created_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        revoked_at timestamptz,
        last_used_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX open311_api_keys_hash_key ON open311_api_keys (key_hash)`);
    await q.query(`CREATE INDEX open311_api_keys_municipality_idx ON open311_api_keys (municipality_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['open311_api_keys', 'report_supports', 'report_events', 'reports', 'triage_calendars', 'report_categories']) {
      await q.query(`DROP TABLE ${table}`);
    }
    // btree_gist may serve other tables by then; dropping it is not this migration's call.
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The platform foundation: outbox, consumptions, audit log, identity and municipalities.
 * Foreign keys live here (entities stay relation-free so libraries never import each other's
 * entities); a generated migration that proposes to drop them must be tidied by hand.
 */
export class Foundation1763790000000 implements MigrationInterface {
  name = 'Foundation1763790000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE outbox_events (
        id bigserial PRIMARY KEY,
        type text NOT NULL,
        aggregate_type text NOT NULL,
        aggregate_id text NOT NULL,
        municipality_id uuid,
        actor_id uuid,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        published_at timestamptz
      )`);
    await q.query(`CREATE INDEX outbox_events_unpublished_idx ON outbox_events (id) WHERE published_at IS NULL`);
    await q.query(`CREATE INDEX outbox_events_aggregate_idx ON outbox_events (aggregate_type, aggregate_id, id)`);

    await q.query(`
      CREATE TABLE event_consumptions (
        consumer text NOT NULL,
        event_id bigint NOT NULL,
        consumed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (consumer, event_id)
      )`);

    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        actor_id uuid,
        municipality_id uuid,
        action text NOT NULL,
        target_type text NOT NULL,
        target_id text NOT NULL,
        before jsonb,
        after jsonb,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX audit_log_municipality_idx ON audit_log (municipality_id, id)`);
    await q.query(`CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, id)`);
    await q.query(`CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, id)`);

    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        email text NOT NULL,
        email_verified_at timestamptz,
        password_hash text,
        display_name text NOT NULL,
        locale text NOT NULL DEFAULT 'fr',
        is_platform_admin boolean NOT NULL DEFAULT false,
        sessions_valid_after timestamptz NOT NULL DEFAULT now(),
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT users_locale_check CHECK (locale IN ('fr', 'en'))
      )`);
    await q.query(`CREATE UNIQUE INDEX users_email_key ON users (email)`);

    await q.query(`
      CREATE TABLE auth_sessions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        user_agent text,
        ip text,
        created_at timestamptz NOT NULL DEFAULT now(),
        last_refreshed_at timestamptz,
        revoked_at timestamptz,
        revoked_reason text
      )`);
    await q.query(`CREATE INDEX auth_sessions_user_idx ON auth_sessions (user_id)`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        session_id uuid NOT NULL REFERENCES auth_sessions (id) ON DELETE CASCADE,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        rotated_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX refresh_tokens_session_idx ON refresh_tokens (session_id)`);

    await q.query(`
      CREATE TABLE user_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        purpose text NOT NULL,
        token_hash text NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT user_tokens_purpose_check CHECK (purpose IN ('verify_email', 'reset_password'))
      )`);
    await q.query(`CREATE UNIQUE INDEX user_tokens_hash_key ON user_tokens (token_hash)`);
    await q.query(`CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose)`);

    await q.query(`
      CREATE TABLE municipalities (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        slug text NOT NULL,
        name text NOT NULL,
        timezone text NOT NULL,
        locale text NOT NULL DEFAULT 'fr',
        country_code text NOT NULL DEFAULT 'FR',
        boundary jsonb,
        bbox box,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX municipalities_slug_key ON municipalities (slug)`);
    await q.query(`CREATE INDEX municipalities_bbox_idx ON municipalities USING gist (bbox)`);

    await q.query(`
      CREATE TABLE municipality_members (
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        roles text[] NOT NULL,
        department text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (municipality_id, user_id),
        CONSTRAINT municipality_members_roles_check
          CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['staff', 'facilitator', 'admin']::text[])
      )`);
    await q.query(`CREATE INDEX municipality_members_user_idx ON municipality_members (user_id)`);

    await q.query(`
      CREATE TABLE residency_codes (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        code_hash text NOT NULL,
        created_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz NOT NULL,
        redeemed_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        redeemed_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX residency_codes_hash_key ON residency_codes (code_hash)`);
    await q.query(`CREATE INDEX residency_codes_municipality_idx ON residency_codes (municipality_id, created_at)`);

    await q.query(`
      CREATE TABLE residencies (
        municipality_id uuid NOT NULL REFERENCES municipalities (id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        method text NOT NULL,
        verified_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        code_id uuid REFERENCES residency_codes (id) ON DELETE SET NULL,
        verified_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (municipality_id, user_id),
        CONSTRAINT residencies_method_check CHECK (method IN ('code', 'staff'))
      )`);
    await q.query(`CREATE INDEX residencies_user_idx ON residencies (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'residencies',
      'residency_codes',
      'municipality_members',
      'municipalities',
      'user_tokens',
      'refresh_tokens',
      'auth_sessions',
      'users',
      'audit_log',
      'event_consumptions',
      'outbox_events',
    ]) {
      await q.query(`DROP TABLE ${table}`);
    }
  }
}

import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Notifications: the in-app inbox, one delivery row per queued channel (email, web push), the
 * preferences people set, and their push subscriptions. Every list the code runs has its index:
 * the inbox and its unread filter, the dispatcher's new deliveries, the sweeper's stale ones, the
 * due digests and the admins' failed list.
 */
export class Notifications1763840000000 implements MigrationInterface {
  name = 'Notifications1763840000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE notifications (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        municipality_id uuid REFERENCES municipalities(id) ON DELETE CASCADE,
        type text NOT NULL,
        subject_type text NOT NULL,
        subject_id text NOT NULL,
        source_event_id bigint NOT NULL,
        data jsonb NOT NULL DEFAULT '{}',
        in_app boolean NOT NULL DEFAULT true,
        read_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX notifications_source_key ON notifications (source_event_id, user_id, type)`);
    await q.query(`CREATE INDEX notifications_inbox_idx ON notifications (user_id, created_at DESC, id DESC) WHERE in_app`);
    await q.query(`CREATE INDEX notifications_unread_idx ON notifications (user_id, created_at DESC, id DESC) WHERE in_app AND read_at IS NULL`);

    await q.query(`
      CREATE TABLE notification_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        notification_id uuid NOT NULL REFERENCES notifications(id) ON DELETE CASCADE,
        user_id uuid NOT NULL,
        channel text NOT NULL CHECK (channel IN ('email', 'push')),
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sending', 'sent', 'failed', 'skipped')),
        attempts int NOT NULL DEFAULT 0,
        last_error text,
        digest_at timestamptz,
        enqueued_at timestamptz,
        claimed_at timestamptz,
        sent_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX notification_deliveries_channel_key ON notification_deliveries (notification_id, channel)`);
    // New deliveries the dispatcher has not handed to the queue yet (digest ones wait for their digest).
    await q.query(
      `CREATE INDEX notification_deliveries_dispatch_idx ON notification_deliveries (created_at)
       WHERE status = 'pending' AND enqueued_at IS NULL AND digest_at IS NULL`,
    );
    // Enqueued but still pending: the sweeper checks their job is still in Redis.
    await q.query(
      `CREATE INDEX notification_deliveries_pending_idx ON notification_deliveries (enqueued_at)
       WHERE status = 'pending' AND enqueued_at IS NOT NULL AND digest_at IS NULL`,
    );
    // Claimed by a sender that may have died.
    await q.query(`CREATE INDEX notification_deliveries_sending_idx ON notification_deliveries (claimed_at) WHERE status = 'sending'`);
    // Digest emails waiting for their hour, per person.
    await q.query(
      `CREATE INDEX notification_deliveries_digest_idx ON notification_deliveries (digest_at, user_id)
       WHERE status IN ('pending', 'sending') AND digest_at IS NOT NULL`,
    );
    await q.query(`CREATE INDEX notification_deliveries_failed_idx ON notification_deliveries (updated_at DESC, id DESC) WHERE status = 'failed'`);
    // Personal-data erasure and export by person.
    await q.query(`CREATE INDEX notification_deliveries_user_idx ON notification_deliveries (user_id)`);

    await q.query(`
      CREATE TABLE notification_preferences (
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        type text NOT NULL,
        channel text NOT NULL CHECK (channel IN ('in_app', 'email', 'push')),
        enabled boolean NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (user_id, type, channel)
      )`);
    await q.query(`
      CREATE TABLE notification_settings (
        user_id uuid PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
        email_mode text NOT NULL DEFAULT 'immediate' CHECK (email_mode IN ('immediate', 'daily_digest')),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE push_subscriptions (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        endpoint text NOT NULL,
        p256dh text NOT NULL,
        auth text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX push_subscriptions_endpoint_key ON push_subscriptions (endpoint)`);
    await q.query(`CREATE INDEX push_subscriptions_user_idx ON push_subscriptions (user_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE push_subscriptions`);
    await q.query(`DROP TABLE notification_settings`);
    await q.query(`DROP TABLE notification_preferences`);
    await q.query(`DROP TABLE notification_deliveries`);
    await q.query(`DROP TABLE notifications`);
  }
}

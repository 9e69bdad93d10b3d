import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A revoked session (sign-out, password reset, account deletion, refresh-token reuse) is
 * announced on the `auth_sessions_revoked` channel with its id, at commit, whichever process or
 * statement revoked it: every API instance listens and disconnects the sockets opened with it.
 */
export class SessionRevokedNotify1763860002000 implements MigrationInterface {
  name = 'SessionRevokedNotify1763860002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION auth_sessions_revoked_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('auth_sessions_revoked', NEW.id::text);
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER auth_sessions_revoked_notify AFTER UPDATE OF revoked_at ON auth_sessions
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
      EXECUTE FUNCTION auth_sessions_revoked_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER auth_sessions_revoked_notify ON auth_sessions`);
    await q.query(`DROP FUNCTION auth_sessions_revoked_notify()`);
  }
}

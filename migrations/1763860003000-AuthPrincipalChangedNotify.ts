import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Announces, at commit, the id of each person whose session check could now answer differently:
 * a session revoked or deleted, a membership granted, changed or removed, or the account's
 * admin flag, erasure, session cut-off or profile changed — whichever process or statement did
 * it. API instances keep recent session checks and drop a person's on this channel
 * (libs/identity/src/auth/session-check-cache.ts). PostgreSQL folds identical notifications of
 * one transaction into one, so revoking all of a person's sessions announces them once.
 */
export class AuthPrincipalChangedNotify1763860003000 implements MigrationInterface {
  name = 'AuthPrincipalChangedNotify1763860003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION auth_principal_changed_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          IF TG_TABLE_NAME = 'users' THEN PERFORM pg_notify('auth_principal_changed', OLD.id::text);
          ELSE PERFORM pg_notify('auth_principal_changed', OLD.user_id::text);
          END IF;
        ELSE
          IF TG_TABLE_NAME = 'users' THEN PERFORM pg_notify('auth_principal_changed', NEW.id::text);
          ELSE PERFORM pg_notify('auth_principal_changed', NEW.user_id::text);
          END IF;
        END IF;
        RETURN NULL;
      END $$`);
    await q.query(`
      CREATE TRIGGER auth_principal_changed_notify AFTER UPDATE OF is_platform_admin, deleted_at, sessions_valid_after, display_name, email, locale
      ON users FOR EACH ROW
      WHEN (OLD.is_platform_admin IS DISTINCT FROM NEW.is_platform_admin OR OLD.deleted_at IS DISTINCT FROM NEW.deleted_at
            OR OLD.sessions_valid_after IS DISTINCT FROM NEW.sessions_valid_after OR OLD.display_name IS DISTINCT FROM NEW.display_name
            OR OLD.email IS DISTINCT FROM NEW.email OR OLD.locale IS DISTINCT FROM NEW.locale)
      EXECUTE FUNCTION auth_principal_changed_notify()`);
    await q.query(`
      CREATE TRIGGER auth_principal_deleted_notify AFTER DELETE ON users
      FOR EACH ROW EXECUTE FUNCTION auth_principal_changed_notify()`);
    await q.query(`
      CREATE TRIGGER auth_principal_changed_notify AFTER INSERT OR UPDATE OR DELETE ON municipality_members
      FOR EACH ROW EXECUTE FUNCTION auth_principal_changed_notify()`);
    await q.query(`
      CREATE TRIGGER auth_principal_changed_notify AFTER UPDATE OF revoked_at ON auth_sessions
      FOR EACH ROW WHEN (OLD.revoked_at IS NULL AND NEW.revoked_at IS NOT NULL)
      EXECUTE FUNCTION auth_principal_changed_notify()`);
    await q.query(`
      CREATE TRIGGER auth_principal_deleted_notify AFTER DELETE ON auth_sessions
      FOR EACH ROW EXECUTE FUNCTION auth_principal_changed_notify()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER auth_principal_deleted_notify ON auth_sessions`);
    await q.query(`DROP TRIGGER auth_principal_changed_notify ON auth_sessions`);
    await q.query(`DROP TRIGGER auth_principal_changed_notify ON municipality_members`);
    await q.query(`DROP TRIGGER auth_principal_deleted_notify ON users`);
    await q.query(`DROP TRIGGER auth_principal_changed_notify ON users`);
    await q.query(`DROP FUNCTION auth_principal_changed_notify()`);
  }
}

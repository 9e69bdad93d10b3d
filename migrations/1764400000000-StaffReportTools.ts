import { MigrationInterface, QueryRunner } from 'typeorm';

const OPEN = `('new', 'acknowledged', 'in_progress')`;

/** What a report's text search reads: its description and address. */
const SEARCH_TEXT = `coalesce(description, '') || ' ' || coalesce(address, '')`;

/**
 * What staff needed to work the reports (issue 12, "What staff cannot do yet"):
 * - staff-assisted intake: the channel a report came through (`source`: app, open311, phone,
 *   counter, mail, third_place), the staff member who filed it, the person's phone;
 * - machine reports: the device and API key that sent it, and how often it was seen while open —
 *   one open report per (municipality, device, category), enforced by a unique partial index so
 *   that concurrent sends upsert into one row;
 * - triage search: French and English full-text, accent-insensitive, through two text search
 *   configurations that run `unaccent` before stemming, on a stored tsvector served by GIN;
 *   the queue filtered by department, served by a partial index like the other queue orders;
 * - corrections: what staff corrected (pin, category, description, municipality), with the
 *   values before, kept in report_corrections (staff only).
 */
export class StaffReportTools1764400000000 implements MigrationInterface {
  name = 'StaffReportTools1764400000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    for (const [name, base] of [
      ['civic_fr', 'french'],
      ['civic_en', 'english'],
    ]) {
      await q.query(`CREATE TEXT SEARCH CONFIGURATION ${name} (COPY = ${base})`);
      await q.query(`ALTER TEXT SEARCH CONFIGURATION ${name} ALTER MAPPING FOR hword, hword_part, word WITH unaccent, ${base}_stem`);
    }

    await q.query(`ALTER TABLE reports DROP CONSTRAINT reports_source_check`);
    await q.query(`ALTER TABLE reports ADD CONSTRAINT reports_source_check CHECK (source IN ('app', 'open311', 'phone', 'counter', 'mail', 'third_place'))`);
    await q.query(`
      ALTER TABLE reports
        ADD COLUMN contact_phone text,
        ADD COLUMN filed_by_id uuid REFERENCES users (id) ON DELETE SET NULL,
        ADD COLUMN device_id text,
        ADD COLUMN api_key_id uuid REFERENCES open311_api_keys (id) ON DELETE SET NULL,
        ADD COLUMN occurrence_count int NOT NULL DEFAULT 1,
        ADD COLUMN last_seen_at timestamptz,
        ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
          to_tsvector('civic_fr'::regconfig, ${SEARCH_TEXT}) || to_tsvector('civic_en'::regconfig, ${SEARCH_TEXT})) STORED,
        ADD CONSTRAINT reports_occurrence_count_check CHECK (occurrence_count >= 1)`);
    // Open311 reports filed before: their phone and key, for staff (the device stays on the
    // Open311 row only: older duplicates could not take the one-open-report rule).
    await q.query(`UPDATE reports r SET contact_phone = o.phone, api_key_id = o.api_key_id FROM open311_requests o WHERE o.report_id = r.id`);

    await q.query(`CREATE UNIQUE INDEX reports_machine_open_key ON reports (municipality_id, device_id, category_code) WHERE device_id IS NOT NULL AND status IN ${OPEN}`);
    await q.query(`CREATE INDEX reports_search_idx ON reports USING gin (search_vector)`);
    await q.query(`CREATE INDEX reports_triage_department_idx ON reports (municipality_id, department, created_at, id) WHERE status IN ${OPEN}`);

    await q.query(`
      CREATE TABLE report_corrections (
        id bigserial PRIMARY KEY,
        report_id uuid NOT NULL REFERENCES reports (id) ON DELETE CASCADE,
        kind text NOT NULL,
        actor_id uuid REFERENCES users (id) ON DELETE SET NULL,
        changes jsonb NOT NULL,
        reason text,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT report_corrections_kind_check CHECK (kind IN ('correction', 'transfer', 'hidden', 'unhidden'))
      )`);
    await q.query(`CREATE INDEX report_corrections_report_idx ON report_corrections (report_id, id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE report_corrections`);
    await q.query(`DROP INDEX reports_triage_department_idx`);
    await q.query(`DROP INDEX reports_search_idx`);
    await q.query(`DROP INDEX reports_machine_open_key`);
    await q.query(`
      ALTER TABLE reports
        DROP CONSTRAINT reports_occurrence_count_check,
        DROP COLUMN search_vector,
        DROP COLUMN last_seen_at,
        DROP COLUMN occurrence_count,
        DROP COLUMN api_key_id,
        DROP COLUMN device_id,
        DROP COLUMN filed_by_id,
        DROP COLUMN contact_phone`);
    // Staff-filed reports go back to the app channel, the only one left that has no API key.
    await q.query(`UPDATE reports SET source = 'app' WHERE source NOT IN ('app', 'open311')`);
    await q.query(`ALTER TABLE reports DROP CONSTRAINT reports_source_check`);
    await q.query(`ALTER TABLE reports ADD CONSTRAINT reports_source_check CHECK (source IN ('app', 'open311'))`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION civic_en`);
    await q.query(`DROP TEXT SEARCH CONFIGURATION civic_fr`);
    // unaccent stays: another object may use it by now.
  }
}

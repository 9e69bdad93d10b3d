import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * What an Open311 client sent beside the report itself: which API key filed it, the media_url
 * (kept as a URL, never fetched) and the submitter's phone, device and account ids (staff-only).
 */
export class Open311Requests1763810311000 implements MigrationInterface {
  name = 'Open311Requests1763810311000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE open311_requests (
        report_id uuid PRIMARY KEY REFERENCES reports (id) ON DELETE CASCADE,
        api_key_id uuid REFERENCES open311_api_keys (id) ON DELETE SET NULL,
        media_url text,
        phone text,
        device_id text,
        account_id text,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX open311_requests_api_key_idx ON open311_requests (api_key_id) WHERE api_key_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE open311_requests`);
  }
}

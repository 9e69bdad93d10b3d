import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Attachments may be documents (a PDF, or an image kept as a file) beside photos: a kind, the
 * file name shown on download, and no dimensions or thumbnail for a document.
 */
export class AttachmentDocuments1765100001000 implements MigrationInterface {
  name = 'AttachmentDocuments1765100001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE attachments ADD COLUMN kind text NOT NULL DEFAULT 'image' CONSTRAINT attachments_kind_check CHECK (kind IN ('image', 'document'))`);
    await q.query(`ALTER TABLE attachments ADD COLUMN file_name text`);
    await q.query(`ALTER TABLE attachments ALTER COLUMN width DROP NOT NULL, ALTER COLUMN height DROP NOT NULL, ALTER COLUMN thumbnail_key DROP NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DELETE FROM attachments WHERE kind = 'document'`);
    await q.query(`ALTER TABLE attachments ALTER COLUMN width SET NOT NULL, ALTER COLUMN height SET NOT NULL, ALTER COLUMN thumbnail_key SET NOT NULL`);
    await q.query(`ALTER TABLE attachments DROP COLUMN file_name`);
    await q.query(`ALTER TABLE attachments DROP COLUMN kind`);
  }
}

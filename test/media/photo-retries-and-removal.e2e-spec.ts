import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { TestMunicipality } from '../factories/municipality.factory';
import { plainPhoto } from '../fixtures/images';
import { TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { filesUnder, pathOf, PhotoView, PhotoWorld, photoRequests, setUpPhotoWorld, tearDownPhotoWorld } from './photo-fixtures';

/** Retried uploads (Idempotency-Key) and removing photos: who may, and what it frees. */
describe('photos: retried uploads and removal', () => {
  let t: TestApp;
  let db: DataSource;
  let storageDir: string;
  let admin: Session;
  let town: TestMunicipality;
  let staff: Session;
  let otherStaff: Session;
  let reporter: Session;
  let neighbour: Session;

  let world: PhotoWorld;
  beforeAll(async () => {
    world = await setUpPhotoWorld();
    ({ t, db, storageDir, admin, town, staff, otherStaff, reporter, neighbour } = world);
  });
  afterAll(() => tearDownPhotoWorld(world));

  const { newReport, upload, rowsFor } = photoRequests(() => world);

  describe('Idempotency-Key on uploads', () => {
    const uploadWithKey = (s: Session, reportId: string, bytes: Buffer, key: string) => upload(s, reportId, bytes).set('Idempotency-Key', key);

    it('answers a retried upload with the first one, storing nothing more and using no slot', async () => {
      const report = await newReport();
      const bytes = await plainPhoto('jpeg', 64, 64);
      const key = `upload-${randomUUID()}`;
      const first = await uploadWithKey(reporter, report.id, bytes, key).expect(201);
      expect(first.headers['idempotent-replayed']).toBeUndefined();
      const files = await filesUnder(storageDir);
      const retry = await uploadWithKey(reporter, report.id, bytes, key).expect(201);
      expect(retry.headers['idempotent-replayed']).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(await rowsFor(report.id)).toBe(1);
      expect(await filesUnder(storageDir)).toEqual(files);

      // Two at once with one key: one photo.
      const twin = `twin-${randomUUID()}`;
      const other = await plainPhoto('png', 64, 64);
      const [a, b] = await Promise.all([uploadWithKey(reporter, report.id, other, twin), uploadWithKey(reporter, report.id, other, twin)]);
      expect([a.status, b.status]).toEqual([201, 201]);
      expect(a.body.id).toBe(b.body.id);
      expect(await rowsFor(report.id)).toBe(2);
    });

    it('replays the upload that filled the last slot instead of refusing it as over the limit', async () => {
      const report = await newReport();
      for (let i = 0; i < 4; i++) await upload(reporter, report.id, await plainPhoto('jpeg', 32 + i, 32)).expect(201);
      const bytes = await plainPhoto('jpeg', 64, 64);
      const key = `fifth-${randomUUID()}`;
      const fifth = await uploadWithKey(reporter, report.id, bytes, key).expect(201);
      const again = await uploadWithKey(reporter, report.id, bytes, key).expect(201);
      expect(again.body.id).toBe(fifth.body.id);
      expect(await rowsFor(report.id)).toBe(5);
      await upload(reporter, report.id, bytes).expect(409);
    });

    it('refuses a key reused for another photo or another report, and a malformed key', async () => {
      const report = await newReport();
      const key = `reuse-${randomUUID()}`;
      await uploadWithKey(reporter, report.id, await plainPhoto('jpeg', 64, 64), key).expect(201);
      const other = await uploadWithKey(reporter, report.id, await plainPhoto('png', 64, 64), key).expect(422);
      expect(other.body.code).toBe('IDEMPOTENCY_KEY_REUSED');
      const elsewhere = await newReport();
      await uploadWithKey(reporter, elsewhere.id, await plainPhoto('jpeg', 64, 64), key).expect(422);
      const bad = await uploadWithKey(reporter, report.id, await plainPhoto('jpeg', 64, 64), 'no spaces allowed').expect(400);
      expect(bad.body.code).toBe('VALIDATION_FAILED');
      expect(await rowsFor(report.id)).toBe(1);
      expect(await rowsFor(elsewhere.id)).toBe(0);
      // Keys are per person: the same key is another person's own.
      await uploadWithKey(staff, report.id, await plainPhoto('png', 64, 64), key).expect(201);
    });
  });

  describe('DELETE /api/v1/photos/:id', () => {
    const uploaded = async (s: Session, reportId: string) => (await upload(s, reportId, await plainPhoto('jpeg', 64, 64)).expect(201)).body as PhotoView;

    it('lets its uploader remove it: files gone, slot free, audited, live count updated', async () => {
      const report = await newReport();
      const photos: PhotoView[] = [];
      for (let i = 0; i < 5; i++) photos.push(await uploaded(reporter, report.id));
      await upload(reporter, report.id, await plainPhoto('jpeg', 64, 64)).expect(409);
      const [row] = (await db.query(`SELECT storage_key, thumbnail_key FROM attachments WHERE id = $1`, [photos[0].id])) as Array<{ storage_key: string; thumbnail_key: string }>;

      await reporter.auth(t.http.delete(`/api/v1/photos/${photos[0].id}`)).expect(204);
      await t.http.get(pathOf(photos[0].url)).expect(404);
      const files = await filesUnder(storageDir);
      expect(files).not.toContain(join(storageDir, row.storage_key));
      expect(files).not.toContain(join(storageDir, row.thumbnail_key));
      const view = await t.http.get(`/api/v1/reports/${report.id}`).expect(200);
      expect(view.body.photos.map((p: { id: string }) => p.id)).toEqual(photos.slice(1).map((p) => p.id));
      const [{ photo_count }] = await db.query(`SELECT photo_count FROM reports WHERE id = $1`, [report.id]);
      expect(photo_count).toBe(4);
      await upload(reporter, report.id, await plainPhoto('jpeg', 64, 64)).expect(201);

      const audit = await db.query(`SELECT actor_id, municipality_id, before FROM audit_log WHERE action = 'photo.deleted' AND target_id = $1`, [photos[0].id]);
      expect(audit).toEqual([{ actor_id: reporter.user.id, municipality_id: town.id, before: expect.objectContaining({ subjectId: report.id, as: 'uploader' }) }]);
      const [event] = await db.query(`SELECT payload FROM outbox_events WHERE type = 'media.attachments_deleted' AND aggregate_id = $1`, [report.id]);
      expect(event.payload.attachmentIds).toEqual([photos[0].id]);
      await reporter.auth(t.http.delete(`/api/v1/photos/${photos[0].id}`)).expect(404);
    });

    it("lets the town's staff remove anyone's photo, and nobody else", async () => {
      const report = await newReport();
      const byReporter = await uploaded(reporter, report.id);
      const byStaff = await uploaded(staff, report.id);
      const outsider = await createSession(t.http, { emailPrefix: 'photo-outsider' });
      const gone = await createSession(t.http, { emailPrefix: 'photo-gone' });
      await gone.auth(t.http.delete('/api/v1/me')).send({ password: gone.user.password }).expect(204);

      await t.http.delete(`/api/v1/photos/${byReporter.id}`).expect(401);
      await gone.auth(t.http.delete(`/api/v1/photos/${byReporter.id}`)).expect(401);
      for (const who of [neighbour, outsider, otherStaff]) {
        const res = await who.auth(t.http.delete(`/api/v1/photos/${byReporter.id}`)).expect(403);
        expect(res.body.code).toBe('PHOTO_DELETE_FORBIDDEN');
      }
      // The reporter owns the report, not the photo staff added.
      await reporter.auth(t.http.delete(`/api/v1/photos/${byStaff.id}`)).expect(403);
      await reporter.auth(t.http.delete('/api/v1/photos/not-a-uuid')).expect(400);
      await reporter.auth(t.http.delete(`/api/v1/photos/${randomUUID()}`)).expect(404);
      expect(await rowsFor(report.id)).toBe(2);

      await staff.auth(t.http.delete(`/api/v1/photos/${byReporter.id}`)).expect(204);
      await admin.auth(t.http.delete(`/api/v1/photos/${byStaff.id}`)).expect(204);
      expect(await rowsFor(report.id)).toBe(0);
      const audit = await db.query(`SELECT actor_id, before->>'as' AS as FROM audit_log WHERE action = 'photo.deleted' AND target_id = ANY($1::text[]) ORDER BY id`, [
        [byReporter.id, byStaff.id],
      ]);
      expect(audit).toEqual([
        { actor_id: staff.user.id, as: 'staff' },
        { actor_id: admin.user.id, as: 'staff' },
      ]);
    });

    it('answers 404, not 403, to those who may not even see the photo of a hidden report', async () => {
      const hidden = await newReport();
      const p = await uploaded(reporter, hidden.id);
      const flag = await neighbour.auth(t.http.post(`/api/v1/reports/${hidden.id}/flags`)).send({ reason: 'abusive' }).expect(201);
      await staff.auth(t.http.post(`/api/v1/flags/${flag.body.id}/resolve`)).send({ decision: 'upheld' }).expect(200);
      await neighbour.auth(t.http.delete(`/api/v1/photos/${p.id}`)).expect(404);
      await otherStaff.auth(t.http.delete(`/api/v1/photos/${p.id}`)).expect(404);
      await reporter.auth(t.http.delete(`/api/v1/photos/${p.id}`)).expect(204);
    });
  });

  it('documents the key and the removal in the OpenAPI document', async () => {
    const doc = await t.http.get('/api/docs-json').expect(200);
    const upload = doc.body.paths['/api/v1/{collection}/{id}/photos'].post;
    expect(upload.parameters.map((p: { name: string }) => p.name)).toContain('Idempotency-Key');
    const remove = doc.body.paths['/api/v1/photos/{id}']?.delete;
    expect(Object.keys(remove.responses)).toEqual(expect.arrayContaining(['204', '400', '401', '403', '404']));
  });
});

import { randomUUID } from 'node:crypto';
import sharp from 'sharp';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { TestMunicipality } from '../factories/municipality.factory';
import { createReport } from '../factories/report.factory';
import { cameraPhoto, CAMERA_MAKE, forgedImage, metadataMarkersIn, oversizedJpeg, plainPhoto, textFile } from '../fixtures/images';
import { TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { filesUnder, pathOf, PhotoView, PhotoWorld, photoRequests, setUpPhotoWorld, tearDownPhotoWorld } from './photo-fixtures';

const TEN_MB = 10 * 1024 * 1024;

describe('photos: uploads on reports, serving', () => {
  let t: TestApp;
  let db: DataSource;
  let storageDir: string;
  let admin: Session;
  let town: TestMunicipality;
  let staff: Session;
  let otherStaff: Session;
  let reporter: Session;
  let neighbour: Session;
  let categoryCode: string;

  let world: PhotoWorld;
  beforeAll(async () => {
    world = await setUpPhotoWorld();
    ({ t, db, storageDir, admin, town, staff, otherStaff, reporter, neighbour, categoryCode } = world);
  });
  afterAll(() => tearDownPhotoWorld(world));

  const { newReport, upload, rowsFor } = photoRequests(() => world);

  /** Runs `act` and checks it left no file and no row behind. */
  const expectNothingStored = async (reportId: string, act: () => Promise<Response>): Promise<Response> => {
    const files = await filesUnder(storageDir);
    const rows = await rowsFor(reportId);
    const res = await act();
    expect(await filesUnder(storageDir)).toEqual(files);
    expect(await rowsFor(reportId)).toBe(rows);
    return res;
  };

  describe('uploading', () => {
    it.each([
      ['jpeg', 'image/jpeg'],
      ['png', 'image/png'],
      ['webp', 'image/webp'],
    ] as const)('takes a %s from the reporter and serves it with a thumbnail', async (format, mimeType) => {
      const report = await newReport();
      const res = await upload(reporter, report.id, await cameraPhoto(format, { width: 1600, height: 1200 }), `p.${format}`, mimeType).expect(201);
      const photo = res.body as PhotoView;
      expect(photo).toMatchObject({ mimeType, width: 1600, height: 1200 });
      expect(photo.url).toBe(`${t.config.publicUrl}/api/v1/photos/${photo.id}?size=full`);
      expect(photo.thumbnailUrl).toBe(`${t.config.publicUrl}/api/v1/photos/${photo.id}?size=thumb`);

      const full = await t.http.get(pathOf(photo.url)).expect(200);
      const thumb = await t.http.get(pathOf(photo.thumbnailUrl)).expect(200);
      expect(full.headers['content-type']).toBe(mimeType);
      expect(thumb.headers['content-type']).toBe('image/webp');
      expect(Buffer.isBuffer(full.body) && Buffer.isBuffer(thumb.body)).toBe(true);
      expect(thumb.body.length).toBeLessThan(full.body.length);
      expect(Number(full.headers['content-length'])).toBe(full.body.length);
      expect(await sharp(full.body).metadata()).toMatchObject({ format, width: 1600, height: 1200 });
      expect(await sharp(thumb.body).metadata()).toMatchObject({ format: 'webp', width: 320, height: 240 });

      // The report shows it.
      const view = await t.http.get(`/api/v1/reports/${report.id}`).expect(200);
      expect(view.body.photos).toEqual([{ id: photo.id, url: photo.url, thumbnailUrl: photo.thumbnailUrl }]);
    });

    it('serves no EXIF, no GPS, no camera name, and the photo upright', async () => {
      const report = await newReport();
      const input = await cameraPhoto('jpeg', { width: 800, height: 400, orientation: 6 });
      const inputMeta = await sharp(input).metadata();
      expect(inputMeta.exif).toBeDefined();
      expect(inputMeta.orientation).toBe(6);
      expect(input.includes('Exif') && input.includes(CAMERA_MAKE)).toBe(true);

      const photo = (await upload(reporter, report.id, input).expect(201)).body as PhotoView;
      expect([photo.width, photo.height]).toEqual([400, 800]);
      for (const url of [photo.url, photo.thumbnailUrl]) {
        const res = await t.http.get(pathOf(url)).expect(200);
        const meta = await sharp(res.body).metadata();
        expect(meta.exif).toBeUndefined();
        expect(meta.xmp).toBeUndefined();
        expect(meta.orientation).toBeUndefined();
        expect(meta.height).toBeGreaterThan(meta.width);
        expect(metadataMarkersIn(res.body)).toEqual([]);
        expect(res.body.includes('Exif')).toBe(false);
      }
    });

    it('lets the municipality staff add photos, not its other citizens nor other towns’ staff', async () => {
      const report = await newReport();
      const photo = await plainPhoto('jpeg');
      await upload(staff, report.id, photo).expect(201);
      const refused = await expectNothingStored(report.id, () => upload(neighbour, report.id, photo).expect(403));
      expect(refused.body).toMatchObject({ statusCode: 403, code: 'PHOTO_UPLOAD_FORBIDDEN' });
      await expectNothingStored(report.id, () => upload(otherStaff, report.id, photo).expect(403));
      await expectNothingStored(report.id, () => upload(null, report.id, photo).expect(401));
    });

    it('refuses the sixth photo and stores nothing', async () => {
      const report = await newReport();
      const photo = await plainPhoto('png', 320, 240);
      for (let i = 0; i < 5; i++) await upload(reporter, report.id, photo, 'p.png', 'image/png').expect(201);
      const res = await expectNothingStored(report.id, () => upload(reporter, report.id, photo, 'p.png', 'image/png').expect(409));
      expect(res.body).toMatchObject({ statusCode: 409, error: 'Conflict', code: 'ATTACHMENT_LIMIT_REACHED', meta: { max: 5 } });
      expect(await rowsFor(report.id)).toBe(5);
    });

    it('never makes six when uploads race', async () => {
      const report = await newReport();
      const photo = await plainPhoto('webp', 320, 240);
      const before = (await filesUnder(storageDir)).length;
      const results = await Promise.all(Array.from({ length: 7 }, () => upload(reporter, report.id, photo, 'p.webp', 'image/webp')));
      expect(results.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 409, 409]);
      expect(await rowsFor(report.id)).toBe(5);
      expect((await filesUnder(storageDir)).length).toBe(before + 10);
    });

    it('refuses a text file named .jpg (415) and stores nothing', async () => {
      const report = await newReport();
      const res = await expectNothingStored(report.id, () => upload(reporter, report.id, textFile(), 'pothole.jpg', 'image/jpeg').expect(415));
      expect(res.body).toMatchObject({
        statusCode: 415,
        error: 'Unsupported Media Type',
        code: 'UNSUPPORTED_IMAGE_TYPE',
        meta: { accepted: ['image/jpeg', 'image/png', 'image/webp'] },
      });
    });

    it('refuses a GIF (415)', async () => {
      const report = await newReport();
      const gif = await sharp({ create: { width: 16, height: 16, channels: 3, background: '#123456' } }).gif().toBuffer();
      await expectNothingStored(report.id, () => upload(reporter, report.id, gif, 'x.jpg').expect(415));
    });

    it.each(['jpeg', 'png', 'webp'] as const)('refuses a %s header followed by garbage (400) and stores nothing', async (format) => {
      const report = await newReport();
      const res = await expectNothingStored(report.id, () => upload(reporter, report.id, forgedImage(format), `x.${format}`, `image/${format}`).expect(400));
      expect(res.body).toMatchObject({ statusCode: 400, code: 'IMAGE_UNREADABLE' });
    });

    it('refuses more than 10 MB (413, standard error body) and stores nothing', async () => {
      const report = await newReport();
      const res = await expectNothingStored(report.id, () => upload(reporter, report.id, oversizedJpeg(TEN_MB + 1)).expect(413));
      expect(res.body).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        code: 'IMAGE_TOO_LARGE',
        message: expect.any(String),
        details: [],
        meta: { maxBytes: TEN_MB },
      });
    });

    it('takes a file of exactly 10 MB as far as checking its content', async () => {
      const report = await newReport();
      // Within the size limit, so what refuses it is the decoder.
      const res = await expectNothingStored(report.id, () => upload(reporter, report.id, oversizedJpeg(TEN_MB)).expect(400));
      expect(res.body.code).toBe('IMAGE_UNREADABLE');
    });

    it('needs a file (400)', async () => {
      const report = await newReport();
      const noFile = await reporter.auth(t.http.post(`/api/v1/reports/${report.id}/photos`)).field('caption', 'forgot it').expect(400);
      expect(noFile.body).toMatchObject({ statusCode: 400, code: 'PHOTO_REQUIRED', details: [{ field: 'photo', code: 'FILE_REQUIRED', message: expect.any(String) }] });
      const json = await reporter.auth(t.http.post(`/api/v1/reports/${report.id}/photos`)).send({ photo: 'data:image/jpeg;base64,AAAA' }).expect(400);
      expect(json.body.code).toBe('PHOTO_REQUIRED');
      const empty = await upload(reporter, report.id, Buffer.alloc(0)).expect(400);
      expect(empty.body.code).toBe('PHOTO_REQUIRED');
    });

    it('takes one file per request, in the field "photo" (400 otherwise)', async () => {
      const report = await newReport();
      const photo = await plainPhoto('jpeg', 64, 64);
      await expectNothingStored(report.id, () =>
        reporter.auth(t.http.post(`/api/v1/reports/${report.id}/photos`)).attach('file', photo, { filename: 'a.jpg', contentType: 'image/jpeg' }).expect(400),
      );
      await expectNothingStored(report.id, () =>
        reporter
          .auth(t.http.post(`/api/v1/reports/${report.id}/photos`))
          .attach('photo', photo, { filename: 'a.jpg', contentType: 'image/jpeg' })
          .attach('photo', photo, { filename: 'b.jpg', contentType: 'image/jpeg' })
          .expect(400),
      );
    });

    it('answers 404 for an unknown report, 400 for a bad id, 404 for what takes no photos', async () => {
      const photo = await plainPhoto('jpeg', 64, 64);
      const unknown = await upload(reporter, randomUUID(), photo).expect(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'SUBJECT_NOT_FOUND' });
      const bad = await upload(reporter, 'not-a-uuid', photo).expect(400);
      expect(bad.body.statusCode).toBe(400);
      await upload(reporter, randomUUID(), photo).set('X-Ignored', '1').expect(404);
      const collection = await reporter
        .auth(t.http.post(`/api/v1/bananas/${randomUUID()}/photos`))
        .attach('photo', photo, { filename: 'a.jpg', contentType: 'image/jpeg' })
        .expect(404);
      expect(collection.body.code).toBe('SUBJECT_NOT_FOUND');

      // Comments are subjects (they can be flagged) but take no photos.
      const report = await newReport();
      const comment = await reporter.auth(t.http.post(`/api/v1/reports/${report.id}/comments`)).send({ body: 'Still there this morning' }).expect(201);
      const res = await reporter
        .auth(t.http.post(`/api/v1/comments/${comment.body.id}/photos`))
        .attach('photo', photo, { filename: 'a.jpg', contentType: 'image/jpeg' })
        .expect(404);
      expect(res.body.code).toBe('PHOTOS_NOT_ACCEPTED');
    });

    it('records media.attachment_added with the new count', async () => {
      const report = await newReport();
      const photo = await plainPhoto('jpeg', 64, 64);
      const first = (await upload(reporter, report.id, photo).expect(201)).body as PhotoView;
      const second = (await upload(staff, report.id, photo).expect(201)).body as PhotoView;
      const events = (await db.query(
        `SELECT payload, actor_id AS "actorId", municipality_id AS "municipalityId" FROM outbox_events
          WHERE type = 'media.attachment_added' AND aggregate_type = 'report' AND aggregate_id = $1 ORDER BY id`,
        [report.id],
      )) as Array<{ payload: Record<string, unknown>; actorId: string; municipalityId: string }>;
      expect(events).toEqual([
        {
          payload: { attachmentId: first.id, subjectType: 'report', subjectId: report.id, municipalityId: town.id, uploaderId: reporter.user.id, count: 1 },
          actorId: reporter.user.id,
          municipalityId: town.id,
        },
        {
          payload: { attachmentId: second.id, subjectType: 'report', subjectId: report.id, municipalityId: town.id, uploaderId: staff.user.id, count: 2 },
          actorId: staff.user.id,
          municipalityId: town.id,
        },
      ]);
    });
  });

  describe('photo count', () => {
    const storedCount = async (reportId: string) =>
      Number(((await db.query(`SELECT photo_count FROM reports WHERE id = $1`, [reportId])) as Array<{ photo_count: number }>)[0].photo_count);

    it('keeps the report’s photo_count with its photos, in the upload’s transaction', async () => {
      const report = await newReport();
      expect(await storedCount(report.id)).toBe(0);
      const photo = await plainPhoto('jpeg', 64, 64);
      await upload(reporter, report.id, photo).expect(201);
      expect(await storedCount(report.id)).toBe(1);
      await upload(staff, report.id, photo).expect(201);
      // No worker runs in this suite: the count is there as soon as the upload has answered.
      expect(await storedCount(report.id)).toBe(2);
      // A refused upload changes nothing.
      await upload(neighbour, report.id, photo).expect(403);
      expect(await storedCount(report.id)).toBe(2);

      const view = await t.http.get(`/api/v1/reports/${report.id}`).expect(200);
      expect(view.body).toMatchObject({ photoCount: 2, photos: [expect.any(Object), expect.any(Object)] });
      const list = await t.http.get(`/api/v1/municipalities/${town.slug}/reports`).query({ limit: 50 }).expect(200);
      expect((list.body.items as Array<{ id: string; photoCount: number }>).find((r) => r.id === report.id)?.photoCount).toBe(2);
      const [lng, lat] = town.center;
      const nearby = await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby`).query({ lat, lng, radius: 1000, limit: 50 }).expect(200);
      expect((nearby.body as Array<{ id: string; photoCount: number }>).find((r) => r.id === report.id)?.photoCount).toBe(2);
    });

    it('stays within the limit when uploads race', async () => {
      const report = await newReport();
      const photo = await plainPhoto('png', 64, 64);
      const statuses = (await Promise.all(Array.from({ length: 7 }, () => upload(reporter, report.id, photo, 'p.png', 'image/png')))).map((r) => r.status);
      expect(statuses.filter((s) => s === 201)).toHaveLength(5);
      expect(await storedCount(report.id)).toBe(5);
      expect(await rowsFor(report.id)).toBe(5);
    });
  });

  describe('serving', () => {
    let report: { id: string };
    let photo: PhotoView;

    beforeAll(async () => {
      report = await newReport();
      photo = (await upload(reporter, report.id, await cameraPhoto('jpeg')).expect(201)).body as PhotoView;
    });

    it('serves a public report’s photo to anyone, cacheable for ten minutes', async () => {
      const res = await t.http.get(`/api/v1/photos/${photo.id}`).expect(200);
      expect(res.headers).toMatchObject({
        'content-type': 'image/jpeg',
        'cache-control': 'public, max-age=600',
        'x-content-type-options': 'nosniff',
        'cross-origin-resource-policy': 'cross-origin',
      });
      expect(res.headers.etag).toBe(`"${photo.id}.full"`);
      const thumb = await t.http.get(`/api/v1/photos/${photo.id}?size=thumb`).expect(200);
      expect(thumb.headers.etag).toBe(`"${photo.id}.thumb"`);
      // Signed in or not, the same bytes.
      const signedIn = await neighbour.auth(t.http.get(`/api/v1/photos/${photo.id}?size=full`)).expect(200);
      expect(Buffer.compare(signedIn.body, res.body)).toBe(0);
    });

    it('answers 304 to a current If-None-Match', async () => {
      const res = await t.http.get(`/api/v1/photos/${photo.id}`).set('If-None-Match', `"${photo.id}.full"`).expect(304);
      expect(res.headers.etag).toBe(`"${photo.id}.full"`);
      expect(res.text ?? '').toBe('');
      await t.http.get(`/api/v1/photos/${photo.id}`).set('If-None-Match', `W/"other", "${photo.id}.full"`).expect(304);
      await t.http.get(`/api/v1/photos/${photo.id}?size=thumb`).set('If-None-Match', `"${photo.id}.full"`).expect(200);
    });

    it('answers 404 for an unknown photo and 400 for a bad id or size', async () => {
      const unknown = await t.http.get(`/api/v1/photos/${randomUUID()}`).expect(404);
      expect(unknown.body).toMatchObject({ statusCode: 404, code: 'PHOTO_NOT_FOUND' });
      await t.http.get('/api/v1/photos/not-a-uuid').expect(400);
      const size = await t.http.get(`/api/v1/photos/${photo.id}?size=huge`).expect(400);
      expect(size.body.code).toBe('VALIDATION_FAILED');
    });

    it('hides the photos of a report moderation took out of view, except from staff and its reporter', async () => {
      const hidden = await newReport();
      const p = (await upload(reporter, hidden.id, await plainPhoto('jpeg', 64, 64)).expect(201)).body as PhotoView;
      const seen = await t.http.get(pathOf(p.url)).expect(200);
      const flag = await neighbour.auth(t.http.post(`/api/v1/reports/${hidden.id}/flags`)).send({ reason: 'abusive' }).expect(201);
      await staff.auth(t.http.post(`/api/v1/flags/${flag.body.id}/resolve`)).send({ decision: 'upheld' }).expect(200);

      await t.http.get(pathOf(p.url)).expect(404);
      // A cache that kept it asks again once its ten minutes are up, and is told it is gone.
      await t.http.get(pathOf(p.url)).set('If-None-Match', seen.headers.etag).expect(404);
      await neighbour.auth(t.http.get(pathOf(p.url))).expect(404);
      await otherStaff.auth(t.http.get(pathOf(p.url))).expect(404);
      const forStaff = await staff.auth(t.http.get(pathOf(p.url))).expect(200);
      expect(forStaff.headers['cache-control']).toBe('private, no-store');
      expect(forStaff.headers['cross-origin-resource-policy']).toBe('same-origin');
      await reporter.auth(t.http.get(pathOf(p.thumbnailUrl))).expect(200);
      await admin.auth(t.http.get(pathOf(p.url))).expect(200);

      // Nobody but them may add photos to it either: it does not exist for the others.
      await upload(neighbour, hidden.id, await plainPhoto('jpeg', 64, 64)).expect(404);
      await upload(reporter, hidden.id, await plainPhoto('jpeg', 64, 64)).expect(201);
    });
  });

  it('documents both routes in the OpenAPI document', async () => {
    const doc = await t.http.get('/api/docs-json').expect(200);
    const upload = doc.body.paths['/api/v1/{collection}/{id}/photos']?.post;
    expect(upload?.requestBody?.content?.['multipart/form-data']).toBeDefined();
    expect(Object.keys(upload.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '404', '409', '413', '415']));
    const serve = doc.body.paths['/api/v1/photos/{id}']?.get;
    expect(Object.keys(serve.responses)).toEqual(expect.arrayContaining(['200', '304', '400', '404']));
    expect(serve.parameters.map((p: { name: string }) => p.name)).toEqual(expect.arrayContaining(['id', 'size']));
  });

  describe('personal data', () => {
    it('exports a person’s uploads and, once the account is gone, keeps the photos without them', async () => {
      const person = await createSession(t.http, { displayName: 'Gone Soon' });
      const report = await createReport(t.http, person.accessToken, town, categoryCode);
      const photo = (await upload(person, report.id, await plainPhoto('jpeg', 64, 64)).expect(201)).body as PhotoView;

      const exported = await person.auth(t.http.get('/api/v1/me/export')).expect(200);
      expect(exported.body.sections.media).toEqual({
        uploads: [{ id: photo.id, subjectType: 'report', subjectId: report.id, kind: 'image', fileName: null, mimeType: 'image/jpeg', width: 64, height: 64, createdAt: photo.createdAt }],
      });

      await person.auth(t.http.delete('/api/v1/me')).send({ password: person.user.password }).expect(204);
      const [row] = (await db.query(`SELECT uploader_id AS "uploaderId" FROM attachments WHERE id = $1`, [photo.id])) as Array<{ uploaderId: string | null }>;
      expect(row.uploaderId).toBeNull();
      await t.http.get(pathOf(photo.url)).expect(200);
    });
  });
});

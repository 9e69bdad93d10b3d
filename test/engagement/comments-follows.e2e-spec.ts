import { randomUUID } from 'node:crypto';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createReport, createTown, Town } from './engagement-fixtures';

describe('comments and follows on any subject (reports here)', () => {
  let t: TestApp;
  let admin: Session;
  let town: Town;
  let reporter: Session;
  let reportId: string;

  beforeAll(async () => {
    t = await createTestApp();
    admin = await platformAdminSession(t.http);
    town = await createTown(t.http, admin);
    reporter = await createSession(t.http, { displayName: 'Reporter' });
    reportId = await createReport(t.http, reporter, town);
  });
  afterAll(() => t.close());

  describe('POST /api/v1/:collection/:id/comments', () => {
    it('adds a trimmed comment shown with the display name, never an email', async () => {
      const citizen = await createSession(t.http, { displayName: 'Jeanne Dupont' });
      const res = await citizen
        .auth(t.http.post(`/api/v1/reports/${reportId}/comments`))
        .send({ body: '  Same on rue Nationale.\nSince Monday.  ' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        subjectType: 'report',
        subjectId: reportId,
        inReplyToId: null,
        body: 'Same on rue Nationale.\nSince Monday.',
        status: 'visible',
        awaitingReview: false,
        author: { id: citizen.user.id, displayName: 'Jeanne Dupont' },
        editedAt: null,
        deletedAt: null,
        createdAt: expect.any(String),
      });
      expect(JSON.stringify(res.body)).not.toContain('@');
      // Commenting follows the report, so the citizen hears how it goes on.
      expect((await citizen.auth(t.http.get(`/api/v1/reports/${reportId}/follow`)).expect(200)).body).toEqual({ following: true });
    });

    it('needs a signed-in user', async () => {
      const res = await t.http.post(`/api/v1/reports/${reportId}/comments`).send({ body: 'hello' }).expect(401);
      expect(res.body.code).toBe('UNAUTHENTICATED');
    });

    it.each([
      ['an empty body', { body: '' }, 'body'],
      ['a body of spaces', { body: '    ' }, 'body'],
      ['5000 characters', { body: 'x'.repeat(5000) }, 'body'],
      ['a number', { body: 42 }, 'body'],
      ['no body field', {}, 'body'],
      ['an unknown field', { body: 'hello', authorId: randomUUID() }, 'authorId'],
      ['a control character', { body: 'a\u0000b' }, 'body'],
    ])('refuses %s with 400 naming the field', async (_label, payload, field) => {
      const citizen = await createSession(t.http);
      const res = await citizen.auth(t.http.post(`/api/v1/reports/${reportId}/comments`)).send(payload).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('refuses a malformed id with 400', async () => {
      const citizen = await createSession(t.http);
      const res = await citizen.auth(t.http.post('/api/v1/reports/not-a-uuid/comments')).send({ body: 'hello' }).expect(400);
      expect(res.body.statusCode).toBe(400);
    });

    it('answers 404 SUBJECT_NOT_FOUND for an unknown report and an unknown collection, even with a malformed id', async () => {
      const citizen = await createSession(t.http);
      const unknown = await citizen.auth(t.http.post(`/api/v1/reports/${randomUUID()}/comments`)).send({ body: 'hello' }).expect(404);
      expect(unknown.body.code).toBe('SUBJECT_NOT_FOUND');
      const collection = await citizen.auth(t.http.post(`/api/v1/widgets/${randomUUID()}/comments`)).send({ body: 'hello' }).expect(404);
      expect(collection.body.code).toBe('SUBJECT_NOT_FOUND');
      const both = await citizen.auth(t.http.post('/api/v1/widgets/not-a-uuid/comments')).send({ body: 'hello' }).expect(404);
      expect(both.body.code).toBe('SUBJECT_NOT_FOUND');
      // Comments take no comments: the conversation hangs on the report.
      const comment = await citizen.auth(t.http.post(`/api/v1/reports/${reportId}/comments`)).send({ body: 'parent' }).expect(201);
      await citizen.auth(t.http.post(`/api/v1/comments/${comment.body.id}/comments`)).send({ body: 'reply' }).expect(404);
    });
  });

  describe('GET /api/v1/:collection/:id/comments', () => {
    it('is public, oldest first, page by page with an opaque cursor', async () => {
      const report = await createReport(t.http, reporter, town);
      const citizen = await createSession(t.http, { displayName: 'Paul' });
      for (const body of ['first', 'second', 'third']) {
        await citizen.auth(t.http.post(`/api/v1/reports/${report}/comments`)).send({ body }).expect(201);
      }
      const first = await t.http.get(`/api/v1/reports/${report}/comments?limit=2`).expect(200);
      expect(first.body.items.map((c: { body: string }) => c.body)).toEqual(['first', 'second']);
      expect(first.body.items[0].author).toEqual({ id: citizen.user.id, displayName: 'Paul' });
      expect(first.body.nextCursor).toEqual(expect.any(String));
      const second = await t.http.get(`/api/v1/reports/${report}/comments`).query({ limit: 2, cursor: first.body.nextCursor }).expect(200);
      expect(second.body).toEqual({ items: [expect.objectContaining({ body: 'third' })], nextCursor: null });
      expect(JSON.stringify([first.body, second.body])).not.toContain(citizen.user.email);
    });

    it.each([
      ['limit over 100', '?limit=101'],
      ['limit zero', '?limit=0'],
      ['a non-numeric limit', '?limit=ten'],
      ['a forged cursor', `?cursor=${Buffer.from('{"at":"yesterday","id":"1"}').toString('base64url')}`],
      ['an unknown parameter', '?sort=desc'],
    ])('refuses %s with 400', async (_label, qs) => {
      const res = await t.http.get(`/api/v1/reports/${reportId}/comments${qs}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    });

    it('answers 400 for a malformed id and 404 for an unknown subject or collection', async () => {
      await t.http.get('/api/v1/reports/123/comments').expect(400);
      expect((await t.http.get(`/api/v1/reports/${randomUUID()}/comments`).expect(404)).body.code).toBe('SUBJECT_NOT_FOUND');
      expect((await t.http.get(`/api/v1/municipalities/${randomUUID()}/comments`).expect(404)).body.code).toBe('SUBJECT_NOT_FOUND');
    });

    it("does not shadow the reports library's own routes of the same shape", async () => {
      await t.http.get(`/api/v1/reports/${reportId}/timeline`).expect(200);
      await t.http.get(`/api/v1/municipalities/${town.slug}/reports`).expect(200);
      await t.http.get(`/api/v1/municipalities/${town.slug}/categories`).expect(200);
    });
  });

  describe('follows', () => {
    it('PUT is idempotent, DELETE is idempotent, and /me/follows lists what I follow', async () => {
      const citizen = await createSession(t.http);
      const report = await createReport(t.http, reporter, town);
      await citizen.auth(t.http.put(`/api/v1/reports/${report}/follow`)).expect(204);
      await citizen.auth(t.http.put(`/api/v1/reports/${report}/follow`)).expect(204);
      expect((await citizen.auth(t.http.get(`/api/v1/reports/${report}/follow`)).expect(200)).body).toEqual({ following: true });

      const mine = await citizen.auth(t.http.get('/api/v1/me/follows')).expect(200);
      expect(mine.body).toEqual({
        items: [{ subjectType: 'report', collection: 'reports', subjectId: report, createdAt: expect.any(String) }],
        nextCursor: null,
      });

      await citizen.auth(t.http.delete(`/api/v1/reports/${report}/follow`)).expect(204);
      await citizen.auth(t.http.delete(`/api/v1/reports/${report}/follow`)).expect(204);
      expect((await citizen.auth(t.http.get(`/api/v1/reports/${report}/follow`)).expect(200)).body).toEqual({ following: false });
      expect((await citizen.auth(t.http.get('/api/v1/me/follows')).expect(200)).body.items).toEqual([]);
    });

    it('pages /me/follows, most recent first', async () => {
      const citizen = await createSession(t.http);
      const reports = [await createReport(t.http, reporter, town), await createReport(t.http, reporter, town), await createReport(t.http, reporter, town)];
      for (const id of reports) await citizen.auth(t.http.put(`/api/v1/reports/${id}/follow`)).expect(204);
      const first = await citizen.auth(t.http.get('/api/v1/me/follows?limit=2')).expect(200);
      const second = await citizen.auth(t.http.get('/api/v1/me/follows').query({ limit: 2, cursor: first.body.nextCursor })).expect(200);
      const ids = [...first.body.items, ...second.body.items].map((f: { subjectId: string }) => f.subjectId);
      expect(ids).toEqual([...reports].reverse());
      expect(second.body.nextCursor).toBeNull();
    });

    it('needs a signed-in user, a well-formed id and an existing subject', async () => {
      await t.http.put(`/api/v1/reports/${reportId}/follow`).expect(401);
      const citizen = await createSession(t.http);
      await citizen.auth(t.http.put('/api/v1/reports/nope/follow')).expect(400);
      expect((await citizen.auth(t.http.put(`/api/v1/reports/${randomUUID()}/follow`)).expect(404)).body.code).toBe('SUBJECT_NOT_FOUND');
      expect((await citizen.auth(t.http.put(`/api/v1/gizmos/${randomUUID()}/follow`)).expect(404)).body.code).toBe('SUBJECT_NOT_FOUND');
      await citizen.auth(t.http.delete('/api/v1/reports/nope/follow')).expect(400);
    });
  });

  it('documents the routes in the OpenAPI document', async () => {
    const doc = await t.http.get('/api/docs-json').expect(200);
    const paths = Object.keys(doc.body.paths as Record<string, unknown>);
    expect(paths).toEqual(
      expect.arrayContaining([
        '/api/v1/{collection}/{id}/comments',
        '/api/v1/{collection}/{id}/follow',
        '/api/v1/{collection}/{id}/flags',
        '/api/v1/me/follows',
        '/api/v1/municipalities/{slug}/flags',
        '/api/v1/flags/{id}/resolve',
      ]),
    );
  });
});

import { randomUUID } from 'node:crypto';
import { memberSession } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createReport, createTown, Town } from './engagement-fixtures';

describe('moderation: flags and the queue', () => {
  let t: TestApp;
  let admin: Session;
  let town: Town;
  let otherTown: Town;
  let staff: Session;
  let otherStaff: Session;
  let reporter: Session;

  const comment = async (author: Session, reportId: string, body: string): Promise<string> =>
    (await author.auth(t.http.post(`/api/v1/reports/${reportId}/comments`)).send({ body }).expect(201)).body.id as string;

  const flag = async (who: Session, collection: string, id: string, reason = 'abusive'): Promise<string> =>
    (await who.auth(t.http.post(`/api/v1/${collection}/${id}/flags`)).send({ reason }).expect(201)).body.id as string;

  const publicCommentIds = async (reportId: string): Promise<string[]> =>
    (await t.http.get(`/api/v1/reports/${reportId}/comments?limit=100`).expect(200)).body.items.map((c: { id: string }) => c.id);

  beforeAll(async () => {
    t = await createTestApp();
    admin = await platformAdminSession(t.http);
    town = await createTown(t.http, admin);
    otherTown = await createTown(t.http, admin);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    otherStaff = await memberSession(t.http, admin.accessToken, otherTown.slug, ['staff']);
    reporter = await createSession(t.http);
  });
  afterAll(() => t.close());

  describe('POST /api/v1/:collection/:id/flags', () => {
    it('flags a comment once per person: a second flag is 409 ALREADY_FLAGGED', async () => {
      const report = await createReport(t.http, reporter, town);
      const commentId = await comment(await createSession(t.http), report, 'Nobody cares about your street');
      const citizen = await createSession(t.http);
      const res = await citizen
        .auth(t.http.post(`/api/v1/comments/${commentId}/flags`))
        .send({ reason: 'abusive', note: '  rude  ' })
        .expect(201);
      expect(res.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        subjectType: 'comment',
        collection: 'comments',
        subjectId: commentId,
        municipalityId: town.id,
        reason: 'abusive',
        note: 'rude',
        status: 'open',
        createdAt: expect.any(String),
        resolvedAt: null,
        resolvedById: null,
      });
      const again = await citizen.auth(t.http.post(`/api/v1/comments/${commentId}/flags`)).send({ reason: 'spam' }).expect(409);
      expect(again.body.code).toBe('ALREADY_FLAGGED');
      // Someone else still can.
      await flag(await createSession(t.http), 'comments', commentId, 'spam');
    });

    it.each([
      ['an unknown reason', { reason: 'ugly' }, 'reason'],
      ['no reason', {}, 'reason'],
      ['a note over 500 characters', { reason: 'other', note: 'n'.repeat(501) }, 'note'],
      ['an unknown field', { reason: 'spam', reporterId: randomUUID() }, 'reporterId'],
    ])('refuses %s with 400 naming the field', async (_label, payload, field) => {
      const report = await createReport(t.http, reporter, town);
      const res = await (await createSession(t.http)).auth(t.http.post(`/api/v1/reports/${report}/flags`)).send(payload).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });

    it('needs a signed-in user, a well-formed id and an existing subject', async () => {
      const report = await createReport(t.http, reporter, town);
      await t.http.post(`/api/v1/reports/${report}/flags`).send({ reason: 'spam' }).expect(401);
      const citizen = await createSession(t.http);
      await citizen.auth(t.http.post('/api/v1/comments/42/flags')).send({ reason: 'spam' }).expect(400);
      expect((await citizen.auth(t.http.post(`/api/v1/comments/${randomUUID()}/flags`)).send({ reason: 'spam' }).expect(404)).body.code).toBe(
        'SUBJECT_NOT_FOUND',
      );
      // A municipality is not a flaggable collection: the generic route does not claim it.
      expect((await citizen.auth(t.http.post(`/api/v1/municipalities/${town.slug}/flags`)).send({ reason: 'spam' }).expect(404)).body.code).toBe(
        'SUBJECT_NOT_FOUND',
      );
    });
  });

  describe('GET /api/v1/municipalities/:slug/flags', () => {
    it("is the municipality's staff's: a citizen and another town's staff get 403", async () => {
      const citizen = await createSession(t.http);
      expect((await citizen.auth(t.http.get(`/api/v1/municipalities/${town.slug}/flags`)).expect(403)).body.code).toBe('FORBIDDEN');
      await otherStaff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/flags`)).expect(403);
      await t.http.get(`/api/v1/municipalities/${town.slug}/flags`).expect(401);
      expect((await staff.auth(t.http.get('/api/v1/municipalities/no-such-town/flags')).expect(404)).body.code).toBe('MUNICIPALITY_NOT_FOUND');
    });

    it('lists open flags oldest first with the flagged text, page by page, without the reporter', async () => {
      const report = await createReport(t.http, reporter, town);
      const ids: string[] = [];
      for (const body of ['spam one', 'spam two', 'spam three']) {
        const reporterOfFlag = await createSession(t.http);
        ids.push(await flag(reporterOfFlag, 'comments', await comment(reporter, report, body), 'spam'));
      }
      const seen: Array<{ id: string; preview: string }> = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: Array<{ id: string; preview: string }>; nextCursor: string | null } } = await staff
          .auth(t.http.get(`/api/v1/municipalities/${town.slug}/flags`).query({ limit: 2, ...(cursor ? { cursor } : {}) }))
          .expect(200);
        seen.push(...res.body.items);
        cursor = res.body.nextCursor;
      } while (cursor);
      const mine = seen.filter((f) => ids.includes(f.id));
      expect(mine.map((f) => f.id)).toEqual(ids);
      expect(mine.map((f) => f.preview)).toEqual(['spam one', 'spam two', 'spam three']);
      expect(Object.keys(mine[0])).not.toContain('reporterId');
      await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/flags?status=pending`)).expect(400);
      await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/flags?limit=1000`)).expect(400);
    });
  });

  describe('POST /api/v1/flags/:id/resolve', () => {
    it('upheld on a comment removes it from the public list, closes the other flags on it, and is audited', async () => {
      const report = await createReport(t.http, reporter, town);
      const author = await createSession(t.http);
      const kept = await comment(author, report, 'Thanks for reporting');
      const bad = await comment(author, report, 'Buy watches at example.com');
      const first = await flag(await createSession(t.http), 'comments', bad, 'spam');
      const second = await flag(await createSession(t.http), 'comments', bad, 'off_topic');

      const citizen = await createSession(t.http);
      expect((await citizen.auth(t.http.post(`/api/v1/flags/${first}/resolve`)).send({ decision: 'upheld' }).expect(403)).body.code).toBe('FORBIDDEN');
      await otherStaff.auth(t.http.post(`/api/v1/flags/${first}/resolve`)).send({ decision: 'upheld' }).expect(403);
      expect(await publicCommentIds(report)).toEqual([kept, bad]);

      const res = await staff.auth(t.http.post(`/api/v1/flags/${first}/resolve`)).send({ decision: 'upheld' }).expect(200);
      expect(res.body).toMatchObject({ id: first, status: 'upheld', resolvedById: staff.user.id, resolvedAt: expect.any(String) });
      expect(await publicCommentIds(report)).toEqual([kept]);

      // Staff still see it, marked removed.
      const forStaff = await staff.auth(t.http.get(`/api/v1/reports/${report}/comments`)).expect(200);
      expect(forStaff.body.items.find((c: { id: string }) => c.id === bad).status).toBe('removed');

      // The decision covered every open flag on the comment.
      const again = await staff.auth(t.http.post(`/api/v1/flags/${second}/resolve`)).send({ decision: 'dismissed' }).expect(409);
      expect(again.body.code).toBe('FLAG_ALREADY_RESOLVED');
      const upheld = await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/flags?status=upheld&limit=100`)).expect(200);
      expect(upheld.body.items.map((f: { id: string }) => f.id)).toEqual(expect.arrayContaining([first, second]));

      const audit = await admin
        .auth(t.http.get(`/api/v1/municipalities/${town.slug}/audit`).query({ action: 'flag.upheld', targetId: first }))
        .expect(200);
      expect(audit.body.items).toEqual([
        expect.objectContaining({ actorId: staff.user.id, action: 'flag.upheld', targetType: 'flag', targetId: first, municipalityId: town.id }),
      ]);
      const removal = await admin.auth(t.http.get(`/api/v1/municipalities/${town.slug}/audit`).query({ action: 'comment.removed', targetId: bad })).expect(200);
      expect(removal.body.items).toHaveLength(1);
    });

    it('dismissed leaves the comment in public view', async () => {
      const report = await createReport(t.http, reporter, town);
      const commentId = await comment(await createSession(t.http), report, 'I disagree with the council');
      const flagId = await flag(await createSession(t.http), 'comments', commentId, 'other');
      await staff.auth(t.http.post(`/api/v1/flags/${flagId}/resolve`)).send({ decision: 'dismissed' }).expect(200);
      expect(await publicCommentIds(report)).toEqual([commentId]);
    });

    it("upheld on a report takes it out of public view through the reports library; its comments go with it", async () => {
      const report = await createReport(t.http, reporter, town);
      await comment(await createSession(t.http), report, 'Seen it too');
      const flagId = await flag(await createSession(t.http), 'reports', report, 'personal_data');
      await staff.auth(t.http.post(`/api/v1/flags/${flagId}/resolve`)).send({ decision: 'upheld' }).expect(200);
      expect((await t.http.get(`/api/v1/reports/${report}/comments`).expect(404)).body.code).toBe('SUBJECT_NOT_FOUND');
      await (await createSession(t.http)).auth(t.http.post(`/api/v1/reports/${report}/comments`)).send({ body: 'hello?' }).expect(404);
      // The municipality's staff still read the conversation.
      expect((await staff.auth(t.http.get(`/api/v1/reports/${report}/comments`)).expect(200)).body.items).toHaveLength(1);
    });

    it('validates the decision and the id', async () => {
      const report = await createReport(t.http, reporter, town);
      const flagId = await flag(await createSession(t.http), 'reports', report, 'spam');
      const bad = await staff.auth(t.http.post(`/api/v1/flags/${flagId}/resolve`)).send({ decision: 'maybe' }).expect(400);
      expect(bad.body.details[0].field).toBe('decision');
      await staff.auth(t.http.post(`/api/v1/flags/${flagId}/resolve`)).send({}).expect(400);
      await staff.auth(t.http.post('/api/v1/flags/xyz/resolve')).send({ decision: 'dismissed' }).expect(400);
      expect((await staff.auth(t.http.post(`/api/v1/flags/${randomUUID()}/resolve`)).send({ decision: 'dismissed' }).expect(404)).body.code).toBe(
        'FLAG_NOT_FOUND',
      );
    });
  });

  describe('GDPR', () => {
    it('exports comments, follows and flags; erasure keeps the comments but not who wrote them', async () => {
      const report = await createReport(t.http, reporter, town);
      const person = await createSession(t.http, { displayName: 'Soon Gone' });
      const commentId = await comment(person, report, 'My two cents');
      await person.auth(t.http.put(`/api/v1/reports/${report}/follow`)).expect(204);
      const othersComment = await comment(reporter, report, 'Thanks');
      const flagId = await flag(person, 'comments', othersComment, 'off_topic');

      const exported = await person.auth(t.http.get('/api/v1/me/export')).expect(200);
      expect(exported.body.sections.engagement).toEqual({
        comments: [expect.objectContaining({ id: commentId, subjectType: 'report', subjectId: report, body: 'My two cents' })],
        follows: [expect.objectContaining({ subjectType: 'report', subjectId: report })],
        flags: [expect.objectContaining({ id: flagId, subjectType: 'comment', subjectId: othersComment, reason: 'off_topic' })],
        moderation: [],
      });

      await person.auth(t.http.delete('/api/v1/me')).send({ password: person.user.password }).expect(204);
      const listed = await t.http.get(`/api/v1/reports/${report}/comments`).expect(200);
      expect(listed.body.items.find((c: { id: string }) => c.id === commentId)).toMatchObject({ body: 'My two cents', author: null });
      expect(JSON.stringify(listed.body)).not.toContain('Soon Gone');
      // The flag stays in the queue, no longer tied to the person.
      const queue = await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/flags?limit=100`)).expect(200);
      expect(queue.body.items.map((f: { id: string }) => f.id)).toContain(flagId);
    });
  });
});

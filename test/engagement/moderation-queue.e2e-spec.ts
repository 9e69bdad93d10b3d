import { randomUUID } from 'node:crypto';
import { memberSession } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createReport, createTown, Town } from './engagement-fixtures';
import { moderationHelpers } from './moderation-fixtures';

/**
 * The staff's moderation queue: held and flagged content of every subject type, decisions
 * (approve, reject with a reason, unhide), flags hiding content at the town's threshold.
 */
describe('moderation queue and decisions', () => {
  let t: TestApp;
  let platform: Session;
  let town: Town;
  let otherTown: Town;
  let admin: Session;
  let staff: Session;
  let staff2: Session;
  let otherStaff: Session;
  let reporter: Session;
  let h: ReturnType<typeof moderationHelpers>;

  const flag = (who: Session, collection: string, id: string) => who.auth(t.http.post(`/api/v1/${collection}/${id}/flags`)).send({ reason: 'abusive' }).expect(201);
  /** A comment held by the town's "hold everything" rule, and its queue item. */
  const heldComment = async (author: Session, report: string, body: string) => {
    await h.setRules(admin, town.slug, { holdAll: true });
    const c = await h.comment(author, report, body);
    await h.setRules(admin, town.slug, { holdAll: false });
    return { comment: c, item: (await h.itemFor(staff, town.slug, c.id))! };
  };

  beforeAll(async () => {
    t = await createTestApp();
    h = moderationHelpers(t.http);
    platform = await platformAdminSession(t.http);
    town = await createTown(t.http, platform);
    otherTown = await createTown(t.http, platform);
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    staff2 = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    otherStaff = await memberSession(t.http, platform.accessToken, otherTown.slug, ['staff']);
    reporter = await createSession(t.http);
    await h.setRules(admin, town.slug, { flagThreshold: 2 });
  });
  afterAll(() => t.close());

  describe('GET /api/v1/municipalities/:slug/moderation/queue', () => {
    it("is the town's staff's and admins': 401, 403 for a citizen and another town's staff", async () => {
      const url = `/api/v1/municipalities/${town.slug}/moderation/queue`;
      await t.http.get(url).expect(401);
      expect((await (await createSession(t.http)).auth(t.http.get(url)).expect(403)).body.code).toBe('FORBIDDEN');
      await otherStaff.auth(t.http.get(url)).expect(403);
      await admin.auth(t.http.get(url)).expect(200);
    });

    it('pages oldest first with a cursor, and filters by kind, reason and status', async () => {
      const report = await createReport(t.http, reporter, town);
      const author = await createSession(t.http);
      const ids: string[] = [];
      for (const body of ['first', 'second', 'third']) ids.push((await heldComment(author, report, body)).item.id);
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res: { body: { items: Array<{ id: string }>; nextCursor: string | null } } = await staff
          .auth(t.http.get(`/api/v1/municipalities/${town.slug}/moderation/queue`).query({ limit: 1, kind: 'held', ...(cursor ? { cursor } : {}) }))
          .expect(200);
        expect(res.body.items.length).toBeLessThanOrEqual(1);
        seen.push(...res.body.items.map((i) => i.id));
        cursor = res.body.nextCursor;
      } while (cursor);
      expect(seen.filter((id) => ids.includes(id))).toEqual(ids);
      expect((await h.queue(staff, town.slug, { kind: 'flagged' })).map((i) => i.id)).not.toContain(ids[0]);
      expect((await h.queue(staff, town.slug, { reason: 'everything' })).map((i) => i.id)).toEqual(expect.arrayContaining(ids));
      expect((await h.queue(staff, town.slug, { reason: 'flags' })).map((i) => i.id)).not.toContain(ids[0]);
      // Another town's queue does not list them.
      expect(await h.queue(otherStaff, otherTown.slug)).toEqual([]);
    });

    it.each([
      ['an unknown kind', { kind: 'spam' }, 'kind'],
      ['an unknown reason', { reason: 'ugly' }, 'reason'],
      ['an unknown status', { status: 'open' }, 'status'],
      ['a forged cursor', { cursor: 'not-a-cursor' }, 'cursor'],
      ['a limit over the maximum', { limit: 1000 }, 'limit'],
      ['an unknown parameter', { sort: 'newest' }, 'sort'],
    ])('refuses %s with 400 naming the parameter', async (_label, query, field) => {
      const res = await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/moderation/queue`).query(query)).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
    });
  });

  describe('decisions on held content', () => {
    it('approve releases the comment to everyone; deciding again is 409; audited', async () => {
      const report = await createReport(t.http, reporter, town);
      const { comment, item } = await heldComment(await createSession(t.http), report, 'Please fix it');
      await h.decide(await createSession(t.http), town.slug, item.id, 'approve').expect(403);
      await h.decide(otherStaff, town.slug, item.id, 'approve').expect(403);
      // Through another town's slug the item does not exist.
      const otherAdmin = await memberSession(t.http, platform.accessToken, otherTown.slug, ['admin']);
      expect((await h.decide(otherAdmin, otherTown.slug, item.id, 'approve').expect(404)).body.code).toBe('MODERATION_ITEM_NOT_FOUND');
      expect((await h.thread(report)).map((c) => c.id)).toEqual([]);

      const res = await h.decide(staff, town.slug, item.id, 'approve', { reason: '  Fine  ' }).expect(200);
      expect(res.body).toMatchObject({ id: item.id, status: 'approved', decisionReason: 'Fine', decidedById: staff.user.id, decidedAt: expect.any(String) });
      expect(await h.thread(report)).toEqual([expect.objectContaining({ id: comment.id, status: 'visible', awaitingReview: false })]);
      const again = await h.decide(staff2, town.slug, item.id, 'reject', { reason: 'Too late' }).expect(409);
      expect(again.body).toMatchObject({ code: 'MODERATION_ALREADY_DECIDED', meta: { status: 'approved' } });
      expect((await h.queue(staff, town.slug)).map((i) => i.id)).not.toContain(item.id);
      expect((await h.queue(staff, town.slug, { status: 'approved' })).map((i) => i.id)).toContain(item.id);
      const audit = await platform.auth(t.http.get(`/api/v1/municipalities/${town.slug}/audit`).query({ action: 'moderation.approved', targetId: item.id })).expect(200);
      expect(audit.body.items).toEqual([expect.objectContaining({ actorId: staff.user.id, targetType: 'moderation_item', targetId: item.id })]);
    });

    it('reject needs a reason; the comment stays out of view, also for its author; unhide puts it back once', async () => {
      const report = await createReport(t.http, reporter, town);
      const author = await createSession(t.http);
      const { comment, item } = await heldComment(author, report, 'Rude words');
      for (const body of [{}, { reason: '   ' }, { reason: 'r'.repeat(501) }, { reason: 'ok', extra: 1 }]) {
        await h.decide(staff, town.slug, item.id, 'reject', body).expect(400);
      }
      await h.decide(staff, town.slug, item.id, 'unhide').expect(409);
      const res = await h.decide(staff, town.slug, item.id, 'reject', { reason: 'Insulting' }).expect(200);
      expect(res.body).toMatchObject({ status: 'rejected', decisionReason: 'Insulting' });
      expect((await h.thread(report, author)).map((c) => c.id)).not.toContain(comment.id);
      expect((await h.thread(report, staff)).find((c) => c.id === comment.id)).toMatchObject({ status: 'removed', awaitingReview: false });

      expect((await h.decide(staff, town.slug, item.id, 'unhide').expect(200)).body.status).toBe('reinstated');
      expect((await h.thread(report)).map((c) => c.id)).toEqual([comment.id]);
      expect((await h.decide(staff2, town.slug, item.id, 'unhide').expect(409)).body).toMatchObject({ code: 'MODERATION_NOT_REJECTED', meta: { status: 'reinstated' } });
    });

    it('two moderators deciding at once: one wins, the other gets 409', async () => {
      const report = await createReport(t.http, reporter, town);
      for (let round = 0; round < 3; round++) {
        const { comment, item } = await heldComment(await createSession(t.http), report, `Race ${round}`);
        const answers = await Promise.all([
          h.decide(staff, town.slug, item.id, 'approve'),
          h.decide(staff2, town.slug, item.id, 'reject', { reason: 'No' }),
        ]);
        const statuses = answers.map((a) => a.status).sort();
        expect(statuses).toEqual([200, 409]);
        const winner = answers.find((a) => a.status === 200)!.body.status as string;
        const shown = (await h.thread(report)).some((c) => c.id === comment.id);
        expect(shown).toBe(winner === 'approved');
      }
    });

    it('answers 404 for an unknown item and 400 for a malformed id', async () => {
      expect((await h.decide(staff, town.slug, randomUUID(), 'approve').expect(404)).body.code).toBe('MODERATION_ITEM_NOT_FOUND');
      await h.decide(staff, town.slug, 'xyz', 'approve').expect(400);
      expect((await h.decide(staff, 'no-such-town', randomUUID(), 'approve').expect(404)).body.code).toBe('MUNICIPALITY_NOT_FOUND');
    });
  });

  describe('flags reaching the town’s threshold', () => {
    it('hide a comment pending review (its author still sees it); approve shows it again and dismisses the flags', async () => {
      const report = await createReport(t.http, reporter, town);
      const author = await createSession(t.http);
      const c = await h.comment(author, report, 'A strong opinion');
      await flag(await createSession(t.http), 'comments', c.id);
      expect((await h.thread(report)).map((x) => x.id)).toEqual([c.id]);
      await flag(await createSession(t.http), 'comments', c.id);
      expect(await h.thread(report)).toEqual([]);
      expect((await h.thread(report, author)).find((x) => x.id === c.id)).toMatchObject({ status: 'hidden', awaitingReview: true });
      const item = (await h.itemFor(staff, town.slug, c.id, { kind: 'flagged' }))!;
      expect(item).toMatchObject({ reason: 'flags', openFlags: 2, preview: 'A strong opinion', authorId: author.user.id });

      await h.decide(staff, town.slug, item.id, 'approve').expect(200);
      expect((await h.thread(report)).map((x) => x.id)).toEqual([c.id]);
      const dismissed = await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/flags?status=dismissed&limit=100`)).expect(200);
      expect(dismissed.body.items.filter((f: { subjectId: string }) => f.subjectId === c.id)).toHaveLength(2);
    });

    it('hide a report through the reports library; reject keeps it hidden, unhide shows it again', async () => {
      const report = await createReport(t.http, reporter, town);
      const flaggers = [await createSession(t.http), await createSession(t.http)];
      await Promise.all(flaggers.map((f) => flag(f, 'reports', report)));
      await t.http.get(`/api/v1/reports/${report}`).expect(404);
      await staff.auth(t.http.get(`/api/v1/reports/${report}`)).expect(200);
      const item = (await h.itemFor(staff, town.slug, report))!;
      expect(item).toMatchObject({ subjectType: 'report', collection: 'reports', kind: 'flagged', openFlags: 2, authorId: reporter.user.id });
      await h.decide(staff, town.slug, item.id, 'reject', { reason: 'Personal data' }).expect(200);
      await t.http.get(`/api/v1/reports/${report}`).expect(404);
      const upheld = await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/flags?status=upheld&limit=100`)).expect(200);
      expect(upheld.body.items.filter((f: { subjectId: string }) => f.subjectId === report)).toHaveLength(2);
      await h.decide(staff, town.slug, item.id, 'unhide').expect(200);
      await t.http.get(`/api/v1/reports/${report}`).expect(200);
    });

    it('counts flags arriving at once: many concurrent flags make one review', async () => {
      const report = await createReport(t.http, reporter, town);
      const c = await h.comment(await createSession(t.http), report, 'Contested');
      const flaggers = await Promise.all(Array.from({ length: 6 }, () => createSession(t.http)));
      await Promise.all(flaggers.map((f) => flag(f, 'comments', c.id)));
      const items = (await h.queue(staff, town.slug, { kind: 'flagged' })).filter((i) => i.subjectId === c.id);
      expect(items).toHaveLength(1);
      expect(items[0].openFlags).toBe(6);
      expect(await h.thread(report)).toEqual([]);
    });

    it('a decision on the flags route settles the review too', async () => {
      const report = await createReport(t.http, reporter, town);
      const c = await h.comment(await createSession(t.http), report, 'Borderline');
      const first = (await flag(await createSession(t.http), 'comments', c.id)).body.id as string;
      await flag(await createSession(t.http), 'comments', c.id);
      const item = (await h.itemFor(staff, town.slug, c.id))!;
      await staff.auth(t.http.post(`/api/v1/flags/${first}/resolve`)).send({ decision: 'dismissed' }).expect(200);
      expect((await h.thread(report)).map((x) => x.id)).toEqual([c.id]);
      expect((await h.decide(staff, town.slug, item.id, 'reject', { reason: 'late' }).expect(409)).body.meta).toEqual({ status: 'approved' });
    });
  });
});

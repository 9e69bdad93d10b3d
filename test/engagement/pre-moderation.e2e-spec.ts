import { memberSession } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createReport, createTown, Town } from './engagement-fixtures';
import { moderationHelpers } from './moderation-fixtures';

/**
 * Pre-moderation of comments on any subject (reports here): a town's rules hold new comments for
 * review; held ones are shown to their author ("awaiting review") and the town's staff only.
 */
describe('pre-moderation: a town’s rules hold comments for review', () => {
  let t: TestApp;
  let platform: Session;
  let town: Town;
  let otherTown: Town;
  let admin: Session;
  let staff: Session;
  let otherStaff: Session;
  let reporter: Session;
  let h: ReturnType<typeof moderationHelpers>;

  beforeAll(async () => {
    t = await createTestApp();
    h = moderationHelpers(t.http);
    platform = await platformAdminSession(t.http);
    town = await createTown(t.http, platform);
    otherTown = await createTown(t.http, platform);
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    otherStaff = await memberSession(t.http, platform.accessToken, otherTown.slug, ['staff']);
    reporter = await createSession(t.http);
  });
  afterAll(() => t.close());

  describe('settings: GET/PATCH /api/v1/municipalities/:slug/moderation/settings', () => {
    const url = () => `/api/v1/municipalities/${otherTown.slug}/moderation/settings`;

    it('has the defaults until changed; staff read them, only admins change them (audited)', async () => {
      const townAdmin = await memberSession(t.http, platform.accessToken, otherTown.slug, ['admin']);
      const defaults = { flagThreshold: 3, holdFirstContributions: 0, holdAll: false, heldWords: [] };
      expect((await otherStaff.auth(t.http.get(url())).expect(200)).body).toEqual(defaults);
      await t.http.get(url()).expect(401);
      expect((await (await createSession(t.http)).auth(t.http.get(url())).expect(403)).body.code).toBe('FORBIDDEN');
      await staff.auth(t.http.get(url())).expect(403);
      expect((await otherStaff.auth(t.http.patch(url())).send({ holdAll: true }).expect(403)).body.code).toBe('FORBIDDEN');
      await admin.auth(t.http.patch(url())).send({ holdAll: true }).expect(403);
      expect((await staff.auth(t.http.get('/api/v1/municipalities/no-such-town/moderation/settings')).expect(404)).body.code).toBe('MUNICIPALITY_NOT_FOUND');

      const changed = await townAdmin.auth(t.http.patch(url())).send({ flagThreshold: 5, heldWords: ['  Arnaque ', 'arnaque', 'gros   mot'] }).expect(200);
      expect(changed.body).toEqual({ ...defaults, flagThreshold: 5, heldWords: ['Arnaque', 'gros mot'] });
      // Fields left out keep their value.
      expect((await townAdmin.auth(t.http.patch(url())).send({ holdAll: true }).expect(200)).body).toEqual({ ...changed.body, holdAll: true });
      const audit = await platform
        .auth(t.http.get(`/api/v1/municipalities/${otherTown.slug}/audit`).query({ action: 'moderation.settings_changed' }))
        .expect(200);
      expect(audit.body.items[0]).toMatchObject({ actorId: townAdmin.user.id, before: expect.objectContaining({ flagThreshold: 5, holdAll: false }), after: expect.objectContaining({ holdAll: true }) });
      await townAdmin.auth(t.http.patch(url())).send({ holdAll: false, flagThreshold: 3, heldWords: [] }).expect(200);
    });

    it.each([
      ['a threshold of 0', { flagThreshold: 0 }, 'flagThreshold'],
      ['a threshold over 100', { flagThreshold: 101 }, 'flagThreshold'],
      ['a threshold that is not a number', { flagThreshold: '3' }, 'flagThreshold'],
      ['a negative hold count', { holdFirstContributions: -1 }, 'holdFirstContributions'],
      ['holdAll not a boolean', { holdAll: 'yes' }, 'holdAll'],
      ['a word list that is not a list', { heldWords: 'arnaque' }, 'heldWords'],
      ['over 500 words', { heldWords: Array.from({ length: 501 }, (_, i) => `w${i}`) }, 'heldWords'],
      ['a word over 60 characters', { heldWords: ['x'.repeat(61)] }, 'heldWords'],
      ['a word without a letter', { heldWords: ['!!!'] }, 'heldWords'],
      ['a word with control characters', { heldWords: ['a\u0007b'] }, 'heldWords'],
      ['a non-string word', { heldWords: [42] }, 'heldWords'],
      ['an unknown field', { banEveryone: true }, 'banEveryone'],
    ])('refuses %s with 400 naming the field, changing nothing', async (_label, body, field) => {
      const res = await admin.auth(t.http.patch(`/api/v1/municipalities/${town.slug}/moderation/settings`)).send(body).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field.replace(/\[\d+\]$/, ''))).toContain(field);
      expect((await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/moderation/settings`)).expect(200)).body.holdAll).toBe(false);
    });
  });

  describe('held comments, seen by whom', () => {
    let report: string;
    let author: Session;
    let held: string;
    let shown: string;

    beforeAll(async () => {
      await h.setRules(admin, town.slug, { heldWords: ['éclairage', 'gros mot'] });
      report = await createReport(t.http, reporter, town);
      author = await createSession(t.http, { displayName: 'Hélène Held' });
      const c = await h.comment(author, report, "L'ECLAIRAGE de la rue, encore");
      held = c.id;
      expect(c).toMatchObject({ status: 'held', awaitingReview: true });
      shown = (await h.comment(author, report, 'Merci pour le signalement')).id;
    });

    it('the word list folds accents and case and matches whole words only', async () => {
      const other = await createSession(t.http);
      expect((await h.comment(other, report, 'Éclairage en panne')).status).toBe('held');
      expect((await h.comment(other, report, 'eclairage en panne')).status).toBe('held');
      expect((await h.comment(other, report, 'Les éclairages sont neufs')).status).toBe('visible');
      expect((await h.comment(other, report, 'Un GROS  mot !')).status).toBe('held');
      expect((await h.comment(other, report, 'Gros, et un mot')).status).toBe('visible');
      const item = await h.itemFor(staff, town.slug, held);
      expect(item).toMatchObject({ kind: 'held', reason: 'word_list', matchedWords: ['éclairage'], subjectType: 'comment', collection: 'comments', authorId: author.user.id, author: { id: author.user.id, displayName: 'Hélène Held' }, preview: "L'ECLAIRAGE de la rue, encore", status: 'pending', openFlags: 0 });
    });

    it.each([
      ['nobody signed in', () => undefined],
      ['a citizen', () => reporter],
      ['staff of another town', () => otherStaff],
    ])('is not shown to %s', async (_label, who) => {
      const ids = (await h.thread(report, who())).map((c) => c.id);
      expect(ids).toContain(shown);
      expect(ids).not.toContain(held);
    });

    it('is shown to its author as awaiting review, and to the town’s staff with its status', async () => {
      expect((await h.thread(report, author)).find((c) => c.id === held)).toMatchObject({ status: 'held', awaitingReview: true, body: "L'ECLAIRAGE de la rue, encore" });
      expect((await h.thread(report, author)).find((c) => c.id === shown)).toMatchObject({ status: 'visible', awaitingReview: false });
      expect((await h.thread(report, staff)).find((c) => c.id === held)).toMatchObject({ status: 'held', awaitingReview: true });
    });

    it('cannot be edited, answered or flagged while held', async () => {
      const edit = await author.auth(t.http.patch(`/api/v1/comments/${held}`)).send({ body: 'changed' }).expect(409);
      expect(edit.body).toMatchObject({ code: 'COMMENT_NOT_EDITABLE', meta: { state: 'held' } });
      const reply = await reporter.auth(t.http.post(`/api/v1/reports/${report}/comments`)).send({ body: 'Indeed', inReplyToId: held }).expect(422);
      expect(reply.body.code).toBe('INVALID_REPLY');
      await reporter.auth(t.http.post(`/api/v1/comments/${held}/flags`)).send({ reason: 'spam' }).expect(404);
    });
  });

  describe('an author deleting their held comment', () => {
    it('takes it off the queue (withdrawn): nothing is left to decide', async () => {
      await h.setRules(admin, town.slug, { holdAll: true });
      const report = await createReport(t.http, reporter, town);
      const author = await createSession(t.http);
      const c = await h.comment(author, report, 'Second thoughts');
      await h.setRules(admin, town.slug, { holdAll: false });
      const item = (await h.itemFor(staff, town.slug, c.id))!;
      await author.auth(t.http.delete(`/api/v1/comments/${c.id}`)).expect(204);
      expect(await h.itemFor(staff, town.slug, c.id)).toBeUndefined();
      expect(await h.itemFor(staff, town.slug, c.id, { status: 'withdrawn' })).toMatchObject({ id: item.id, decidedById: null });
      expect((await h.decide(staff, town.slug, item.id, 'approve').expect(409)).body.meta).toEqual({ status: 'withdrawn' });
      expect((await h.thread(report, author)).map((x) => x.id)).not.toContain(c.id);
    });
  });

  describe('the rules', () => {
    it('hold the first N contributions of each person in the town, not the town’s staff', async () => {
      const rulesTown = await createTown(t.http, platform);
      const rulesAdmin = await memberSession(t.http, platform.accessToken, rulesTown.slug, ['admin']);
      const rulesStaff = await memberSession(t.http, platform.accessToken, rulesTown.slug, ['staff']);
      await h.setRules(rulesAdmin, rulesTown.slug, { holdFirstContributions: 2 });
      const report = await createReport(t.http, reporter, rulesTown);
      const newcomer = await createSession(t.http);
      const statuses = [];
      for (const body of ['one', 'two', 'three']) statuses.push((await h.comment(newcomer, report, body)).status);
      expect(statuses).toEqual(['held', 'held', 'visible']);
      expect((await h.comment(rulesStaff, report, 'From the town')).status).toBe('visible');
      // Another town counts its own: the newcomer is new there.
      const elsewhere = await createReport(t.http, reporter, town);
      await h.setRules(admin, town.slug, { holdFirstContributions: 1 });
      expect((await h.comment(newcomer, elsewhere, 'bonjour')).status).toBe('held');
      await h.setRules(admin, town.slug, { holdFirstContributions: 0 });
      const reasons = (await h.queue(rulesStaff, rulesTown.slug, { reason: 'new_account' })).map((i) => i.preview);
      expect(reasons).toEqual(['one', 'two']);
    });

    it('hold everything for a town that wants it', async () => {
      const strict = await createTown(t.http, platform);
      const strictAdmin = await memberSession(t.http, platform.accessToken, strict.slug, ['admin']);
      await h.setRules(strictAdmin, strict.slug, { holdAll: true });
      const report = await createReport(t.http, reporter, strict);
      const regular = await createSession(t.http);
      for (const body of ['a', 'b']) expect((await h.comment(regular, report, body)).status).toBe('held');
      expect(await h.thread(report)).toEqual([]);
      const items = await h.queue(strictAdmin, strict.slug, { kind: 'held' });
      expect(items.map((i) => i.reason)).toEqual(['everything', 'everything']);
    });
  });

  describe('an erased author', () => {
    it('leaves their held comment on the queue without them; their old token no longer reads anything', async () => {
      await h.setRules(admin, town.slug, { holdAll: true });
      const report = await createReport(t.http, reporter, town);
      const leaver = await createSession(t.http, { displayName: 'Soon Gone' });
      const c = await h.comment(leaver, report, 'Held then orphaned');
      await h.setRules(admin, town.slug, { holdAll: false });
      const exported = await leaver.auth(t.http.get('/api/v1/me/export')).expect(200);
      expect(exported.body.sections.engagement.moderation).toEqual([expect.objectContaining({ subjectType: 'comment', subjectId: c.id, kind: 'held', reason: 'everything', status: 'pending' })]);
      await leaver.auth(t.http.delete('/api/v1/me')).send({ password: leaver.user.password }).expect(204);
      await leaver.auth(t.http.get(`/api/v1/reports/${report}/comments`)).expect(401);
      const item = await h.itemFor(staff, town.slug, c.id);
      expect(item).toMatchObject({ authorId: null, author: null, preview: 'Held then orphaned' });
      expect(JSON.stringify(await h.queue(staff, town.slug))).not.toContain('Soon Gone');
      expect((await h.thread(report)).map((x) => x.id)).not.toContain(c.id);
      // Released, it shows without an author.
      await h.decide(staff, town.slug, item!.id, 'approve').expect(200);
      expect((await h.thread(report)).find((x) => x.id === c.id)).toMatchObject({ body: 'Held then orphaned', status: 'visible' });
    });
  });
});

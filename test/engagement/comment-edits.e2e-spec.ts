import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { memberSession } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createReport, createTown, Town } from './engagement-fixtures';

interface CommentBody {
  id: string;
  body: string | null;
  inReplyToId: string | null;
  author: { id: string; displayName: string } | null;
  editedAt: string | null;
  deletedAt: string | null;
  status: string;
}

describe('comments: authors edit and delete their own, replies, moderators read the history', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let town: Town;
  let otherTown: Town;
  let reporter: Session;
  let author: Session;
  let citizen: Session;
  let staff: Session;
  let otherStaff: Session;
  let reportId: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createTown(t.http, admin);
    otherTown = await createTown(t.http, admin);
    reporter = await createSession(t.http);
    author = await createSession(t.http, { displayName: 'Ada Author' });
    citizen = await createSession(t.http, { displayName: 'Other Citizen' });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    otherStaff = await memberSession(t.http, admin.accessToken, otherTown.slug, ['staff']);
    reportId = await createReport(t.http, reporter, town);
  });
  afterAll(() => t.close());

  const comment = async (s: Session, body: string, inReplyToId?: string): Promise<CommentBody> =>
    (await s.auth(t.http.post(`/api/v1/reports/${reportId}/comments`)).send({ body, ...(inReplyToId ? { inReplyToId } : {}) }).expect(201)).body;
  const thread = async (viewer: Session | null): Promise<CommentBody[]> => {
    const req = t.http.get(`/api/v1/reports/${reportId}/comments?limit=100`);
    return ((await (viewer ? viewer.auth(req) : req).expect(200)).body as { items: CommentBody[] }).items;
  };
  const edit = (s: Session | null, id: string, body: unknown) => {
    const req = t.http.patch(`/api/v1/comments/${id}`);
    return (s ? s.auth(req) : req).send(body as object);
  };
  const remove = (s: Session | null, id: string) => {
    const req = t.http.delete(`/api/v1/comments/${id}`);
    return s ? s.auth(req) : req;
  };
  const history = (s: Session | null, id: string) => {
    const req = t.http.get(`/api/v1/comments/${id}/versions`);
    return s ? s.auth(req) : req;
  };

  describe('editing', () => {
    it('the author changes the text: "edited" shows to every viewer, the history to the town staff only, and it is audited', async () => {
      const c = await comment(author, 'The lamp at number 3 is out');
      const res = await edit(author, c.id, { body: '  The lamp at number 5 is out  ' }).expect(200);
      expect(res.body).toMatchObject({ id: c.id, body: 'The lamp at number 5 is out', editedAt: expect.any(String), author: { id: author.user.id } });

      for (const viewer of [null, citizen, author, staff, otherStaff]) {
        const shown = (await thread(viewer)).find((x) => x.id === c.id);
        expect(shown).toMatchObject({ body: 'The lamp at number 5 is out', editedAt: res.body.editedAt });
        expect(JSON.stringify(await thread(viewer))).not.toContain('number 3');
      }

      const h = await history(staff, c.id).expect(200);
      expect(h.body).toMatchObject({
        comment: { id: c.id, body: 'The lamp at number 5 is out' },
        authorId: author.user.id,
        versions: [{ body: 'The lamp at number 3 is out', reason: 'edited', writtenAt: expect.any(String), replacedAt: expect.any(String) }],
      });
      await history(null, c.id).expect(401);
      expect((await history(citizen, c.id).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await history(author, c.id).expect(403)).body.code).toBe('FORBIDDEN');
      expect((await history(otherStaff, c.id).expect(403)).body.code).toBe('FORBIDDEN');

      const [audit] = await db.query(`SELECT actor_id, before, after FROM audit_log WHERE action = 'comment.edited' AND target_id = $1`, [c.id]);
      // The audit names the kept version; the text itself lives in comment_versions only.
      const [version] = await db.query(`SELECT id::text FROM comment_versions WHERE comment_id = $1`, [c.id]);
      expect(audit).toEqual({ actor_id: author.user.id, before: { versionId: version.id }, after: { editedAt: expect.any(String) } });
      const [event] = await db.query(`SELECT payload FROM outbox_events WHERE type = 'engagement.comment_edited' AND aggregate_id = $1`, [c.id]);
      expect(event.payload).toMatchObject({ commentId: c.id, subjectType: 'report', subjectId: reportId });
    });

    it('keeps every earlier text, oldest first', async () => {
      const c = await comment(author, 'first');
      await edit(author, c.id, { body: 'second' }).expect(200);
      await edit(author, c.id, { body: 'third' }).expect(200);
      const h = (await history(staff, c.id).expect(200)).body as { versions: Array<{ body: string }> };
      expect(h.versions.map((v) => v.body)).toEqual(['first', 'second']);
    });

    it('is the author’s alone: anonymous 401, other citizen and staff (either town) 403, unknown 404', async () => {
      const c = await comment(author, 'Mine to change');
      expect((await edit(null, c.id, { body: 'x' }).expect(401)).body.code).toBe('UNAUTHENTICATED');
      for (const other of [citizen, reporter, staff, otherStaff]) {
        expect((await edit(other, c.id, { body: 'Taken over' }).expect(403)).body.code).toBe('NOT_COMMENT_AUTHOR');
        expect((await remove(other, c.id).expect(403)).body.code).toBe('NOT_COMMENT_AUTHOR');
      }
      expect((await edit(author, randomUUID(), { body: 'x' }).expect(404)).body.code).toBe('COMMENT_NOT_FOUND');
      await remove(author, randomUUID()).expect(404);
      expect((await edit(author, 'nope', { body: 'x' }).expect(400)).body.details[0].field).toBe('id');
      expect((await thread(null)).find((x) => x.id === c.id)?.body).toBe('Mine to change');
    });

    it('validates the body like a new comment', async () => {
      const c = await comment(author, 'Valid');
      for (const body of [{}, { body: '' }, { body: '   ' }, { body: 'x'.repeat(2001) }, { body: 'a\u0000b' }, { body: 'ok', status: 'visible' }]) {
        const res = await edit(author, c.id, body).expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
      }
    });

    it('refuses on a comment moderation took down: 409 COMMENT_NOT_EDITABLE', async () => {
      const c = await comment(author, 'Something rude');
      const flag = await citizen.auth(t.http.post(`/api/v1/comments/${c.id}/flags`)).send({ reason: 'abusive' }).expect(201);
      await staff.auth(t.http.post(`/api/v1/flags/${flag.body.id}/resolve`)).send({ decision: 'upheld' }).expect(200);
      const res = await edit(author, c.id, { body: 'Something polite' }).expect(409);
      expect(res.body).toMatchObject({ code: 'COMMENT_NOT_EDITABLE', meta: { state: 'removed' } });
      // Someone else cannot even tell it is there.
      expect((await edit(citizen, c.id, { body: 'x' }).expect(404)).body.code).toBe('COMMENT_NOT_FOUND');
    });
  });

  describe('replies and deletion', () => {
    it('a reply names the comment it answers, of the same thread only', async () => {
      const parent = await comment(author, 'Is anyone on it?');
      const reply = await comment(citizen, 'The city said next week', parent.id);
      expect(reply).toMatchObject({ inReplyToId: parent.id });
      const otherReport = await createReport(t.http, reporter, town);
      const res = await citizen.auth(t.http.post(`/api/v1/reports/${otherReport}/comments`)).send({ body: 'Wrong thread', inReplyToId: parent.id }).expect(422);
      expect(res.body).toMatchObject({ code: 'INVALID_REPLY' });
      expect(res.body.details[0].field).toBe('inReplyToId');
      await citizen.auth(t.http.post(`/api/v1/reports/${reportId}/comments`)).send({ body: 'x', inReplyToId: 'not-a-uuid' }).expect(400);
      expect((await citizen.auth(t.http.post(`/api/v1/reports/${reportId}/comments`)).send({ body: 'x', inReplyToId: randomUUID() }).expect(422)).body.code).toBe('INVALID_REPLY');
    });

    it('a deleted comment without replies leaves the thread; its text stays for the town staff and it is audited', async () => {
      const c = await comment(author, 'Oops, wrong report');
      await remove(author, c.id).expect(204);
      await remove(author, c.id).expect(204);
      for (const viewer of [null, citizen, author, otherStaff]) {
        expect((await thread(viewer)).map((x) => x.id)).not.toContain(c.id);
      }
      // Moderators see where it was, as a placeholder, and read the text in the history.
      expect((await thread(staff)).find((x) => x.id === c.id)).toMatchObject({ body: null, author: null, deletedAt: expect.any(String) });
      const h = (await history(staff, c.id).expect(200)).body as { authorId: string; versions: Array<{ body: string; reason: string }> };
      expect(h).toMatchObject({ authorId: author.user.id, versions: [{ body: 'Oops, wrong report', reason: 'deleted' }] });
      const audits = await db.query(`SELECT actor_id FROM audit_log WHERE action = 'comment.deleted' AND target_id = $1`, [c.id]);
      expect(audits).toEqual([{ actor_id: author.user.id }]);
      expect((await edit(author, c.id, { body: 'Back' }).expect(409)).body).toMatchObject({ code: 'COMMENT_NOT_EDITABLE', meta: { state: 'deleted' } });
      // Gone for flags and replies too.
      await citizen.auth(t.http.post(`/api/v1/comments/${c.id}/flags`)).send({ reason: 'spam' }).expect(404);
      await citizen.auth(t.http.post(`/api/v1/reports/${reportId}/comments`)).send({ body: 'Answering a ghost', inReplyToId: c.id }).expect(422);
    });

    it('a deleted comment with a reply stays as a "deleted" placeholder, without text or author, for every viewer', async () => {
      const parent = await comment(author, 'My phone number is 06 12 34 56 78');
      const reply = await comment(citizen, 'Better not post that here', parent.id);
      await remove(author, parent.id).expect(204);
      for (const viewer of [null, citizen, author, staff, otherStaff, reporter]) {
        const items = await thread(viewer);
        expect(items.find((x) => x.id === parent.id)).toMatchObject({ body: null, author: null, deletedAt: expect.any(String) });
        expect(items.find((x) => x.id === reply.id)).toMatchObject({ inReplyToId: parent.id, body: 'Better not post that here' });
        expect(JSON.stringify(items)).not.toContain('06 12 34');
      }
      // Once the reply goes too, nothing is left to keep the placeholder for.
      await remove(citizen, reply.id).expect(204);
      expect((await thread(null)).map((x) => x.id)).not.toContain(parent.id);
    });

    it('an erased author’s comments stay without a name, and nobody may change them', async () => {
      const leaving = await createSession(t.http, { displayName: 'Leaving Lou' });
      const c = await comment(leaving, 'Written before leaving');
      const regretted = await comment(leaving, 'Regretted words');
      await remove(leaving, regretted.id).expect(204);
      expect((await history(staff, regretted.id).expect(200)).body.versions).toHaveLength(1);
      await leaving.auth(t.http.delete('/api/v1/me')).send({ password: leaving.user.password }).expect(204);
      // The texts they deleted themselves leave with them; what stays public stays, unsigned.
      expect((await history(staff, regretted.id).expect(200)).body).toMatchObject({ authorId: null, versions: [] });
      await edit(leaving, c.id, { body: 'x' }).expect(401);
      await remove(leaving, c.id).expect(401);
      // "No author" is nobody's: another citizen and staff are refused too.
      expect((await edit(citizen, c.id, { body: 'Mine now' }).expect(403)).body.code).toBe('NOT_COMMENT_AUTHOR');
      expect((await remove(staff, c.id).expect(403)).body.code).toBe('NOT_COMMENT_AUTHOR');
      for (const viewer of [null, citizen, staff]) {
        expect((await thread(viewer)).find((x) => x.id === c.id)).toMatchObject({ body: 'Written before leaving', author: null });
      }
      expect((await history(staff, c.id).expect(200)).body).toMatchObject({ authorId: null, versions: [] });
    });
  });
});

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainPhoto } from '../fixtures/images';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';

/**
 * DELETE /api/v1/me asks for the password again, and lets the person choose whether what they
 * contributed stays (anonymised, the default) or has its texts and photos removed.
 */
describe('erasure: the password, and the choice about contributions', () => {
  let t: TestApp;
  let storageDir: string;
  let town: TestMunicipality;
  let staff: Session;
  let category: string;

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'civic-erasure-e2e-'));
    t = await createTestApp({ env: { STORAGE_DIR: storageDir } });
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Effaceville' });
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    category = (await createCategory(t.http, admin.accessToken, town.slug)).code;
  });
  afterAll(async () => {
    await t.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  const storedFiles = async () => (await readdir(storageDir, { recursive: true })).filter((f) => /\.(jpg|png|webp)$/.test(f));

  /** A person who filed a report with a photo, commented on it, and whose report staff added a photo to. */
  async function contributor(displayName: string) {
    const s = await createSession(t.http, { displayName, locale: 'en' });
    const report = await createReport(t.http, s.accessToken, town, category, { description: `${displayName} saw a deep pothole`, location: near(town, Math.random() / 200, 0) });
    const upload = async (who: Session) =>
      who
        .auth(t.http.post(`/api/v1/reports/${report.id}/photos`))
        .attach('photo', await plainPhoto('jpeg', 64, 64), { filename: 'p.jpg', contentType: 'image/jpeg' })
        .expect(201);
    const own = (await upload(s)).body.id as string;
    const byStaff = (await upload(staff)).body.id as string;
    const comment = await s.auth(t.http.post(`/api/v1/reports/${report.id}/comments`)).send({ body: `${displayName} adds: it is getting worse` }).expect(201);
    return { s, report, photos: { own, byStaff }, commentId: comment.body.id as string };
  }

  const commentOf = async (reportId: string, commentId: string) =>
    ((await t.http.get(`/api/v1/reports/${reportId}/comments`).expect(200)).body.items as Array<{ id: string; body: string; author: unknown }>).find(
      (c) => c.id === commentId,
    );

  describe('asking for the password', () => {
    it('refuses without the password (400 naming it), and with a wrong one (403), leaving the account as it was', async () => {
      const s = await createSession(t.http);
      const missing = await s.auth(t.http.delete('/api/v1/me')).expect(400);
      expect(missing.body.details.map((d: { field: string }) => d.field)).toContain('password');
      const wrong = await s.auth(t.http.delete('/api/v1/me')).send({ password: 'Not-the-right-one-42' }).expect(403);
      expect(wrong.body.code).toBe('PASSWORD_INCORRECT');
      await s.auth(t.http.get('/api/v1/me')).expect(200);
    });

    it.each([
      ['a non-boolean choice', { removeContributions: 'yes' }, 'removeContributions'],
      ['a huge password', { password: 'x'.repeat(10_000) }, 'password'],
      ['an unknown field', { keepName: true }, 'keepName'],
    ])('refuses %s with 400 naming the field', async (_, extra, field) => {
      const s = await createSession(t.http);
      const res = await s.auth(t.http.delete('/api/v1/me')).send({ password: s.user.password, ...extra }).expect(400);
      expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      await s.auth(t.http.get('/api/v1/me')).expect(200);
    });
  });

  it('by default keeps the contributions, without the name', async () => {
    const { s, report, photos, commentId } = await contributor('Kim Keeper');
    await s.auth(t.http.delete('/api/v1/me')).send({ password: s.user.password }).expect(204);

    const view = await t.http.get(`/api/v1/reports/${report.id}`).expect(200);
    expect(view.body).toMatchObject({ description: 'Kim Keeper saw a deep pothole', reporterName: null, photoCount: 2 });
    expect(JSON.stringify(view.body)).not.toContain(s.user.email);
    await t.http.get(`/api/v1/photos/${photos.own}`).expect(200);
    expect(await commentOf(report.id, commentId)).toMatchObject({ body: 'Kim Keeper adds: it is getting worse', author: null });
  });

  it("with removeContributions, replaces the texts, deletes the person's photos and keeps what the town needs", async () => {
    const { s, report, photos, commentId } = await contributor('Rae Remover');
    // Corrected by its reporter while new: the earlier wording is kept for staff, and must go too.
    await s.auth(t.http.patch(`/api/v1/reports/${report.id}`)).send({ description: 'Rae Remover saw a very deep pothole' }).expect(200);
    // Resolved, then reopened by its reporter with a reason: a line of theirs on the public timeline.
    let version = (await staff.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200)).body.version as number;
    for (const status of ['acknowledged', 'in_progress', 'resolved']) {
      version = (await staff.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).send({ version, status }).expect(200)).body.version;
    }
    await s.auth(t.http.post(`/api/v1/reports/${report.id}/reopen`)).send({ reason: 'Rae Remover says the hole is back' }).expect(200);
    const before = (await staff.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200)).body;
    const filesBefore = await storedFiles();
    await s.auth(t.http.delete('/api/v1/me')).send({ password: s.user.password, removeContributions: true }).expect(204);

    const publicView = (await t.http.get(`/api/v1/reports/${report.id}`).expect(200)).body;
    expect(publicView).toMatchObject({
      description: "Removed at the author's request.",
      reporterName: null,
      category: before.category,
      location: before.location,
      status: before.status,
      number: before.number,
      photoCount: 1,
    });
    expect(publicView.photos.map((p: { id: string }) => p.id)).toEqual([photos.byStaff]);
    const staffView = (await staff.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200)).body;
    expect(staffView.description).toBe("Removed at the author's request.");
    expect(staffView.staff.reporter).toBeNull();
    expect(JSON.stringify(staffView)).not.toContain('Rae Remover');
    const staffTimeline = (await staff.auth(t.http.get(`/api/v1/reports/${report.id}/timeline`)).expect(200)).body;
    expect(JSON.stringify(staffTimeline)).not.toContain('Rae Remover');

    // Their photo is gone for everyone, staff included, and so are its files; the town's photo stays.
    await t.http.get(`/api/v1/photos/${photos.own}`).expect(404);
    await staff.auth(t.http.get(`/api/v1/photos/${photos.own}`)).expect(404);
    await t.http.get(`/api/v1/photos/${photos.byStaff}`).expect(200);
    const filesAfter = await storedFiles();
    expect(filesBefore.length - filesAfter.length).toBe(2);
    expect(filesAfter.some((f) => f.includes(photos.own))).toBe(false);

    expect(await commentOf(report.id, commentId)).toMatchObject({ body: "Removed at the author's request.", author: null });
    const timeline = (await t.http.get(`/api/v1/reports/${report.id}/timeline`).expect(200)).body as Array<{ type: string; message: string | null }>;
    expect(JSON.stringify(timeline)).not.toContain('Rae Remover');
    expect(timeline.find((e) => e.type === 'reopened')?.message).toBe("Removed at the author's request.");
  });
});

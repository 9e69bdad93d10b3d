import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainPhoto } from '../fixtures/images';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';

type Viewer = Session | undefined;

/**
 * What moderation hid is seen by the town's staff and by its own reporter only — for every kind
 * of viewer, and still after the reporter erased their account (an erased reporter is "nobody",
 * and an anonymous caller is "nobody" too: they must never count as the same person).
 */
describe('reports: hidden content, for every kind of viewer', () => {
  let t: TestApp;
  let storageDir: string;
  let town: TestMunicipality;
  let owner: Session;
  let leaver: Session;
  let citizen: Session;
  let staff: Session;
  let admin: Session;
  let otherStaff: Session;
  let otherAdmin: Session;
  /** Hidden, its reporter still there. */
  let kept: { id: string; photoId: string };
  /** Hidden, its reporter since erased. */
  let orphan: { id: string; photoId: string };

  async function fileHidden(by: Session, description: string, moderator: Session) {
    const report = await createReport(t.http, by.accessToken, town, category, { description, location: near(town, Math.random() / 200, 0) });
    const photo = await by
      .auth(t.http.post(`/api/v1/reports/${report.id}/photos`))
      .attach('photo', await plainPhoto('jpeg', 64, 64), { filename: 'p.jpg', contentType: 'image/jpeg' })
      .expect(201);
    await (await createSession(t.http)).auth(t.http.post(`/api/v1/reports/${report.id}/comments`)).send({ body: 'Seen it too' }).expect(201);
    const flag = await (await createSession(t.http)).auth(t.http.post(`/api/v1/reports/${report.id}/flags`)).send({ reason: 'spam' }).expect(201);
    await moderator.auth(t.http.post(`/api/v1/flags/${flag.body.id}/resolve`)).send({ decision: 'upheld' }).expect(200);
    return { id: report.id, photoId: photo.body.id as string };
  }
  let category: string;

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'civic-hidden-e2e-'));
    t = await createTestApp({ env: { STORAGE_DIR: storageDir } });
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Cachéville' });
    const elsewhere = await createMunicipality(t.http, platform.accessToken, { name: 'Ailleurs' });
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    otherStaff = await memberSession(t.http, platform.accessToken, elsewhere.slug, ['staff']);
    otherAdmin = await memberSession(t.http, platform.accessToken, elsewhere.slug, ['admin']);
    category = (await createCategory(t.http, admin.accessToken, town.slug)).code;
    owner = await createSession(t.http, { displayName: 'Owen Owner' });
    leaver = await createSession(t.http, { displayName: 'Lea Leaver' });
    citizen = await createSession(t.http);
    kept = await fileHidden(owner, 'Hidden, reporter still here', staff);
    orphan = await fileHidden(leaver, 'Hidden, reporter erased', staff);
    await leaver.auth(t.http.delete('/api/v1/me')).send({ password: leaver.user.password }).expect(204);
  });
  afterAll(async () => {
    await t.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  const as = (who: Viewer, req: ReturnType<TestApp['http']['get']>) => (who ? who.auth(req) : req);

  /** Every surface of one report, as one viewer: 200 each when `sees`, else 404 each (never a hint). */
  async function expectSurfaces(who: Viewer, report: { id: string; photoId: string }, sees: boolean, description: string) {
    const detail = await as(who, t.http.get(`/api/v1/reports/${report.id}`));
    const timeline = await as(who, t.http.get(`/api/v1/reports/${report.id}/timeline`));
    const photo = await as(who, t.http.get(`/api/v1/photos/${report.photoId}?size=thumb`));
    const list = await as(who, t.http.get(`/api/v1/municipalities/${town.slug}/reports?limit=100`)).expect(200);
    const listed = (list.body.items as Array<{ id: string }>).some((r) => r.id === report.id);
    if (sees) {
      expect(detail.status).toBe(200);
      expect(detail.body.description).toBe(description);
      expect(timeline.status).toBe(200);
      expect(photo.status).toBe(200);
    } else {
      expect([detail.status, timeline.status, photo.status]).toEqual([404, 404, 404]);
      expect(detail.body.code).toBe('REPORT_NOT_FOUND');
      expect(timeline.body.code).toBe('REPORT_NOT_FOUND');
      expect(JSON.stringify([detail.body, timeline.body])).not.toContain(description);
    }
    return listed;
  }

  describe('a hidden report whose reporter is still there', () => {
    it.each([
      ['nobody signed in', () => undefined, false],
      ['a citizen who is not its reporter', () => citizen, false],
      ['staff of another town', () => otherStaff, false],
      ['an admin of another town', () => otherAdmin, false],
      ['its reporter', () => owner, true],
      ['staff of the town', () => staff, true],
      ['an admin of the town', () => admin, true],
    ])('as %s', async (_, who, sees) => {
      const listed = await expectSurfaces(who(), kept, sees, 'Hidden, reporter still here');
      // Lists show hidden reports to the town's staff only (the reporter finds theirs in "my reports").
      expect(listed).toBe(who() === staff || who() === admin);
    });

    it("is in its reporter's own list", async () => {
      const mine = await owner.auth(t.http.get('/api/v1/me/reports')).expect(200);
      expect(mine.body.items.map((r: { id: string }) => r.id)).toContain(kept.id);
    });

    it('keeps its comments from anyone but the moderators', async () => {
      await t.http.get(`/api/v1/reports/${kept.id}/comments`).expect(404);
      await citizen.auth(t.http.get(`/api/v1/reports/${kept.id}/comments`)).expect(404);
      await otherStaff.auth(t.http.get(`/api/v1/reports/${kept.id}/comments`)).expect(404);
      await staff.auth(t.http.get(`/api/v1/reports/${kept.id}/comments`)).expect(200);
    });
  });

  describe('a hidden report whose reporter erased their account', () => {
    it.each([
      ['nobody signed in', () => undefined, false],
      ['a citizen', () => citizen, false],
      ['staff of another town', () => otherStaff, false],
      ['an admin of another town', () => otherAdmin, false],
      ['staff of the town', () => staff, true],
      ['an admin of the town', () => admin, true],
    ])('as %s', async (_, who, sees) => {
      const listed = await expectSurfaces(who(), orphan, sees, 'Hidden, reporter erased');
      expect(listed).toBe(who() === staff || who() === admin);
    });

    it('is no longer open to the erased account, whose tokens stopped working', async () => {
      await leaver.auth(t.http.get(`/api/v1/reports/${orphan.id}`)).expect(401);
    });

    it('cannot be supported or followed by anyone outside the town staff', async () => {
      await citizen.auth(t.http.post(`/api/v1/reports/${orphan.id}/support`)).expect(404);
      await citizen.auth(t.http.put(`/api/v1/reports/${orphan.id}/follow`)).expect(404);
    });
  });
});

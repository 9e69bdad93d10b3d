import { DataSource } from 'typeorm';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plainPhoto } from '../fixtures/images';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near, ReportOverrides } from '../factories/report.factory';

type View = Record<string, unknown> & { id: string; version: number };
/** The parts of a view the coverage check reads. */
type ViewParts = View & {
  photos: unknown[];
  photoCount: number;
  duplicateOf: { number: string | null } | null;
  reporterName: string | null;
  isMine: boolean;
  supportedByMe: boolean;
  staff: {
    reporter: { name: string } | null;
    anonymous: boolean;
    assignee: { name: string | null } | null;
    dueAt: string | null;
    overdue: boolean;
    contact: { email: string | null } | null;
    hidden: boolean;
  };
};

/**
 * Pages of reports (list, nearby, triage queue, mine) are built by PostgreSQL, a single report
 * (and a live update) from the entity: both must give every audience the same view of the same
 * report. Each page item is compared with GET /reports/:id as the same person sees it, over
 * reports that use every part of the view.
 */
describe('reports: a page shows each report as its own page does', () => {
  let t: TestApp;
  let db: DataSource;
  let town: TestMunicipality;
  let staff: Session;
  let reporter: Session;
  let neighbour: Session;
  let erased: Session;
  let storageDir: string;
  /** Staff of the town where filings are made fresh, so they never change the counts above. */
  let freshStaff: Session;
  let freshReporter: Session;
  const ids: string[] = [];
  let fileFresh: (overrides: ReportOverrides, by: Session) => Promise<View>;

  beforeAll(async () => {
    storageDir = await mkdtemp(join(tmpdir(), 'civic-views-e2e-'));
    t = await createTestApp({ env: { STORAGE_DIR: storageDir } });
    db = t.app.get(DataSource);
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Vuesville' });
    const townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Vue' });
    reporter = await createSession(t.http, { displayName: 'Rémi Reporter' });
    neighbour = await createSession(t.http, { displayName: 'Nadia Neighbour' });
    erased = await createSession(t.http, { displayName: 'Soon Gone' });
    const category = await createCategory(t.http, townAdmin.accessToken, town.slug, {
      attributes: [{ code: 'depth', datatype: 'number', required: false, description: 'Depth in cm' }],
    });
    const file = async (overrides: ReportOverrides, by = reporter) => {
      const report = await createReport(t.http, by.accessToken, town, category.code, { location: near(town, 0.0005 * ids.length, 0), ...overrides });
      ids.push(report.id);
      return report;
    };

    await file({ attributes: { depth: 12 }, address: '1 rue de la Paix', showName: true });
    await file({ anonymous: true, description: 'Anonymous pothole' });
    const withPhoto = await file({ description: 'With a photo' });
    await reporter
      .auth(t.http.post(`/api/v1/reports/${withPhoto.id}/photos`))
      .attach('photo', await plainPhoto('jpeg', 64, 64), { filename: 'hole.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const supported = await file({ kind: 'suggestion', description: 'Benches please' });
    await neighbour.auth(t.http.post(`/api/v1/reports/${supported.id}/support`)).expect(200);
    const triaged = await file({ description: 'Assigned and due' });
    await staff
      .auth(t.http.patch(`/api/v1/reports/${triaged.id}/triage`))
      .send({ version: triaged.version, status: 'acknowledged', priority: 'high', assigneeId: staff.user.id, department: 'lighting', dueAt: '2030-01-02T03:04:05.678Z' })
      .expect(200);
    const duplicate = await file({ description: 'Same as the first' }, neighbour);
    await staff.auth(t.http.post(`/api/v1/reports/${duplicate.id}/merge`)).send({ intoId: ids[0], version: duplicate.version }).expect(200);
    const overdue = await file({ description: 'Long forgotten' });
    await db.query(`UPDATE reports SET acknowledge_due_at = now() - interval '1 day', contact_name = 'Olga', contact_email = 'olga@example.org' WHERE id = $1`, [overdue.id]);
    const hidden = await file({ description: 'Hidden by moderation' });
    await db.query(`UPDATE reports SET hidden_at = now() WHERE id = $1`, [hidden.id]);
    await file({ description: 'Filed by someone since erased' }, erased);
    // Filings of the last test go to a town and a reporter of their own: the page counts here
    // hold whatever order the tests run in.
    const freshTown = await createMunicipality(t.http, admin.accessToken, { name: 'Neufville' });
    const freshAdmin = await memberSession(t.http, admin.accessToken, freshTown.slug, ['admin']);
    freshStaff = await memberSession(t.http, admin.accessToken, freshTown.slug, ['staff'], { displayName: 'Agent Neuf' });
    freshReporter = await createSession(t.http, { displayName: 'Fanny Fresh' });
    const freshCategory = await createCategory(t.http, freshAdmin.accessToken, freshTown.slug, {
      attributes: [{ code: 'depth', datatype: 'number', required: false, description: 'Depth in cm' }],
    });
    fileFresh = (overrides, by) => createReport(t.http, by.accessToken, freshTown, freshCategory.code, overrides) as Promise<View>;
    await db.query(`UPDATE users SET deleted_at = now() WHERE id = $1`, [erased.user.id]);
  });
  afterAll(async () => {
    await t.close();
    await rm(storageDir, { recursive: true, force: true });
  });

  const get = async (path: string, who?: Session) => {
    const req = t.http.get(path);
    const res = await (who ? who.auth(req) : req).expect(200);
    return res.body as unknown;
  };
  const alone = (id: string, who?: Session) => get(`/api/v1/reports/${id}`, who) as Promise<View>;

  async function expectSameAsAlone(items: View[], who: Session | undefined, expected: number) {
    expect(items).toHaveLength(expected);
    for (const item of items) expect(item).toEqual(await alone(item.id, who));
  }

  it.each([
    ['nobody signed in', () => undefined, 8],
    ['the reporter', () => reporter, 8],
    ['a neighbour', () => neighbour, 8],
    ['staff', () => staff, 9],
  ])('in the public list, as %s', async (_, who, expected) => {
    const page = (await get(`/api/v1/municipalities/${town.slug}/reports?limit=50`, who())) as { items: View[] };
    await expectSameAsAlone(page.items, who(), expected);
  });

  it('in a bbox page and in nearby, as the reporter', async () => {
    const [lng, lat] = town.center;
    const box = `${lng - 0.01},${lat - 0.01},${lng + 0.01},${lat + 0.01}`;
    const page = (await get(`/api/v1/municipalities/${town.slug}/reports?bbox=${box}&limit=50`, reporter)) as { items: View[] };
    await expectSameAsAlone(page.items, reporter, 8);
    const nearby = (await get(`/api/v1/municipalities/${town.slug}/reports/nearby?lat=${lat}&lng=${lng}&radius=1000`, reporter)) as Array<View & { distance: number }>;
    await expectSameAsAlone(
      nearby.map(({ distance, ...view }) => {
        expect(typeof distance).toBe('number');
        return view as View;
      }),
      reporter,
      7, // open ones only: not the merged duplicate, nor the hidden one
    );
  });

  it('in the triage queue and in my reports', async () => {
    const queue = (await get(`/api/v1/municipalities/${town.slug}/triage?limit=50`, staff)) as { items: View[] };
    await expectSameAsAlone(queue.items, staff, 8);
    const mine = (await get('/api/v1/me/reports?limit=50', reporter)) as { items: View[] };
    await expectSameAsAlone(mine.items, reporter, 7);
  });

  it('answers a filing with the view its own page then shows (the filer’s, staff’s when staff file)', async () => {
    for (const [overrides, by] of [
      [{ attributes: { depth: 3 }, address: '2 rue Neuve', anonymous: true }, freshReporter],
      [{ kind: 'compliment', description: 'Thanks for the new benches' }, freshStaff],
    ] as Array<[ReportOverrides, Session]>) {
      const filed = await fileFresh(overrides, by);
      expect(filed).toEqual(await alone(filed.id, by));
    }
  });

  it('covers every part of the view', async () => {
    const staffList = ((await get(`/api/v1/municipalities/${town.slug}/reports?limit=50`, staff)) as { items: ViewParts[] }).items;
    const neighbourList = ((await get(`/api/v1/municipalities/${town.slug}/reports?limit=50`, neighbour)) as { items: ViewParts[] }).items;
    expect(staffList.some((v) => v.photos.length === 1 && v.photoCount === 1)).toBe(true);
    expect(staffList.some((v) => v.duplicateOf?.number)).toBe(true);
    expect(staffList.some((v) => v.staff.assignee?.name === 'Agent Vue' && v.staff.dueAt === '2030-01-02T03:04:05.678Z')).toBe(true);
    expect(staffList.some((v) => v.staff.overdue && v.staff.contact?.email === 'olga@example.org')).toBe(true);
    expect(staffList.some((v) => v.staff.hidden)).toBe(true);
    expect(staffList.some((v) => v.staff.anonymous && v.reporterName === null && v.staff.reporter?.name === 'Rémi Reporter')).toBe(true);
    expect(neighbourList.some((v) => v.reporterName === 'Rémi Reporter')).toBe(true);
    expect(staffList.some((v) => v.staff.reporter?.name === 'Deleted user' && v.reporterName === null)).toBe(true);
    expect(staffList.every((v) => 'attributes' in v)).toBe(true);
    expect(neighbourList.some((v) => v.supportedByMe)).toBe(true);
    expect(neighbourList.filter((v) => v.isMine).every((v) => 'attributes' in v)).toBe(true);
    expect(neighbourList.filter((v) => !v.isMine).some((v) => 'attributes' in v)).toBe(false);
  });
});

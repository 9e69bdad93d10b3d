import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';

/**
 * The public list pages by keyset on (created_at, id): reports that share one created_at (a bulk
 * import, a burst in one microsecond) must each appear exactly once, whatever the page size.
 */
describe('reports: keyset paging through reports that share a created_at', () => {
  let t: TestApp;
  let db: DataSource;
  let town: TestMunicipality;
  const tiedIds: string[] = [];
  let newerId: string;
  let olderId: string;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Tieville' });
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    const category = (await createCategory(t.http, admin.accessToken, town.slug)).code;
    const reporter = await createSession(t.http);
    const file = async (i: number) =>
      (await createReport(t.http, reporter.accessToken, town, category, { description: `Tied report number ${i} on the square`, location: near(town, i * 0.0008, i * 0.0005) })).id;
    for (let i = 0; i < 7; i++) tiedIds.push(await file(i));
    newerId = await file(7);
    olderId = await file(8);
    await db.query(`UPDATE reports SET created_at = '2026-03-01T10:00:00.123456Z' WHERE id = ANY($1::uuid[])`, [tiedIds]);
    await db.query(`UPDATE reports SET created_at = '2026-03-01T10:00:00.123457Z' WHERE id = $1`, [newerId]);
    await db.query(`UPDATE reports SET created_at = '2026-03-01T10:00:00.123455Z' WHERE id = $1`, [olderId]);
  });
  afterAll(() => t.close());

  async function pageThrough(limit: number): Promise<string[]> {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 20; pages++) {
      const url = `/api/v1/municipalities/${town.slug}/reports?limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
      const res = await t.http.get(url).expect(200);
      const items = res.body.items as Array<{ id: string }>;
      expect(items.length).toBeLessThanOrEqual(limit);
      seen.push(...items.map((r) => r.id));
      cursor = res.body.nextCursor as string | null;
      if (!cursor) return seen;
    }
    throw new Error('paging did not end after 20 pages');
  }

  it.each([1, 2, 3, 4])('lists every report exactly once, newest first and ties by id, with limit %i', async (limit) => {
    const seen = await pageThrough(limit);
    const tiesById = [...tiedIds].sort().reverse();
    expect(seen).toEqual([newerId, ...tiesById, olderId]);
  });

  it('checks the rows really share one created_at (the test would prove nothing otherwise)', async () => {
    const rows: Array<{ n: string }> = await db.query(`SELECT count(DISTINCT created_at)::text AS n FROM reports WHERE id = ANY($1::uuid[])`, [tiedIds]);
    expect(rows[0].n).toBe('1');
  });
});

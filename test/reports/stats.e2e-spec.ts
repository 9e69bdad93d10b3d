import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';

const HEADER = [
  'number',
  'id',
  'created_at',
  'kind',
  'category',
  'status',
  'priority',
  'department',
  'assignee',
  'address',
  'lat',
  'lng',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
  'support_count',
  'description',
];

/** RFC 4180, enough for our own output: quoted fields, doubled quotes, embedded commas and newlines. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n' || (c === '\r' && text[i + 1] === '\n')) {
      if (c === '\r') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += c;
  }
  if (field !== '' || row.length) rows.push([...row, field]);
  return rows;
}

const HOUR = 3600;

describe('reports: statistics and CSV export', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: Session;
  let otherStaff: Session;
  let citizen: Session;
  let lights: { id: string; code: string };
  let parks: { id: string; code: string };
  const reports: Array<{ id: string; number: string }> = [];

  /** Sets a report's status and times as if it had lived them (`at` in hours from its filing). */
  async function age(id: string, daysAgo: number, status: string, at: { ack?: number; resolve?: number; close?: number } = {}) {
    await db.query(
      `UPDATE reports SET created_at = now() - ($2 || ' days')::interval, status = $3,
         acknowledged_at = CASE WHEN $4::float IS NULL THEN NULL ELSE now() - ($2 || ' days')::interval + ($4 || ' hours')::interval END,
         resolved_at = CASE WHEN $5::float IS NULL THEN NULL ELSE now() - ($2 || ' days')::interval + ($5 || ' hours')::interval END,
         closed_at = CASE WHEN $6::float IS NULL THEN NULL ELSE now() - ($2 || ' days')::interval + ($6 || ' hours')::interval END
       WHERE id = $1`,
      [id, daysAgo, status, at.ack ?? null, at.resolve ?? null, at.close ?? null],
    );
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Statsville' });
    other = await createMunicipality(t.http, admin.accessToken, { name: 'Otherville' });
    const townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: '@Agent Zero' });
    otherStaff = await memberSession(t.http, admin.accessToken, other.slug, ['staff']);
    citizen = await createSession(t.http);
    lights = await createCategory(t.http, townAdmin.accessToken, town.slug, { code: `lights-${Date.now()}`, department: '=cmd|calc' });
    parks = await createCategory(t.http, townAdmin.accessToken, town.slug, { department: 'parks' });

    const file = async (kind: 'problem' | 'suggestion' | 'compliment', category: { code: string }, description: string, address?: string) =>
      reports.push(await createReport(t.http, citizen.accessToken, town, category.code, { kind, description, location: near(town, 0.001, -0.001), address }));
    await file('problem', lights, 'Lamp out on the square', '12, "Grand" Place');
    await file('problem', lights, '=HYPERLINK("http://evil.example","click me")');
    await file('problem', lights, 'Flickering lamp\nnear the school');
    await file('suggestion', parks, 'More benches in the park');
    await file('compliment', lights, '+1 for the quick fix');
    await file('problem', parks, 'Old report, long ago');

    // Times to acknowledge: 1 h, 2 h, 10 h (median 2 h); to resolve: 4 h, 6 h (median 5 h).
    await age(reports[0].id, 10, 'resolved', { ack: 1, resolve: 4 });
    await age(reports[1].id, 9, 'closed', { ack: 2, resolve: 6, close: 30 });
    await age(reports[2].id, 8, 'in_progress', { ack: 10 });
    await age(reports[3].id, 7, 'new');
    await age(reports[4].id, 6, 'new');
    await age(reports[5].id, 60, 'acknowledged', { ack: 100 });
    await db.query(`UPDATE reports SET assignee_id = $2 WHERE id = $1`, [reports[2].id, staff.user.id]);
  });
  afterAll(() => t.close());

  const stats = (s: Session, query: Record<string, string> = {}, slug = town.slug) => s.auth(t.http.get(`/api/v1/municipalities/${slug}/reports/stats`).query(query));
  const exportCsv = (s: Session, query: Record<string, string> = {}) => s.auth(t.http.get(`/api/v1/municipalities/${town.slug}/reports/export.csv`).query(query));

  describe('stats', () => {
    it('counts by status, category and kind and gives median times over the last 30 days', async () => {
      const res = await stats(staff).expect(200);
      expect(res.body).toMatchObject({
        total: 5,
        byStatus: { new: 2, acknowledged: 0, in_progress: 1, resolved: 1, closed: 1, rejected: 0, withdrawn: 0 },
        byKind: { problem: 3, suggestion: 1, compliment: 1 },
        byCategory: { [lights.code]: 4, [parks.code]: 1 },
        acknowledgedCount: 3,
        resolvedCount: 2,
        medianSecondsToAcknowledge: 2 * HOUR,
        medianSecondsToResolve: 5 * HOUR,
      });
      const span = new Date(res.body.to).getTime() - new Date(res.body.from).getTime();
      expect(span).toBe(30 * 24 * HOUR * 1000);
    });

    it('takes a [from, to) range', async () => {
      const from = new Date(Date.now() - 70 * 24 * HOUR * 1000).toISOString();
      const wide = await stats(staff, { from }).expect(200);
      expect(wide.body).toMatchObject({ total: 6, byStatus: { acknowledged: 1 }, byCategory: { [parks.code]: 2 } });
      expect(wide.body.medianSecondsToAcknowledge).toBe(6 * HOUR); // 1, 2, 10, 100 h

      const narrow = await stats(staff, { from: new Date(Date.now() - 8.5 * 24 * HOUR * 1000).toISOString(), to: new Date(Date.now() - 6.5 * 24 * HOUR * 1000).toISOString() }).expect(200);
      expect(narrow.body).toMatchObject({ total: 2, medianSecondsToResolve: null, medianSecondsToAcknowledge: 10 * HOUR });
    });

    it('refuses a bad range', async () => {
      await stats(staff, { from: '2026-02-01', to: '2026-01-01' }).expect(400);
      await stats(staff, { from: '2020-01-01', to: '2026-01-01' }).expect(400);
      await stats(staff, { from: 'yesterday' }).expect(400);
    });

    it("is for the municipality's staff only", async () => {
      await stats(citizen).expect(403);
      await stats(otherStaff).expect(403);
      await t.http.get(`/api/v1/municipalities/${town.slug}/reports/stats`).expect(401);
      await stats(admin).expect(200);
    });

    it('leaves the public route next to it (nearby) alone', async () => {
      // reports/nearby and reports/:id-like routes must not shadow stats or export.csv.
      const nearby = await t.http.get(`/api/v1/municipalities/${town.slug}/reports/nearby`).query(near(town)).expect(200);
      expect(Array.isArray(nearby.body)).toBe(true);
    });
  });

  describe('CSV export', () => {
    it('streams a header and one row per report, oldest first, as an attachment', async () => {
      const res = await exportCsv(staff).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/csv/);
      expect(res.headers['content-disposition']).toMatch(new RegExp(`^attachment; filename="reports-${town.slug}-\\d{4}-\\d{2}-\\d{2}-\\d{4}-\\d{2}-\\d{2}\\.csv"$`));
      const rows = parseCsv(res.text);
      expect(rows[0]).toEqual(HEADER);
      const data = rows.slice(1);
      expect(data.map((r) => r[1])).toEqual([0, 1, 2, 3, 4].map((i) => reports[i].id));
      const byId = new Map(data.map((r) => [r[1], Object.fromEntries(HEADER.map((h, i) => [h, r[i]]))]));

      const first = byId.get(reports[0].id)!;
      expect(first).toMatchObject({ number: reports[0].number, kind: 'problem', category: lights.code, status: 'resolved', priority: 'normal', address: '12, "Grand" Place', support_count: '0' });
      expect(new Date(first.resolved_at).getTime() - new Date(first.created_at).getTime()).toBe(4 * HOUR * 1000);
      expect(Number(first.lat)).toBeCloseTo(near(town, 0.001, -0.001).lat, 6);
      // Numbers are numbers: a negative coordinate is never mistaken for a formula.
      expect(first.lat).not.toMatch(/^'/);
      expect(first.lng).not.toMatch(/^'/);

      // Formula-looking text is neutralised, wherever it comes from.
      expect(byId.get(reports[1].id)!.description).toBe(`'=HYPERLINK("http://evil.example","click me")`);
      expect(byId.get(reports[4].id)!.description).toBe(`'+1 for the quick fix`);
      expect(first.department).toBe(`'=cmd|calc`);
      expect(byId.get(reports[2].id)).toMatchObject({ assignee: `'@Agent Zero`, description: 'Flickering lamp\nnear the school' });
    });

    it('filters by status and range', async () => {
      const res = await exportCsv(staff, { status: 'closed,acknowledged', from: new Date(Date.now() - 70 * 24 * HOUR * 1000).toISOString() }).expect(200);
      const rows = parseCsv(res.text);
      expect(rows.slice(1).map((r) => r[1])).toEqual([reports[5].id, reports[1].id]);
      await exportCsv(staff, { status: 'open' }).expect(400);
    });

    it('pages through many reports without holding them, none twice', async () => {
      const big = await createMunicipality(t.http, admin.accessToken, { name: 'Bigtown' });
      const bigAdmin = await memberSession(t.http, admin.accessToken, big.slug, ['admin']);
      const cat = await createCategory(t.http, bigAdmin.accessToken, big.slug);
      const [{ id: categoryId }] = await db.query(`SELECT id FROM report_categories WHERE municipality_id = $1 AND code = $2`, [big.id, cat.code]);
      // Some share a creation instant, so the keyset's id tie-break is exercised too.
      await db.query(
        `INSERT INTO reports (municipality_id, kind, category_id, category_code, description, lat, lng, location, created_at)
         SELECT $1, 'problem', $2, $3, 'Bulk report ' || g, $5, $4, point($4, $5), now() - ((g / 3) || ' seconds')::interval
         FROM generate_series(1, 2500) g`,
        [big.id, categoryId, cat.code, big.center[0], big.center[1]],
      );
      const res = await bigAdmin.auth(t.http.get(`/api/v1/municipalities/${big.slug}/reports/export.csv`)).expect(200);
      const rows = parseCsv(res.text).slice(1);
      expect(rows).toHaveLength(2500);
      expect(new Set(rows.map((r) => r[1])).size).toBe(2500);
      const times = rows.map((r) => new Date(r[2]).getTime());
      expect(times).toEqual([...times].sort((a, b) => a - b));
    });

    it('is refused to citizens and to other municipalities, in JSON', async () => {
      const res = await exportCsv(citizen).expect(403);
      expect(res.body).toMatchObject({ statusCode: 403, code: 'FORBIDDEN' });
      await otherStaff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/reports/export.csv`)).expect(403);
    });
  });
});

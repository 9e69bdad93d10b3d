import { randomUUID } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

const REPORT_COLUMNS = [
  'number',
  'id',
  'created_at',
  'kind',
  'category_code',
  'category',
  'status',
  'acknowledged_at',
  'resolved_at',
  'closed_at',
  'support_count',
  'photo_count',
  'lng',
  'lat',
];

/** RFC 4180, enough for the files under test: quoted fields, doubled quotes, CRLF. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = () => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') endField();
    else if (c === '\n') {
      endField();
      rows.push(row);
      row = [];
    } else if (c !== '\r') field += c;
  }
  if (field !== '' || row.length) {
    endField();
    rows.push(row);
  }
  return rows;
}

const raw = (req: import('supertest').Test) =>
  req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });

describe('open data: a town’s catalogue, CSV and GeoJSON', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: Session;
  const visible: string[] = [];
  let hiddenId: string;
  const SECRET = `Secret-${randomUUID()}`;

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Issy-les-Données' });
    other = await createMunicipality(t.http, admin.accessToken, { name: 'Ailleurs' });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    const category = await createCategory(t.http, admin.accessToken, town.slug);
    await db.query(`UPDATE report_categories SET name = $2 WHERE id = $1`, [category.id, { fr: 'Éclairage public — rue', en: 'Street lights' }]);
    const otherCategory = await createCategory(t.http, admin.accessToken, other.slug);

    const reporter = await createSession(t.http, { displayName: `Rita ${SECRET}` });
    for (let i = 0; i < 3; i++) {
      const r = await createReport(t.http, reporter.accessToken, town, category.code, { description: `=HYPERLINK("x") ${SECRET} call 06 12 34 56 78`, address: `12 rue ${SECRET}` });
      visible.push(r.id);
    }
    const acknowledged = await staff
      .auth(t.http.patch(`/api/v1/reports/${visible[0]}/triage`))
      .set('If-Match', '"1"')
      .send({ status: 'acknowledged' });
    expect(acknowledged.status).toBe(200);
    const hidden = await createReport(t.http, reporter.accessToken, town, category.code, { description: `Hidden ${SECRET}` });
    hiddenId = hidden.id;
    const neighbour = await createSession(t.http);
    const flag = await neighbour.auth(t.http.post(`/api/v1/reports/${hiddenId}/flags`)).send({ reason: 'abusive' }).expect(201);
    await staff.auth(t.http.post(`/api/v1/flags/${flag.body.id}/resolve`)).send({ decision: 'upheld' }).expect(200);
    await createReport(t.http, reporter.accessToken, other, otherCategory.code);
  });

  afterAll(async () => {
    await t.close();
  });

  const base = () => `/api/v1/municipalities/${town.slug}/open-data`;

  it('lists the datasets with licence, bilingual description, update date and download URLs', async () => {
    const res = await t.http.get(base()).expect(200);
    expect(res.headers['cache-control']).toMatch(/^public/);
    expect(res.body.municipality).toEqual({ slug: town.slug, name: 'Issy-les-Données' });
    expect(res.body.licence).toEqual({ name: 'Licence Ouverte 2.0', url: 'https://www.etalab.gouv.fr/licence-ouverte-open-licence/' });
    const byId = Object.fromEntries(res.body.datasets.map((d: { id: string }) => [d.id, d]));
    expect(Object.keys(byId)).toEqual(expect.arrayContaining(['reports', 'reports-monthly']));
    const reports = byId.reports;
    expect(reports).toMatchObject({
      licence: res.body.licence,
      publisher: 'Issy-les-Données',
      title: { fr: expect.any(String), en: expect.any(String) },
      description: { fr: expect.stringContaining('personnelles'), en: expect.stringContaining('personal') },
    });
    expect(new Date(reports.updatedAt).getTime()).toBeGreaterThan(Date.now() - 120_000);
    expect(reports.fields.map((f: { name: string }) => f.name)).toEqual(REPORT_COLUMNS);
    expect(reports.distributions).toEqual([
      { format: 'csv', mediaType: 'text/csv; charset=utf-8', url: `${t.config.publicUrl}${base()}/reports.csv` },
      { format: 'geojson', mediaType: 'application/geo+json', url: `${t.config.publicUrl}${base()}/reports.geojson` },
    ]);
    expect(byId['reports-monthly'].distributions.map((d: { format: string }) => d.format)).toEqual(['csv']);
    // No data yet: no update date.
    const empty = await createMunicipality(t.http, admin.accessToken, { name: 'Vide' });
    const none = await t.http.get(`/api/v1/municipalities/${empty.slug}/open-data`).expect(200);
    expect(none.body.datasets.find((d: { id: string }) => d.id === 'reports').updatedAt).toBeNull();
  });

  it('serves reports as CSV: UTF-8 with a BOM, the documented columns, public reports of this town only', async () => {
    const res: Response = await raw(t.http.get(`${base()}/reports.csv`)).expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="reports-${town.slug}.csv"`);
    const bytes = res.body as Buffer;
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(REPORT_COLUMNS);
    expect(rows.map((r) => r[1]).sort()).toEqual([...visible].sort());
    for (const row of rows) {
      expect(row).toHaveLength(REPORT_COLUMNS.length);
      expect(row[5]).toBe('Éclairage public — rue');
      expect(Number(row[12])).toBeCloseTo(town.center[0], 1);
    }
    expect(rows.find((r) => r[1] === visible[0])![6]).toBe('acknowledged');
    // No personal data, no free text, nothing hidden.
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain('06 12 34 56 78');
    expect(text).not.toContain('HYPERLINK');
    expect(text).not.toContain(hiddenId);
    expect(text).not.toMatch(/@/);
  });

  it('serves reports as a valid GeoJSON FeatureCollection without personal data', async () => {
    const res: Response = await raw(t.http.get(`${base()}/reports.geojson`)).expect(200);
    expect(res.headers['content-type']).toBe('application/geo+json');
    const text = (res.body as Buffer).toString('utf8');
    const doc = JSON.parse(text);
    expect(doc.type).toBe('FeatureCollection');
    expect(doc.features).toHaveLength(visible.length);
    for (const f of doc.features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('Point');
      const [lng, lat] = f.geometry.coordinates;
      expect(lng).toBeGreaterThanOrEqual(-180);
      expect(lng).toBeLessThanOrEqual(180);
      expect(lat).toBeGreaterThanOrEqual(-90);
      expect(lat).toBeLessThanOrEqual(90);
      expect(lng).toBeCloseTo(town.center[0], 1);
      expect(Object.keys(f.properties).sort()).toEqual(REPORT_COLUMNS.filter((c) => c !== 'lng' && c !== 'lat').sort());
    }
    expect(doc.features.map((f: { properties: { id: string } }) => f.properties.id).sort()).toEqual([...visible].sort());
    expect(text).not.toContain(SECRET);
    expect(text).not.toContain(hiddenId);
  });

  it('serves monthly figures per category as CSV', async () => {
    const res: Response = await raw(t.http.get(`${base()}/reports-monthly.csv`)).expect(200);
    const [header, ...rows] = parseCsv((res.body as Buffer).subarray(3).toString('utf8'));
    expect(header).toEqual(['month', 'category_code', 'category', 'filed', 'acknowledged', 'resolved', 'median_hours_to_resolve']);
    expect(rows).toHaveLength(1);
    expect(rows[0][0]).toMatch(/^\d{4}-\d{2}$/);
    expect(rows[0].slice(2, 6)).toEqual(['Éclairage public — rue', '3', '1', '0']);
    expect(rows[0][6]).toBe('');
  });

  it('pages through a big town without losing or repeating a report', async () => {
    const big = await createMunicipality(t.http, admin.accessToken, { name: 'Grandeville' });
    const category = await createCategory(t.http, admin.accessToken, big.slug);
    const [{ id: categoryId }] = await db.query(`SELECT id FROM report_categories WHERE municipality_id = $1`, [big.id]);
    // 2,500 reports, most created in the same instant: the keyset must break ties by id.
    await db.query(
      `INSERT INTO reports (municipality_id, kind, category_id, category_code, status, description, lat, lng, location, created_at)
       SELECT $1, 'problem', $2, $3, 'new', 'Bulk ' || g, $5::float8, $4::float8, point($4::float8, $5::float8), now() - (g % 3) * interval '1 second'
         FROM generate_series(1, 2500) g`,
      [big.id, categoryId, category.code, big.center[0], big.center[1]],
    );
    const res: Response = await raw(t.http.get(`/api/v1/municipalities/${big.slug}/open-data/reports.csv`)).expect(200);
    const [, ...rows] = parseCsv((res.body as Buffer).subarray(3).toString('utf8'));
    expect(rows).toHaveLength(2500);
    expect(new Set(rows.map((r) => r[1])).size).toBe(2500);
    const geo = JSON.parse(((await raw(t.http.get(`/api/v1/municipalities/${big.slug}/open-data/reports.geojson`)).expect(200)).body as Buffer).toString('utf8'));
    expect(geo.features).toHaveLength(2500);
  });

  it('answers 404 for an unknown municipality, dataset or format', async () => {
    const unknownTown = await t.http.get('/api/v1/municipalities/no-such-town/open-data').expect(404);
    expect(unknownTown.body.code).toBe('MUNICIPALITY_NOT_FOUND');
    await t.http.get('/api/v1/municipalities/no-such-town/open-data/reports.csv').expect(404);
    expect((await t.http.get(`${base()}/nothing.csv`).expect(404)).body.code).toBe('DATASET_NOT_FOUND');
    await t.http.get(`${base()}/reports.xlsx`).expect(404);
    await t.http.get(`${base()}/reports`).expect(404);
    await t.http.get(`${base()}/reports-monthly.geojson`).expect(404);
  });
});

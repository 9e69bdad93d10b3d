import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near, ReportOverrides } from '../factories/report.factory';

/**
 * A reporter's name is public only when they chose it at filing (showName); the town's staff
 * always see it. Every public surface is checked: the list, a report's page, its timeline,
 * GeoJSON, Open311 (JSON and XML) and the reporter's comments on their own report.
 */
describe('reports: whose name the public sees', () => {
  let t: TestApp;
  let town: TestMunicipality;
  let staff: Session;
  let otherStaff: Session;
  let category: string;

  beforeAll(async () => {
    t = await createTestApp();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Nomville' });
    const elsewhere = await createMunicipality(t.http, platform.accessToken, { name: 'Autreville' });
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    otherStaff = await memberSession(t.http, platform.accessToken, elsewhere.slug, ['staff']);
    category = (await createCategory(t.http, admin.accessToken, town.slug)).code;
  });
  afterAll(() => t.close());

  /** A fresh reporter files one report (with `overrides`) and comments on it. */
  async function filed(displayName: string, overrides: ReportOverrides) {
    const reporter = await createSession(t.http, { displayName });
    const report = await createReport(t.http, reporter.accessToken, town, category, { location: near(town, Math.random() / 200, Math.random() / 200), ...overrides });
    await reporter.auth(t.http.post(`/api/v1/reports/${report.id}/comments`)).send({ body: 'Still there this morning' }).expect(201);
    return { reporter, report };
  }

  /** Every surface where a report shows, as `who` sees it, joined into one text. */
  async function surfaces(reportId: string, number: string, who?: Session): Promise<Record<string, string>> {
    const as = (req: ReturnType<TestApp['http']['get']>) => (who ? who.auth(req) : req);
    const list = await as(t.http.get(`/api/v1/municipalities/${town.slug}/reports?limit=200`)).expect(200);
    const geo = await as(t.http.get(`/api/v1/municipalities/${town.slug}/reports?limit=200&format=geojson`)).expect(200);
    const detail = await as(t.http.get(`/api/v1/reports/${reportId}`)).expect(200);
    const timeline = await as(t.http.get(`/api/v1/reports/${reportId}/timeline`)).expect(200);
    const comments = await as(t.http.get(`/api/v1/reports/${reportId}/comments`)).expect(200);
    const open311Json = await t.http.get(`/open311/v2/requests/${number}.json?jurisdiction_id=${town.slug}`).expect(200);
    const open311Xml = await t.http.get(`/open311/v2/requests/${number}.xml?jurisdiction_id=${town.slug}`).expect(200);
    return {
      list: JSON.stringify(list.body.items.find((r: { id: string }) => r.id === reportId)),
      geojson: JSON.stringify(geo.body.features.find((f: { id: string }) => f.id === reportId)),
      detail: JSON.stringify(detail.body),
      timeline: JSON.stringify(timeline.body),
      comments: JSON.stringify(comments.body),
      open311Json: JSON.stringify(open311Json.body),
      open311Xml: open311Xml.text,
    };
  }

  it('does not show the name by default: not in any public surface, nor to staff of another town', async () => {
    const { reporter, report } = await filed('Dana Default', {});
    for (const who of [undefined, await createSession(t.http), otherStaff]) {
      const seen = await surfaces(report.id, report.number, who);
      for (const [surface, text] of Object.entries(seen)) {
        expect({ surface, leaks: text.includes('Dana Default') }).toEqual({ surface, leaks: false });
        expect({ surface, leaks: text.includes(reporter.user.email) }).toEqual({ surface, leaks: false });
      }
      expect(JSON.parse(seen.detail).reporterName).toBeNull();
      expect(JSON.parse(seen.comments).items[0].author).toBeNull();
    }
  });

  it("always shows it to the town's staff", async () => {
    const { reporter, report } = await filed('Sam Staffseen', {});
    const seen = await surfaces(report.id, report.number, staff);
    const detail = JSON.parse(seen.detail);
    expect(detail.reporterName).toBeNull();
    expect(detail.staff.reporter).toEqual({ id: reporter.user.id, name: 'Sam Staffseen', email: reporter.user.email });
    expect(JSON.parse(seen.list).staff.reporter.name).toBe('Sam Staffseen');
    expect(JSON.parse(seen.geojson).properties.staff.reporter.name).toBe('Sam Staffseen');
    expect(JSON.parse(seen.timeline)[0].authorName).toBe('Sam Staffseen');
    expect(JSON.parse(seen.comments).items[0].author).toEqual({ id: reporter.user.id, displayName: 'Sam Staffseen' });
  });

  it('shows it publicly when the reporter chose to (showName: true)', async () => {
    const { reporter, report } = await filed('Pat Public', { showName: true });
    const seen = await surfaces(report.id, report.number);
    expect(JSON.parse(seen.detail).reporterName).toBe('Pat Public');
    expect(JSON.parse(seen.list).reporterName).toBe('Pat Public');
    expect(JSON.parse(seen.geojson).properties.reporterName).toBe('Pat Public');
    expect(JSON.parse(seen.timeline)[0]).toMatchObject({ by: 'reporter', authorName: 'Pat Public' });
    expect(JSON.parse(seen.comments).items[0].author).toEqual({ id: reporter.user.id, displayName: 'Pat Public' });
    // Open311 never carries a reporter's name, chosen or not.
    expect(seen.open311Json).not.toContain('Pat Public');
    expect(seen.open311Xml).not.toContain('Pat Public');
  });

  it('keeps hiding the name when a client still sends the old anonymous: true, even beside showName', async () => {
    const { report } = await filed('Old Client', { anonymous: true, showName: true });
    const seen = await surfaces(report.id, report.number);
    expect(JSON.parse(seen.detail).reporterName).toBeNull();
    expect(Object.values(seen).some((text) => text.includes('Old Client'))).toBe(false);
  });

  it("keeps other people's comments named: only the unnamed reporter's own are unnamed", async () => {
    const { report } = await filed('Shy Reporter', {});
    const neighbour = await createSession(t.http, { displayName: 'Nina Neighbour' });
    await neighbour.auth(t.http.post(`/api/v1/reports/${report.id}/comments`)).send({ body: 'Me too' }).expect(201);
    const comments = (await t.http.get(`/api/v1/reports/${report.id}/comments`).expect(200)).body.items as Array<{ author: unknown }>;
    expect(comments.map((c) => c.author)).toEqual([null, { id: neighbour.user.id, displayName: 'Nina Neighbour' }]);
  });
});

import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near, ReportOverrides } from '../factories/report.factory';

interface TimelineEntry {
  type: string;
  by: 'city' | 'system' | 'reporter' | 'citizen';
  authorName: string | null;
}

/**
 * The reporter's own lines on a report's public timeline carry their name only when they chose to
 * show it at filing (showName); by default (anonymous) neither an anonymous visitor nor another
 * citizen reads it there. Checked both ways, so a timeline that ignores the choice fails.
 */
describe("reports: the reporter's name on the public timeline", () => {
  let t: TestApp;
  let town: TestMunicipality;
  let category: string;
  let citizen: Session;

  beforeAll(async () => {
    t = await createTestApp();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Timeville' });
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    category = (await createCategory(t.http, admin.accessToken, town.slug)).code;
    citizen = await createSession(t.http, { displayName: 'Curious Neighbour' });
  });
  afterAll(() => t.close());

  async function filed(displayName: string, overrides: ReportOverrides) {
    const reporter = await createSession(t.http, { displayName });
    const report = await createReport(t.http, reporter.accessToken, town, category, { location: near(town, Math.random() / 200, Math.random() / 200), ...overrides });
    return report.id;
  }

  /** The reporter's own entries on the timeline as `who` (anonymous when undefined) sees them. */
  async function reporterEntries(reportId: string, who?: Session): Promise<TimelineEntry[]> {
    const req = t.http.get(`/api/v1/reports/${reportId}/timeline`);
    const res = await (who ? who.auth(req) : req).expect(200);
    const entries = (res.body as TimelineEntry[]).filter((e) => e.by === 'reporter');
    // The filing itself is the reporter's line: without it this test would check nothing.
    expect(entries.map((e) => e.type)).toContain('created');
    return entries;
  }

  it('hides the name of a reporter who filed without showName, from anonymous visitors and citizens', async () => {
    const reportId = await filed('Avery Anonymous', {});
    for (const who of [undefined, citizen]) {
      const entries = await reporterEntries(reportId, who);
      expect(entries.map((e) => e.authorName)).toEqual(entries.map(() => null));
    }
  });

  it('hides it too when the reporter asked for showName but also anonymous', async () => {
    const reportId = await filed('Blair Both', { showName: true, anonymous: true });
    for (const who of [undefined, citizen]) {
      const entries = await reporterEntries(reportId, who);
      expect(entries.map((e) => e.authorName)).toEqual(entries.map(() => null));
    }
  });

  it('shows the name of a reporter who filed with showName: true, to anonymous visitors and citizens', async () => {
    const reportId = await filed('Nico Named', { showName: true });
    for (const who of [undefined, citizen]) {
      const entries = await reporterEntries(reportId, who);
      expect(entries.map((e) => e.authorName)).toEqual(entries.map(() => 'Nico Named'));
    }
  });
});

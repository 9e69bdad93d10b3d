import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';
import { eventually } from '../notifications/notification-fixtures';
import { LiveClient } from '../realtime/live-client';
import { Browser, downloadedText, DESKTOP, ensureWebBuild, expectAccessible, launchChromium, openContext, Page, screenshot } from './browser';

/**
 * The triage board's later tools in Chromium (desktop): assigning a report, the service-level
 * countdown, merging a duplicate, a bulk change (and a stale one refused whole), then the
 * statistics with their charts and the CSV export — each checked through the API.
 */
jest.setTimeout(240_000);

describe('Web app: triage tools (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let staff: Session;
  let colleague: Session;
  let admin: Session;
  const reports: Array<{ id: string; number: string }> = [];

  beforeAll(async () => {
    ensureWebBuild();
    t = await createTestApp({ listen: true, env: { MAP_TILE_URL: 'none' } });
    browser = await launchChromium();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Outilville' });
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Alpha' });
    colleague = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Beta' });
    const category = (await createCategory(t.http, admin.accessToken, town.slug, { serviceLevels: { normal: { acknowledgeWithin: { amount: 1, unit: 'days' }, resolveWithin: { amount: 5, unit: 'days' } } } })).code;
    const resident = await createSession(t.http);
    for (const [i, description] of ['Nid de poule rue A', 'Le même nid de poule rue A', 'Trottoir abîmé rue B'].entries()) {
      reports.push(await createReport(t.http, resident.accessToken, town, category, { description, location: near(town, i * 0.001, 0) }));
    }
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const fetchReport = async (id: string) => (await staff.auth(t.http.get(`/api/v1/reports/${id}`)).expect(200)).body;
  const row = (page: Page, id: string) => page.getByTestId('triage-queue').locator(`li[data-report-id="${id}"]`);

  it('assigns, merges a duplicate, changes several at once, and shows the statistics and the export', async () => {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(staff.user.email);
    await page.getByLabel('Password').fill(staff.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your town' }).waitFor();
    await page.goto(`/triage/${town.slug}`);
    await page.getByTestId('live').waitFor();
    const [first, duplicate, third] = reports;

    // Assignment, with the countdown to the report's deadline in view.
    await row(page, first.id).getByRole('button').click();
    const panel = page.getByTestId('triage-panel');
    await panel.getByTestId('sla-countdown').waitFor();
    expect(await panel.getByTestId('sla-countdown').textContent()).toMatch(/ (left|late)$/);
    await panel.getByLabel('Assigned to').selectOption({ label: 'Agent Beta' });
    await panel.getByRole('button', { name: 'Save', exact: true }).click();
    await panel.getByTestId('triage-ok').waitFor();
    expect((await fetchReport(first.id)).staff.assignee).toMatchObject({ id: colleague.user.id, name: 'Agent Beta' });
    await expectAccessible(page, 'board with a report assigned');

    // Merging the duplicate into the first report.
    await row(page, duplicate.id).getByRole('button').click();
    await panel.getByRole('heading', { name: new RegExp(duplicate.number) }).waitFor();
    await panel.getByLabel('This report duplicates').selectOption({ value: first.id });
    await panel.getByRole('button', { name: 'Merge into it' }).click();
    await panel.getByText(`Merged into ${first.number}`).waitFor();
    const merged = await fetchReport(duplicate.id);
    expect(merged.status).toBe('rejected');
    expect(merged.duplicateOf).toMatchObject({ id: first.id });

    // A bulk change: two reports to high priority at once.
    await page.getByLabel(`Select report ${first.number}`).check();
    await page.getByLabel(`Select report ${third.number}`).check();
    const bulk = page.getByTestId('bulk-bar');
    await bulk.getByText('2 selected').waitFor();
    await bulk.getByLabel('Priority').selectOption({ value: 'high' });
    await expectAccessible(page, 'bulk bar');
    await screenshot(page, 'desktop-triage-bulk');
    await bulk.getByRole('button', { name: 'Apply to 2' }).click();
    await page.getByTestId('bulk-message').getByText('2 report(s) changed.').waitFor();
    expect((await fetchReport(first.id)).staff.priority).toBe('high');
    expect((await fetchReport(third.id)).staff.priority).toBe('high');

    // A colleague acknowledges one meanwhile. This suite runs no worker, so no live event tells the
    // board: it still shows the old version, and the lot is refused whole (nothing half-applied).
    const seen = await fetchReport(third.id);
    await colleague.auth(t.http.patch(`/api/v1/reports/${third.id}/triage`)).send({ version: seen.version, status: 'acknowledged' }).expect(200);
    await page.getByLabel(`Select report ${first.number}`).check();
    await page.getByLabel(`Select report ${third.number}`).check();
    await bulk.getByLabel('Priority').selectOption({ value: 'urgent' });
    await bulk.getByRole('button', { name: 'Apply to 2' }).click();
    await page.getByTestId('bulk-message').getByText('A selected report changed meanwhile: nothing was applied. Reload and try again.').waitFor();
    expect([(await fetchReport(first.id)).staff.priority, (await fetchReport(third.id)).staff.priority]).toEqual(['high', 'high']);
    // Reloaded, the same change goes through, on top of the colleague's.
    await page.reload();
    await row(page, third.id).locator('[data-status="acknowledged"]').waitFor();
    await page.getByLabel(`Select report ${first.number}`).check();
    await page.getByLabel(`Select report ${third.number}`).check();
    await bulk.getByLabel('Priority').selectOption({ value: 'urgent' });
    await bulk.getByRole('button', { name: 'Apply to 2' }).click();
    await page.getByTestId('bulk-message').getByText('2 report(s) changed.').waitFor();
    expect([(await fetchReport(first.id)).staff.priority, (await fetchReport(third.id)).staff.priority]).toEqual(['urgent', 'urgent']);
    expect((await fetchReport(third.id)).status).toBe('acknowledged');

    // The queue's other filters: the API's text search, then the unassigned ones.
    // Read in one go: the queue re-renders as the filter's answer arrives, so a row counted
    // one moment may be gone the next (nth(i) would then wait for it).
    const queueIds = async () =>
      (await page.getByTestId('triage-queue').locator('li').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-report-id') ?? '')))
        .sort()
        .join(',');
    const queueShows = (ids: string[]) => eventually(async () => (await queueIds()) === [...ids].sort().join(','), `the queue to show ${ids.join(', ')}`);
    const filters = page.getByRole('form', { name: 'Filters' });
    await filters.getByLabel('Search (words, #number)').fill('trottoir');
    await filters.getByRole('button', { name: 'Search' }).click();
    await queueShows([third.id]);
    await filters.getByLabel('Search (words, #number)').fill('');
    await filters.getByRole('button', { name: 'Search' }).click();
    await queueShows([first.id, third.id]);
    await filters.getByLabel('Assigned to').selectOption({ label: 'Nobody' });
    await queueShows([third.id]);
    await expectAccessible(page, 'filtered queue');

    // Statistics: the figures and charts for the last 30 days, in French, then the CSV export.
    await page.getByRole('link', { name: 'Statistics and export' }).click();
    await page.getByRole('heading', { name: 'Reports: statistics' }).waitFor();
    await page.getByLabel('Language').selectOption('fr');
    await page.getByRole('heading', { name: 'Signalements : statistiques' }).waitFor();
    const figures = page.getByTestId('stats-figures');
    await figures.getByText('Signalements', { exact: true }).waitFor();
    expect(await figures.locator('dd').first().textContent()).toBe('3');
    await page.getByTestId('chart-status').locator('rect').first().waitFor();
    await expect(page.getByTestId('chart-status').locator('table th', { hasText: 'Rejeté' }).count()).resolves.toBe(1);
    await expectAccessible(page, 'statistics');
    await screenshot(page, 'desktop-triage-stats');
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Exporter en CSV' }).click()]);
    const csv = await downloadedText(download);
    for (const r of reports) expect(csv).toContain(r.number);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('re-categorises a report, sets its department, and says whose claim refused this board its own', async () => {
    const lighting = await createCategory(t.http, admin.accessToken, town.slug, { code: 'eclairage', department: 'lighting' });
    const resident = await createSession(t.http);
    const roads = (await fetchReport(reports[0].id)).category.code;
    const report = await createReport(t.http, resident.accessToken, town, roads, { description: 'Lampadaire éteint place C', location: near(town, 0.003, 0) });
    expect((await fetchReport(report.id)).staff.department).toBe('roads');
    // A colleague's board claims it first.
    const beta = await LiveClient.connect(t.url!, colleague.accessToken);
    try {
      await beta.mustSubscribe(`municipality:${town.slug}:triage`);
      const claimed = await beta.request('claim', { reportId: report.id, topic: `municipality:${town.slug}:triage` });
      expect(claimed.ok).toBe(true);

      const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
      const page = await context.newPage();
      await page.goto('/sign-in');
      await page.getByLabel('Email').fill(staff.user.email);
      await page.getByLabel('Password').fill(staff.user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Choose your town' }).waitFor();
      await page.goto(`/triage/${town.slug}`);
      await page.getByTestId('live').waitFor();
      await row(page, report.id).getByRole('button').click();
      const panel = page.getByTestId('triage-panel');
      await panel.getByTestId('claim-refused').getByText('Agent Beta is on it (your claim was refused): a change of yours may cross theirs.').waitFor();
      await expectAccessible(page, 'a refused claim');

      // Re-categorised: the new category's department follows (set by the API).
      await panel.getByLabel('Category').selectOption({ value: lighting.code });
      await panel.getByRole('button', { name: 'Save', exact: true }).click();
      await panel.getByTestId('triage-ok').waitFor();
      expect(await fetchReport(report.id)).toMatchObject({ category: { code: lighting.code }, staff: { department: 'lighting' } });
      await expect(panel.getByLabel('Department').inputValue()).resolves.toBe('lighting');
      // A department typed by hand.
      await panel.getByLabel('Department').fill('Voirie nord');
      await panel.getByRole('button', { name: 'Save', exact: true }).click();
      await eventually(async () => (await fetchReport(report.id)).staff.department === 'Voirie nord', 'the department to be saved');
      await expectAccessible(page, 'department and category changed');

      // The colleague lets go: the notice goes.
      await beta.request('release', { reportId: report.id, topic: `municipality:${town.slug}:triage` });
      await panel.getByTestId('claim-refused').waitFor({ state: 'detached' });
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      beta.socket.close();
    }
  });
});

import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';
import { isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { Browser, chooseTownOnDevice, DESKTOP, ensureWebBuild, expectAccessible, launchChromium, openContext, Page, screenshot } from './browser';

/**
 * The board's statistics, live (Chromium, desktop): while the period reaches today, a report
 * filed by a resident and a status changed by a colleague move the counts by status and by
 * category on the open page, through the board's own topic (`municipality:{slug}:triage`, relayed
 * by the worker). A period that ended before today is not live. Own database and queue prefix,
 * since it starts a worker.
 */
jest.setTimeout(240_000);

describe('Web app: live triage statistics (Chromium)', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let browser: Browser;
  let town: TestMunicipality;
  let staff: Session;
  let colleague: Session;
  let resident: Session;
  let category: string;

  beforeAll(async () => {
    ensureWebBuild();
    env = await isolatedEnv('web_live_stats', { MAP_TILE_URL: 'none' });
    t = await createTestApp({ listen: true, env: env.env });
    worker = await startTestWorker({ env: env.env });
    browser = await launchChromium();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Chiffreville' });
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Alpha' });
    colleague = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Beta' });
    category = (await createCategory(t.http, admin.accessToken, town.slug, { code: 'voirie' })).code;
    resident = await createSession(t.http);
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await env?.teardown();
  });

  /** Waits until a chart's table (the figures screen readers get) says `count` for `label`. */
  const chartShows = (page: Page, chart: string, label: string, count: number) =>
    page
      .getByTestId(chart)
      .locator('table tr')
      .filter({ has: page.locator('th', { hasText: new RegExp(`^${label}$`) }) })
      .locator('td', { hasText: new RegExp(`^${count}$`) })
      .waitFor();
  const figure = (page: Page, name: string) => page.getByTestId('stats-figures').locator('div').filter({ has: page.locator('dt', { hasText: new RegExp(`^${name}$`) }) }).locator('dd');

  it('moves the counts by status and category as reports arrive and change, while the period reaches today', async () => {
    const first = await createReport(t.http, resident.accessToken, town, category, { description: 'Nid de poule devant la poste' });
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(staff.user.email);
    await page.getByLabel('Password').fill(staff.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await chooseTownOnDevice(page, town);
    await page.goto(`/triage/${town.slug}/stats`);
    await page.getByRole('heading', { name: 'Reports: statistics' }).waitFor();
    await page.getByTestId('live').waitFor();
    await expect(figure(page, 'Reports').textContent()).resolves.toBe('1');
    await chartShows(page, 'chart-status', 'New', 1);
    await chartShows(page, 'chart-category', 'Pothole', 1);
    await expectAccessible(page, 'live statistics');

    // A resident files a report: it lands on the board's topic, and the figures follow.
    await createReport(t.http, resident.accessToken, town, category, { description: 'Trottoir défoncé rue Haute', location: near(town, 0.002, 0) });
    await figure(page, 'Reports').filter({ hasText: /^2$/ }).waitFor();
    await chartShows(page, 'chart-status', 'New', 2);
    await chartShows(page, 'chart-category', 'Pothole', 2);

    // A colleague acknowledges the first one on their own board.
    const seen = (await colleague.auth(t.http.get(`/api/v1/reports/${first.id}`)).expect(200)).body;
    await colleague.auth(t.http.patch(`/api/v1/reports/${first.id}/triage`)).send({ version: seen.version, status: 'acknowledged' }).expect(200);
    await chartShows(page, 'chart-status', 'Acknowledged', 1);
    await chartShows(page, 'chart-status', 'New', 1);
    await figure(page, 'Acknowledged').filter({ hasText: /^1$/ }).waitFor();
    await expect(figure(page, 'Reports').textContent()).resolves.toBe('2');
    await expectAccessible(page, 'live statistics, updated');
    await screenshot(page, 'desktop-triage-live-stats');

    // A period that ended yesterday cannot move: not live.
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await page.getByLabel('To (included)').fill(yesterday);
    await page.getByTestId('stats-figures').locator('dd').first().filter({ hasText: /^0$/ }).waitFor();
    await expect(page.getByTestId('live').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport, near } from '../factories/report.factory';
import { vapidEnv } from '../notifications/notification-fixtures';
import { Browser, chooseTownOnDevice, ensureWebBuild, expectAccessible, launchChromium, openContext, Page, PHONE, screenshot } from './browser';

/**
 * Residents' reports around (map and list following the map's box) and the notification settings
 * (type × channel, the email mode, web push on this device), in Chromium on a phone.
 */
jest.setTimeout(240_000);

/**
 * Headless Chromium has no push service to subscribe with (Chrome's is Google's), so the page's
 * PushManager is replaced by one answering a subscription whose endpoint is a local URL (the API
 * takes it under PUSH_ALLOW_INSECURE_ENDPOINTS, as the notification suites do). Everything after
 * the browser's answer — the key asked of the API, the permission, the POST and DELETE — is real.
 */
const FAKE_PUSH_SERVICE = `(() => {
  const KEY = 'test.push.subscribed';
  const subscription = () => ({
    endpoint: 'http://127.0.0.1:9/push/device-1',
    toJSON() {
      return { endpoint: this.endpoint, keys: { p256dh: 'BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM', auth: 'tBHItJI5svbpez7KI4CCXg' } };
    },
    unsubscribe: async () => (sessionStorage.removeItem(KEY), true),
  });
  PushManager.prototype.subscribe = async function (options) {
    if (!options || !options.applicationServerKey) throw new Error('no applicationServerKey');
    sessionStorage.setItem(KEY, '1');
    return subscription();
  };
  PushManager.prototype.getSubscription = async function () {
    return sessionStorage.getItem(KEY) ? subscription() : null;
  };
})();`;

describe('Web app: reports around and notification settings (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let resident: Session;
  const reports: Record<'west' | 'east' | 'rejected', { id: string; number: string }> = {} as never;
  let lights: string;

  beforeAll(async () => {
    ensureWebBuild();
    t = await createTestApp({ listen: true, env: { MAP_TILE_URL: 'none', ...vapidEnv() } });
    browser = await launchChromium();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Autourville' });
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    const staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    const potholes = (await createCategory(t.http, admin.accessToken, town.slug)).code;
    lights = (await createCategory(t.http, admin.accessToken, town.slug, { department: 'lighting' })).code;
    resident = await createSession(t.http);
    const neighbour = await createSession(t.http);
    reports.west = await createReport(t.http, neighbour.accessToken, town, potholes, { description: 'Trou à l’ouest', location: near(town, -0.009, 0) });
    reports.east = await createReport(t.http, neighbour.accessToken, town, lights, { description: 'Lampadaire éteint à l’est', location: near(town, 0.009, 0) });
    reports.rejected = await createReport(t.http, neighbour.accessToken, town, potholes, { description: 'Déjà réparé', location: near(town, 0, 0.005) });
    const seen = await staff.auth(t.http.get(`/api/v1/reports/${reports.rejected.id}`)).expect(200);
    await staff.auth(t.http.patch(`/api/v1/reports/${reports.rejected.id}/triage`)).send({ version: seen.body.version, status: 'rejected', reason: 'invalid' }).expect(200);
  });

  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  const listed = (page: Page) => page.getByTestId('around-list').getByRole('link').allTextContents();

  it('lists the open reports of the map’s box, by category, with the closed ones on demand, and follows the map', async () => {
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/town');
    await chooseTownOnDevice(page, town);
    await page.getByRole('link', { name: 'Autour', exact: true }).click();
    await page.getByRole('heading', { name: 'Signalements à Autourville' }).waitFor();
    // The town's box: both open reports, not the rejected one.
    await page.getByTestId('around-count').getByText('2 signalement(s) visible(s)').waitFor();
    expect((await listed(page)).sort()).toEqual([expect.stringContaining(reports.west.number), expect.stringContaining(reports.east.number)].sort());
    // The markers are drawn by Leaflet after the list renders: wait for the second, then count.
    await page.getByTestId('reports-map').locator('path.leaflet-interactive').nth(1).waitFor();
    await expect(page.getByTestId('reports-map').locator('path.leaflet-interactive').count()).resolves.toBe(2);
    await screenshot(page, 'phone-reports-around');
    await expectAccessible(page, 'reports around');

    await page.getByLabel('Catégorie').selectOption({ value: lights });
    await page.getByTestId('around-count').getByText('1 signalement(s) visible(s)').waitFor();
    expect(await listed(page)).toEqual([expect.stringContaining(reports.east.number)]);
    await page.getByLabel('Catégorie').selectOption({ value: '' });
    await page.getByLabel('Aussi ceux résolus et clos').check();
    await page.getByTestId('around-count').getByText('3 signalement(s) visible(s)').waitFor();
    await page.getByLabel('Aussi ceux résolus et clos').uncheck();
    await page.getByTestId('around-count').getByText('2 signalement(s) visible(s)').waitFor();

    // "My position" next to the western report: the map zooms in there and the list follows its box.
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ latitude: near(town, -0.009, 0).lat, longitude: near(town, -0.009, 0).lng });
    await page.getByRole('button', { name: 'Utiliser ma position' }).click();
    await page.getByTestId('around-count').getByText('1 signalement(s) visible(s)').waitFor();
    expect(await listed(page)).toEqual([expect.stringContaining(reports.west.number)]);

    // The list opens the report page, where the resident (signed out here) is asked to sign in to support.
    await page.getByTestId('around-list').getByRole('link').click();
    await page.getByText('Trou à l’ouest').waitFor();
    await expectAccessible(page, 'report page from the list');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('saves preferences per type and channel and the daily digest, and turns web push on and off for the device', async () => {
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'en-US', { serviceWorkers: 'allow' });
    await context.grantPermissions(['notifications']);
    await context.addInitScript(FAKE_PUSH_SERVICE);
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(resident.user.email);
    await page.getByLabel('Password').fill(resident.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your town' }).waitFor();
    await chooseTownOnDevice(page, town);
    await page.getByRole('link', { name: 'Settings', exact: true }).click();
    await page.getByRole('heading', { name: 'Notification settings' }).waitFor();
    const statusByEmail = page.getByRole('checkbox', { name: 'My report changed status: Email' });
    await expect(statusByEmail.isChecked()).resolves.toBe(true);
    await expectAccessible(page, 'notification settings');

    await statusByEmail.uncheck();
    await page.getByLabel('One email a day (daily digest)').check();
    await page.getByRole('button', { name: 'Save my settings' }).click();
    await page.getByText('Settings saved.').waitFor();
    const saved = await resident.auth(t.http.get('/api/v1/me/notification-preferences')).expect(200);
    expect(saved.body.emailMode).toBe('daily_digest');
    const byType = new Map((saved.body.types as Array<{ type: string; channels: Record<string, boolean> }>).map((row) => [row.type, row.channels]));
    expect(byType.get('report.status_changed')).toEqual({ in_app: true, email: false, push: true });
    expect(byType.get('report.commented')).toEqual({ in_app: true, email: true, push: true });
    await page.reload();
    await expect(page.getByRole('checkbox', { name: 'My report changed status: Email' }).isChecked()).resolves.toBe(false);
    await expect(page.getByLabel('One email a day (daily digest)').isChecked()).resolves.toBe(true);

    // Web push: the API's VAPID key goes to the browser, the subscription to the API.
    const store = t.app.get(DataSource);
    const subscriptions = () => store.query(`SELECT endpoint FROM push_subscriptions WHERE user_id = $1`, [resident.user.id]) as Promise<Array<{ endpoint: string }>>;
    await page.getByTestId('push-state').getByText('Push notifications are off for this device.').waitFor();
    await page.getByRole('button', { name: 'Turn on push notifications' }).click();
    await page.getByTestId('push-state').getByText('Push notifications are on for this device.').waitFor();
    await expect(subscriptions()).resolves.toEqual([{ endpoint: 'http://127.0.0.1:9/push/device-1' }]);
    await expectAccessible(page, 'push on');
    await screenshot(page, 'phone-notification-settings');
    await page.getByRole('button', { name: 'Turn off push notifications' }).click();
    await page.getByTestId('push-state').getByText('Push notifications are off for this device.').waitFor();
    await expect(subscriptions()).resolves.toEqual([]);

    // The service worker that shows the pushes is the app's own, and Chromium finds the app installable.
    await expect(page.evaluate(`navigator.serviceWorker.ready.then((r) => new URL(r.active.scriptURL).pathname)`)).resolves.toBe('/sw.js');
    const devtools = await page.context().newCDPSession(page);
    const { installabilityErrors } = (await devtools.send('Page.getInstallabilityErrors')) as { installabilityErrors: Array<{ errorId: string }> };
    // Playwright's contexts are off-the-record profiles, where Chromium never installs anything
    // ("in-incognito"); every criterion about the app itself (manifest, icon, service worker) holds.
    expect(installabilityErrors.map((e) => e.errorId).filter((id) => id !== 'in-incognito')).toEqual([]);
    expect(problems).toEqual([]);
    await context.close();
  });
});

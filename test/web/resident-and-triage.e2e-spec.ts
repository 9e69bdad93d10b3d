import { createTestApp, TestApp } from '../utils/create-test-app';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { SmtpCapture } from '../utils/smtp-capture';
import { createSession, platformAdminSession, Session, TEST_PASSWORD, uniqueEmail } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { plainPhoto } from '../fixtures/images';
import { eventually, isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { Browser, DESKTOP, ensureWebBuild, expectAccessible, launchChromium, openContext, Page, PHONE, screenshot } from './browser';

/**
 * The web app in Chromium against the real API and worker: a resident files a report offline and
 * it reaches the city once when the network is back; staff see it land on the triage board live
 * and change its status, which the resident sees live; a stale triage edit shows who changed the
 * report. axe-core checks every page on the way. Own database and queue prefix: other suites'
 * workers must not take this suite's live events.
 */
// Several browsers, the API and the worker on a shared 2-core machine: generous, the waits are bounded anyway.
jest.setTimeout(180_000);

describe('Web app (Chromium)', () => {
  let env: IsolatedEnv;
  let smtp: SmtpCapture;
  let t: TestApp;
  let worker: TestWorker;
  let browser: Browser;
  let admin: Session;
  let town: TestMunicipality;
  let category: { code: string };
  let staff: Session;
  let colleague: Session;

  beforeAll(async () => {
    ensureWebBuild();
    smtp = new SmtpCapture();
    env = await isolatedEnv('web', { SMTP_URL: await smtp.start(), MAP_TILE_URL: 'none' });
    t = await createTestApp({ listen: true, env: env.env });
    worker = await startTestWorker({ env: env.env });
    browser = await launchChromium();
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Testville' });
    category = await createCategory(t.http, admin.accessToken, town.slug, {
      attributes: [
        {
          code: 'size',
          datatype: 'singlevaluelist',
          required: true,
          description: 'How big is it?',
          order: 1,
          values: [
            { key: 'small', name: 'Small' },
            { key: 'large', name: 'Large' },
          ],
        },
      ],
    });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Alpha' });
    colleague = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Beta' });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await smtp?.stop();
    await env?.teardown();
  });

  /** Signs a staff member in through the sign-in screen, then opens the town's triage board. */
  const openTriageBoard = async (page: Page, session: Session) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(session.user.email);
    await page.getByLabel('Password').fill(session.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your town' }).waitFor();
    await page.goto(`/triage/${town.slug}`);
    await page.getByTestId('live').waitFor();
  };

  it('files a report offline, sends it once back online, and carries status changes live both ways', async () => {
    const resident = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const desk = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const phone = await resident.context.newPage();
    const board = await desk.context.newPage();

    // Sign up on the phone, then choose the town from the list.
    await phone.goto('/sign-up');
    await phone.getByRole('heading', { name: 'Créer un compte' }).waitFor();
    await expectAccessible(phone, 'sign-up');
    await screenshot(phone, 'phone-sign-up');
    const email = uniqueEmail('web-resident');
    await phone.getByLabel('Votre nom').fill('Rita Resident');
    await phone.getByLabel('E-mail').fill(email);
    await phone.getByLabel('Mot de passe').fill(TEST_PASSWORD);
    await phone.getByRole('button', { name: 'Créer mon compte' }).click();
    await phone.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    await expectAccessible(phone, 'choose town');
    await screenshot(phone, 'phone-choose-town');
    // Found by part of its name, case aside.
    await phone.getByLabel('Chercher une ville par son nom').fill('STVIL');
    await phone.getByTestId('towns').getByRole('button', { name: 'Testville' }).click();
    await phone.getByRole('heading', { name: 'Signaler un problème' }).waitFor();
    await expectAccessible(phone, 'new report');

    // The board is live before anything is filed.
    await openTriageBoard(board, staff);
    await expectAccessible(board, 'triage board');

    // Fill the report: a point on the map, the category and its own question, a description.
    await phone.getByTestId('map').click();
    // The point is placed on the key's handler, rendered right after: wait for it, do not read once.
    await phone.getByTestId('chosen-point').getByText(/Point choisi/).waitFor();
    await phone.getByLabel('Catégorie').selectOption(category.code);
    await phone.getByLabel('How big is it?').selectOption('large');
    await phone.getByLabel('Description').fill('Trou profond devant l’école');
    await phone.getByLabel('Photo (facultative)').setInputFiles({ name: 'trou.jpg', mimeType: 'image/jpeg', buffer: await plainPhoto('jpeg') });
    await phone.evaluate('window.scrollTo(0, 0)');
    await screenshot(phone, 'phone-new-report');

    // Offline: the report waits on the phone.
    await resident.context.setOffline(true);
    await phone.getByTestId('offline-banner').waitFor();
    await phone.getByRole('button', { name: 'Envoyer le signalement' }).click();
    await phone.getByRole('heading', { name: 'Mes signalements' }).waitFor();
    await phone.getByTestId('pending-reports').getByText('En attente d’envoi').waitFor();
    await expectAccessible(phone, 'my reports, waiting');
    await screenshot(phone, 'phone-waiting-to-send');
    const tokens = JSON.parse((await phone.evaluate<string | null>("localStorage.getItem('civic.session')"))!) as { accessToken: string };
    const mine = async () => (await t.http.get('/api/v1/me/reports').set('Authorization', `Bearer ${tokens.accessToken}`).expect(200)).body.items as Array<{ id: string; status: string; attributes: object }>;
    await phone.waitForTimeout(500);
    expect(await mine()).toEqual([]);

    // Back online: sent once, listed with its status, gone from the waiting list.
    await resident.context.setOffline(false);
    const row = phone.getByTestId('my-reports').locator('li', { hasText: 'Trou profond' });
    await row.getByText('Nouveau').waitFor();
    await phone.getByTestId('pending-reports').waitFor({ state: 'detached' });
    const filed = await mine();
    expect(filed).toHaveLength(1);
    expect(filed[0]).toMatchObject({ status: 'new', attributes: { size: 'large' } });
    // The photo waited in IndexedDB with it and followed once the report was filed.
    await eventually(async () => (await t.http.get(`/api/v1/reports/${filed[0].id}`)).body.photoCount === 1, 'the photo');
    // Nothing left to send, however often the app tries again.
    await phone.evaluate("window.dispatchEvent(new Event('online'))");
    await phone.waitForTimeout(300);
    expect(await mine()).toHaveLength(1);

    // The board got it live, without a reload; staff acknowledge it.
    const card = board.getByTestId('triage-queue').locator(`li[data-report-id="${filed[0].id}"]`);
    await card.getByText('New', { exact: false }).first().waitFor();
    await card.getByRole('button').click();
    await board.getByTestId('triage-panel').waitFor();
    await screenshot(board, 'desktop-triage-board');
    await board.getByLabel('New status').selectOption('acknowledged');
    await board.getByRole('button', { name: 'Save' }).click();
    await board.getByTestId('triage-ok').waitFor();
    await expectAccessible(board, 'triage board with a report open');

    // The resident's list changes live, and the notification badge counts the news.
    await row.locator('[data-status="acknowledged"]').waitFor();
    await phone.getByTestId('unread-badge').getByText('1').waitFor();
    await screenshot(phone, 'phone-my-reports');

    // The inbox lists it; opening it marks it read and leads to the report.
    await phone.getByRole('link', { name: /Notifications, 1 non lues/ }).click();
    await phone.getByRole('heading', { name: 'Notifications' }).waitFor();
    const item = phone.getByTestId('inbox').locator('li').first();
    await item.waitFor();
    await expectAccessible(phone, 'inbox');
    await screenshot(phone, 'phone-inbox');
    await item.getByRole('button').click();
    await phone.getByTestId('timeline').waitFor();
    await phone.getByTestId('unread-badge').waitFor({ state: 'detached' });
    await phone.getByRole('link', { name: 'Mes signalements' }).click();

    // The report page: its timeline shows the change; the resident comments.
    await row.getByRole('link').click();
    await phone.getByTestId('timeline').getByText('Nouveau → Pris en compte').waitFor();
    await phone.getByTestId('photos').getByRole('img', { name: 'Photo 1 du signalement' }).waitFor();
    await phone.getByLabel('Ajouter un commentaire').fill('Merci pour la prise en compte !');
    await phone.getByRole('button', { name: 'Commenter' }).click();
    await phone.getByText('Merci pour la prise en compte !').waitFor();
    await expectAccessible(phone, 'report page');
    await phone.evaluate('window.scrollTo(0, 0)');
    await screenshot(phone, 'phone-report-page');

    expect(resident.problems).toEqual([]);
    expect(desk.problems).toEqual([]);
    await resident.context.close();
    await desk.context.close();
  });

  it('shows a stale triage edit as a conflict naming who changed the report, and saves after a reload', async () => {
    const citizen = await createSession(t.http);
    const report = await createReport(t.http, citizen.accessToken, town, category.code, { description: 'Lampadaire éteint rue Haute', attributes: { size: 'small' } });
    const desk = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const board = await desk.context.newPage();
    await openTriageBoard(board, staff);
    // A colleague opens it on their own board first: this board shows who is on it (claims).
    const other = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const otherBoard = await other.context.newPage();
    await openTriageBoard(otherBoard, colleague);
    await otherBoard.getByTestId('triage-queue').locator(`li[data-report-id="${report.id}"]`).getByRole('button').click();
    await board.getByTestId('triage-queue').locator(`li[data-report-id="${report.id}"]`).getByText('Agent Beta is on it').waitFor();
    await other.context.close();

    await board.getByTestId('triage-queue').locator(`li[data-report-id="${report.id}"]`).getByRole('button').click();
    const panel = board.getByTestId('triage-panel');
    await panel.waitFor();

    // The colleague changes it after it was opened here.
    await colleague.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).set('If-Match', `"${report.version}"`).send({ status: 'acknowledged' }).expect(200);

    await panel.getByLabel('Priority').selectOption('high');
    await panel.getByRole('button', { name: 'Save' }).click();
    const conflict = board.getByTestId('triage-conflict');
    await conflict.getByText('This report was changed by Agent Beta since you opened it.').waitFor();
    await expectAccessible(board, 'triage conflict');
    await screenshot(board, 'desktop-triage-conflict');

    await conflict.getByRole('button', { name: 'Reload the report' }).click();
    await eventually(async () => (await panel.getByLabel('New status').inputValue()) === 'acknowledged', 'the reloaded status');
    await panel.getByLabel('Priority').selectOption('high');
    await panel.getByRole('button', { name: 'Save' }).click();
    await board.getByTestId('triage-ok').waitFor();

    // An internal note, posted from the panel, lands in its timeline.
    await panel.getByLabel('Message').fill('Équipe voirie prévenue');
    await panel.getByRole('button', { name: 'Post' }).click();
    await panel.getByTestId('timeline').getByText('Équipe voirie prévenue').waitFor();
    await expectAccessible(board, 'triage panel with timeline');
    const saved = await staff.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200);
    expect(saved.body).toMatchObject({ status: 'acknowledged', staff: { priority: 'high' } });
    expect(desk.problems).toEqual([]);
    await desk.context.close();
  });

  it('shows open reports of the category nearby before sending, and supports one instead', async () => {
    const neighbour = await createSession(t.http, { displayName: 'Nora Neighbour' });
    const existing = await createReport(t.http, neighbour.accessToken, town, category.code, { description: 'Nid de poule rue Basse', attributes: { size: 'small' } });
    const resident = await createSession(t.http, { displayName: 'Sam Second' });
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const phone = await context.newPage();
    await phone.goto('/sign-in');
    await expectAccessible(phone, 'sign in');
    await phone.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
    await phone.getByLabel('E-mail').fill(resident.user.email);
    await phone.getByRole('button', { name: 'M’envoyer un lien' }).click();
    await phone.getByText('Si un compte utilise cette adresse').waitFor();
    await expectAccessible(phone, 'forgot password');
    await phone.getByRole('link', { name: 'Déjà inscrit ? Se connecter' }).click();
    await phone.getByLabel('E-mail').fill(resident.user.email);
    await phone.getByLabel('Mot de passe').fill(resident.user.password);
    await phone.getByRole('button', { name: 'Se connecter' }).click();
    await phone.getByRole('button', { name: 'Testville' }).click();
    // The keyboard alone places the point: focus the map, Enter.
    await phone.getByTestId('map').focus();
    await phone.keyboard.press('Enter');
    // The point is placed on the key's handler, rendered right after: wait for it, do not read once.
    await phone.getByTestId('chosen-point').getByText(/Point choisi/).waitFor();
    await phone.getByLabel('Catégorie').selectOption(category.code);
    const nearby = phone.getByTestId('nearby');
    await nearby.getByText('Nid de poule rue Basse').waitFor();
    await expectAccessible(phone, 'new report with nearby reports');
    await nearby.locator('li', { hasText: 'Nid de poule rue Basse' }).getByRole('button', { name: 'Soutenir plutôt' }).click();
    await phone.getByRole('heading', { name: /Signalement/ }).waitFor();
    await phone.getByRole('button', { name: 'Retirer mon soutien' }).waitFor();
    const seen = await t.http.get(`/api/v1/reports/${existing.id}`).expect(200);
    expect(seen.body.supportCount).toBe(1);
    // Supporting follows the report too; the page lets the resident stop and start again.
    await phone.getByRole('button', { name: 'Ne plus suivre', exact: true }).click();
    await phone.getByRole('button', { name: 'Suivre', exact: true }).waitFor();
    await resident.auth(t.http.get(`/api/v1/reports/${existing.id}/follow`)).expect(200, { following: false });
    await phone.getByRole('button', { name: 'Suivre', exact: true }).click();
    await phone.getByRole('button', { name: 'Ne plus suivre', exact: true }).waitFor();
    await resident.auth(t.http.get(`/api/v1/reports/${existing.id}/follow`)).expect(200, { following: true });

    // Their own new report can be withdrawn from its page.
    const own = await createReport(t.http, resident.accessToken, town, category.code, { description: 'Déjà réparé', attributes: { size: 'small' } });
    await phone.goto(`/report/${own.id}`);
    await phone.getByRole('button', { name: 'Retirer mon signalement' }).click();
    await phone.locator('h1 [data-status="withdrawn"]').waitFor();
    expect((await t.http.get(`/api/v1/reports/${own.id}`).expect(200)).body.status).toBe('withdrawn');
    expect(problems).toEqual([]);
    await context.close();
  });
});

import { DataSource } from 'typeorm';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, squareAround, TestMunicipality } from '../factories/municipality.factory';
import { CapturedMail, SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { eventually, isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { Browser, DESKTOP, ensureWebBuild, launchChromium, openContext, Page, screenshot, seriousAxeViolations } from './browser';

jest.setTimeout(180_000);

/**
 * The staff announcement composer in Chromium against the real API, worker and an SMTP capture:
 * choose the audience, count it, write fr/en, send, watch the progress, cancel while the mails
 * are still going out (the relay refusing keeps them waiting), in English and in French.
 */
describe('Web app: announcements (Chromium)', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let db: DataSource;
  let browser: Browser;
  const smtp = new SmtpCapture();
  let town: TestMunicipality;
  let platform: Session;
  let staff: Session;
  let citizen: Session;
  let residents: Session[];

  beforeAll(async () => {
    ensureWebBuild();
    env = await isolatedEnv('web_announcements', {
      MAP_TILE_URL: 'none',
      SMTP_URL: await smtp.start(),
      NOTIFICATION_DISPATCH_MS: '100',
      NOTIFICATION_SWEEP_MS: '1000',
      NOTIFICATION_SEND_TIMEOUT_MS: '3000',
    });
    t = await createTestApp({ listen: true, env: env.env });
    db = t.app.get(DataSource);
    worker = await startTestWorker({ env: env.env });
    browser = await launchChromium();
    platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Annonceville' });
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff'], { displayName: 'Agent Annonce' });
    citizen = await createSession(t.http, { emailPrefix: 'web-ann-citizen' });
    residents = [];
    for (let i = 0; i < 3; i++) residents.push(await createSession(t.http, { emailPrefix: `web-ann-resident-${i}` }));
    for (const r of residents) await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${r.user.id}`)).expect(201);
  });

  afterAll(async () => {
    smtp.refuse = false;
    await browser?.close();
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const signIn = async (page: Page, session: Session) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(session.user.email);
    await page.getByLabel('Password').fill(session.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your town' }).waitFor();
  };
  const mailsWith = (subject: string) => smtp.mails.filter((m: CapturedMail) => m.subject.includes(subject));
  const deliveriesLeft = async (title: string) => {
    const [{ n }] = await db.query(
      `SELECT count(*)::int AS n FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
        JOIN announcements a ON a.id = (n.data->>'announcementId')::uuid WHERE a.title->>'en' = $1 AND d.status IN ('pending', 'sending')`,
      [title],
    );
    return n as number;
  };

  it('staff count the audience, send, watch it go out and cancel what has not gone out', async () => {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, staff);
    await page.goto(`/announcements/${town.slug}`);
    await page.getByRole('heading', { name: 'Announcements — Annonceville' }).waitFor();

    // Sending waits for the count.
    const form = page.getByRole('form', { name: 'New announcement' });
    expect(await form.getByLabel('Who receives it').inputValue()).toBe('municipality.residents');
    await form.getByLabel('Title in French').fill('Travaux rue Haute');
    await form.getByLabel('Title in English').fill('Roadworks on High Street');
    await form.getByLabel('Message in French').fill('La rue Haute sera fermée lundi.');
    await form.getByLabel('Message in English').fill('High Street will be closed on Monday.');
    expect(await form.getByRole('button', { name: /^Send to/ }).isDisabled()).toBe(true);
    await form.getByRole('button', { name: 'Count the audience' }).click();
    await page.getByTestId('audience-size').filter({ hasText: 'This announcement will reach 3 people.' }).waitFor();

    // A target-taking audience says what it needs; a wrong one is refused by the API, plainly.
    await form.getByLabel('Who receives it').selectOption('panel.volunteers');
    await form.getByLabel('Which one (<panel id>)').fill('00000000-0000-4000-8000-000000000000');
    await form.getByRole('button', { name: 'Count the audience' }).click();
    await form.getByRole('alert').filter({ hasText: 'This audience needs a valid target of this town.' }).waitFor();
    await form.getByLabel('Who receives it').selectOption('municipality.residents');
    await form.getByRole('button', { name: 'Count the audience' }).click();
    await page.getByTestId('audience-size').filter({ hasText: '3 people' }).waitFor();
    expect({ violations: await seriousAxeViolations(page) }).toEqual({ violations: [] });
    await screenshot(page, 'desk-announcement-composer');

    // The relay refuses: the mails wait (and are retried), so the announcement is still going out.
    smtp.refuse = true;
    await form.getByRole('button', { name: 'Send to 3 people' }).click();
    const progress = page.getByTestId('announcement-progress');
    await progress.getByText('In-app copies stored: 3 of 3').waitFor();
    await eventually(async () => Number(await progress.getByTestId('progress-pending').textContent()) + Number(await progress.getByTestId('progress-sending').textContent()) === 3, 'three mails waiting');
    expect({ violations: await seriousAxeViolations(page) }).toEqual({ violations: [] });
    await screenshot(page, 'desk-announcement-progress');
    await progress.getByRole('button', { name: 'Cancel what has not gone out' }).click();
    await progress.getByRole('status').filter({ hasText: /^Cancelled: \d deliveries dropped\.$/ }).waitFor();
    await progress.getByTestId('announcement-status').filter({ hasText: 'Cancelled' }).waitFor();
    await progress.getByRole('button', { name: 'Cancel what has not gone out' }).waitFor({ state: 'detached' });
    await eventually(async () => (await deliveriesLeft('Roadworks on High Street')) === 0, 'nothing of the cancelled one left to send');
    smtp.refuse = false;
    await page.getByTestId('recent-announcements').getByText('Roadworks on High Street').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('in French: sends and shows every mail out', async () => {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, staff);
    await page.getByLabel('Language').selectOption('fr');
    await page.goto(`/announcements/${town.slug}`);
    await page.getByRole('heading', { name: 'Annonces — Annonceville' }).waitFor();
    const form = page.getByRole('form', { name: 'Nouvelle annonce' });
    await form.getByLabel('Titre en français').fill('Fête de quartier');
    await form.getByLabel('Titre en anglais').fill('Street party');
    await form.getByLabel('Message en français').fill('Samedi, place du Marché.');
    await form.getByLabel('Message en anglais').fill('Saturday, Market Square.');
    await form.getByLabel('Courriel').uncheck();
    await form.getByLabel('Courriel').check();
    await form.getByRole('button', { name: 'Compter les destinataires' }).click();
    await page.getByTestId('audience-size').filter({ hasText: 'Cette annonce touchera 3 personnes.' }).waitFor();
    await form.getByRole('button', { name: 'Envoyer à 3 personnes' }).click();
    const progress = page.getByTestId('announcement-progress');
    await progress.getByTestId('progress-sent').filter({ hasText: /^3$/ }).waitFor({ timeout: 30_000 });
    await progress.getByTestId('announcement-status').filter({ hasText: 'Enregistrée pour tous' }).waitFor();
    await progress.getByRole('button', { name: 'Annuler ce qui n’est pas parti' }).waitFor({ state: 'detached' });
    expect(mailsWith('Fête de quartier').length + mailsWith('Street party').length).toBe(3);
    expect({ violations: await seriousAxeViolations(page) }).toEqual({ violations: [] });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('staff pick a district by its name, and only its residents are told', async () => {
    const district = async (code: string, nameFr: string, nameEn: string, dx: number) =>
      (
        await platform
          .auth(t.http.post(`/api/v1/municipalities/${town.slug}/districts`))
          .send({ code, nameFr, nameEn, boundary: squareAround([town.center[0] + dx, town.center[1]], 0.002) })
          .expect(201)
      ).body.id as string;
    const north = await district('NORD', 'Quartier Nord', 'North End', -0.005);
    await district('SUD', 'Quartier Sud', 'South End', 0.005);
    const northerners: Session[] = [];
    for (let i = 0; i < 2; i++) northerners.push(await createSession(t.http, { emailPrefix: `web-ann-north-${i}` }));
    for (const r of northerners) {
      await staff
        .auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${r.user.id}`))
        .send({ districtId: north })
        .expect((res) => expect([200, 201]).toContain(res.status));
    }

    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, staff);
    await page.goto(`/announcements/${town.slug}`);
    const form = page.getByRole('form', { name: 'New announcement' });
    await form.getByLabel('Who receives it').selectOption({ label: 'The verified residents of a district' });
    // Named in the reader's language, not an id to paste; nothing to count before one is chosen.
    const picker = form.getByLabel('District', { exact: true });
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual(['Choose a district', 'North End', 'South End']);
    expect(await form.getByRole('button', { name: 'Count the audience' }).isDisabled()).toBe(true);
    await picker.selectOption({ label: 'North End' });
    await form.getByRole('button', { name: 'Count the audience' }).click();
    await page.getByTestId('audience-size').filter({ hasText: 'This announcement will reach 2 people.' }).waitFor();
    expect({ violations: await seriousAxeViolations(page) }).toEqual({ violations: [] });
    await screenshot(page, 'desk-announcement-district');

    await form.getByLabel('Title in French').fill('Marché du Nord');
    await form.getByLabel('Title in English').fill('North End market');
    await form.getByLabel('Message in French').fill('Dimanche matin.');
    await form.getByLabel('Message in English').fill('Sunday morning.');
    await form.getByLabel('Email').uncheck();
    await form.getByRole('button', { name: 'Send to 2 people' }).click();
    await page.getByTestId('announcement-progress').getByText('In-app copies stored: 2 of 2').waitFor();
    const told: Array<{ user_id: string }> = await db.query(
      `SELECT n.user_id FROM notifications n JOIN announcements a ON a.id = (n.data->>'announcementId')::uuid WHERE a.title->>'en' = 'North End market' ORDER BY n.user_id`,
    );
    expect(told.map((n) => n.user_id)).toEqual(northerners.map((r) => r.user.id).sort());
    expect(problems).toEqual([]);
    await context.close();
  });

  it('is refused to a citizen', async () => {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, citizen);
    await page.goto(`/announcements/${town.slug}`);
    await page.getByRole('alert').filter({ hasText: 'Only this town’s staff can send announcements.' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});

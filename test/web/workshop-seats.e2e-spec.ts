import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createVenue, createWorkshop, localTime, TestWorkshop, workshopBody } from '../factories/workshop.factory';
import { isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { Browser, chooseTownOnDevice, ensureWebBuild, launchChromium, openContext, Page, PHONE, seriousAxeViolations } from './browser';

/**
 * A resident's seats in Chromium (phone, French), with a worker: registering for every session of
 * a series at once (both full: the waiting list twice); the seat freed in each arrives on the
 * workshop page without a reload (the worker's notification on the person's own topic), one taken,
 * the other declined; the registration cancelled from the ticket; the private calendar feed of my
 * seats made, fetched (my seat in it), renewed (the old link refused) and revoked.
 * The suite has its own database and queue prefix, since it starts a worker.
 */
jest.setTimeout(300_000);

type Registration = { id: string; sessionId: string; status: string; waitlistPosition: number | null };

describe('Web app: my workshop seats — a series at once, offers arriving live, my calendar (Chromium)', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let browser: Browser;
  let town: TestMunicipality;
  let workshop: TestWorkshop;
  let holder: Session;
  let held: Registration[];
  let resident: Session;

  beforeAll(async () => {
    ensureWebBuild();
    env = await isolatedEnv('web_workshop_seats', { MAP_TILE_URL: 'none' });
    t = await createTestApp({ listen: true, env: env.env });
    worker = await startTestWorker({ env: env.env });
    browser = await launchChromium();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Sérieville', timezone: 'Europe/Paris' });
    const staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    const venue = await createVenue(t.http, staff, town.slug, { name: 'La Fabrique', rooms: [{ name: 'Atelier', capacity: 10 }] });
    // A weekly series of two sessions of one seat each, both taken by the holder.
    workshop = await createWorkshop(
      t.http,
      staff,
      town.slug,
      workshopBody({
        title: { fr: 'Cycle compost', en: 'Compost series' },
        sessions: [{ startsAt: localTime(4, 18), endsAt: localTime(4, 20), venueId: venue.id, roomId: venue.rooms[0].id, capacity: 1, repeat: { frequency: 'weekly', count: 2 } }],
      }),
    );
    holder = await createSession(t.http);
    held = (await holder.auth(t.http.post(`/api/v1/workshops/${workshop.id}/registrations`)).expect(201)).body as Registration[];
    expect(held.map((r) => r.status)).toEqual(['registered', 'registered']);
    resident = await createSession(t.http, { locale: 'fr' });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await env?.teardown();
  });

  const expectAccessible = async (page: Page, what: string) => {
    expect({ what, violations: await seriousAxeViolations(page) }).toEqual({ what, violations: [] });
  };
  /** The resident's registrations of the series (the series route answers the ones held as they are). */
  const mySeries = async () => (await resident.auth(t.http.post(`/api/v1/workshops/${workshop.id}/registrations`)).expect(201)).body as Registration[];
  const seatsLeft = async (sessionId: string) => (await t.http.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.seatsLeft as number;
  const holderRegistration = (sessionId: string) => held.find((r) => r.sessionId === sessionId)!;
  // The worker's notification reaches the page through the outbox, the notifications and the socket: allow a loaded machine time.
  const LIVE = { timeout: 60_000 };

  it('registers for the whole series, takes one seat offered live and declines the other, cancels from the ticket, and keeps a private calendar link', async () => {
    const [first, second] = workshop.sessions;
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(resident.user.email);
    await page.getByLabel('Mot de passe').fill(resident.user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    await chooseTownOnDevice(page, town);
    await page.goto(`/workshops/${workshop.id}`);
    await page.getByRole('heading', { name: 'Cycle compost' }).waitFor();

    // Both sessions at once: both full, so the waiting list of each.
    await page.getByRole('button', { name: "M'inscrire aux 2 séances" }).click();
    await expect(page.getByTestId('series-summary').textContent()).resolves.toBe("Places : 0 ; en liste d'attente : 2.");
    const sessions = page.getByTestId('workshop-session');
    for (const i of [0, 1]) await sessions.nth(i).getByTestId('registration-status').getByText("Sur la liste d'attente, position 1").waitFor();
    expect((await mySeries()).map((r) => [r.sessionId, r.status, r.waitlistPosition])).toEqual([
      [first.id, 'waitlisted', 1],
      [second.id, 'waitlisted', 1],
    ]);
    await expectAccessible(page, 'series registered');

    // The first seat frees: the offer arrives on this page without a reload, and is taken.
    await holder.auth(t.http.post(`/api/v1/registrations/${holderRegistration(first.id).id}/cancel`)).expect(200);
    await sessions.nth(0).getByTestId('registration-status').getByText('Une place vous est proposée').waitFor(LIVE);
    await expect(sessions.nth(0).getByTestId('offer-expiry').textContent()).resolves.toMatch(/^La place vous est réservée jusqu'au .*\d\d:\d\d\.$/);
    await expectAccessible(page, 'seat offered live');
    await sessions.nth(0).getByRole('button', { name: 'Prendre la place' }).click();
    await sessions.nth(0).getByTestId('registration-status').getByText('Inscrit').waitFor();
    expect((await mySeries())[0].status).toBe('registered');
    expect(await seatsLeft(first.id)).toBe(0);

    // The second seat frees: offered live too, and declined — the seat is free again.
    await holder.auth(t.http.post(`/api/v1/registrations/${holderRegistration(second.id).id}/cancel`)).expect(200);
    await sessions.nth(1).getByTestId('registration-status').getByText('Une place vous est proposée').waitFor(LIVE);
    await sessions.nth(1).getByRole('button', { name: 'Refuser la place' }).click();
    await sessions.nth(1).getByText('Places restantes : 1').waitFor();
    await sessions.nth(1).getByRole('button', { name: "M'inscrire", exact: true }).waitFor();
    expect(await seatsLeft(second.id)).toBe(1);

    // My private calendar: a secret link with my seat in it (not the declined one); renewed, revoked.
    await page.getByRole('link', { name: 'Mes places dans mon agenda' }).click();
    await page.getByRole('heading', { name: 'Mes ateliers dans mon agenda' }).waitFor();
    await page.getByRole('button', { name: 'Créer mon lien d’agenda' }).click();
    const linkField = page.getByLabel('Votre lien d’agenda privé');
    await linkField.waitFor();
    const firstUrl = new URL(await linkField.inputValue());
    expect(firstUrl.pathname).toMatch(/^\/api\/v1\/workshop-calendars\/[^/]+$/);
    const feed = await t.http.get(firstUrl.pathname).expect(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(String(feed.text)).toContain(`workshop-session-${first.id}@civic-platform`);
    expect(String(feed.text)).not.toContain(`workshop-session-${second.id}@civic-platform`);
    await expectAccessible(page, 'my calendar link');
    await page.getByRole('button', { name: "Créer un nouveau lien (l'ancien s'arrête)" }).click();
    await page.waitForFunction(`document.querySelector('[data-testid="my-calendar-url"] input').value !== ${JSON.stringify(firstUrl.href)}`);
    const secondUrl = new URL(await linkField.inputValue());
    await t.http.get(firstUrl.pathname).expect(404);
    await t.http.get(secondUrl.pathname).expect(200);
    await page.getByRole('button', { name: 'Révoquer mon lien d’agenda' }).click();
    await page.getByText('Votre lien d’agenda ne fonctionne plus.').waitFor();
    await t.http.get(secondUrl.pathname).expect(404);
    await expectAccessible(page, 'my calendar revoked');

    // Cancelled from the ticket: the seat goes back to the session.
    await page.goBack();
    await sessions.nth(0).getByRole('link', { name: 'Mon billet' }).click();
    await page.getByRole('heading', { name: 'Mon billet' }).waitFor();
    await page.getByRole('button', { name: 'Annuler mon inscription' }).click();
    await page.getByTestId('ticket-status').getByText('Annulée').waitFor();
    expect(await seatsLeft(first.id)).toBe(1);
    await expectAccessible(page, 'ticket cancelled');
    expect(problems).toEqual([]);
    await context.close();
  });
});

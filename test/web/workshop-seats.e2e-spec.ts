import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createVenue, createWorkshop, localTime, registerFor, TestVenue, TestWorkshop, workshopBody } from '../factories/workshop.factory';
import { LiveClient } from '../realtime/live-client';
import type { WebSocketRoute } from 'playwright-core';
import { isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { Browser, chooseTownOnDevice, ensureWebBuild, expectAccessible, launchChromium, openContext, PHONE } from './browser';

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
  let staff: Session;
  let venue: TestVenue;

  beforeAll(async () => {
    ensureWebBuild();
    env = await isolatedEnv('web_workshop_seats', { MAP_TILE_URL: 'none' });
    t = await createTestApp({ listen: true, env: env.env });
    worker = await startTestWorker({ env: env.env });
    browser = await launchChromium();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Sérieville', timezone: 'Europe/Paris' });
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    venue = await createVenue(t.http, staff, town.slug, { name: 'La Fabrique', rooms: [{ name: 'Atelier', capacity: 10 }] });
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

  /**
   * socket.io's CONNECT packet without the session to recover (`pid`, `offset`): every
   * reconnection of the phone is then one the server cannot replay, as after more than the
   * recovery window away — so what the page shows afterwards is what it read again itself.
   */
  const withoutRecovery = (message: string | Buffer) => {
    if (typeof message !== 'string' || !message.startsWith('40{')) return message;
    const auth = JSON.parse(message.slice(2)) as Record<string, unknown>;
    delete auth.pid;
    delete auth.offset;
    return `40${JSON.stringify(auth)}`;
  };
  const until = async (condition: () => boolean, what: string) => {
    for (let i = 0; i < 600 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 100));
    if (!condition()) throw new Error(`timed out waiting for ${what}`);
  };

  it('lists my registrations made on another device, and a seat offered while the phone was offline shows once it is back online', async () => {
    // Made on another device (through the API): a seat at a walk, the waiting list of a full café.
    const phoneUser = await createSession(t.http, { locale: 'fr' });
    const keeper = await createSession(t.http);
    const walk = await createWorkshop(t.http, staff, town.slug, workshopBody({ title: { fr: 'Balade des jardins', en: 'Garden walk' }, sessions: [{ startsAt: localTime(5, 14), endsAt: localTime(5, 16), venueId: venue.id, roomId: venue.rooms[0].id, capacity: 5 }] }));
    const cafe = await createWorkshop(
      t.http,
      staff,
      town.slug,
      workshopBody({ title: { fr: 'Café réparation', en: 'Repair café' }, sessions: [{ startsAt: localTime(6, 10), endsAt: localTime(6, 12), venueId: venue.id, roomId: venue.rooms[0].id, capacity: 1 }] }),
    );
    await registerFor(t.http, phoneUser, walk.sessions[0].id);
    const kept = await registerFor(t.http, keeper, cafe.sessions[0].id);
    const waiting = await registerFor(t.http, phoneUser, cafe.sessions[0].id);
    expect(waiting).toMatchObject({ status: 'waitlisted', waitlistPosition: 1 });

    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    // The phone's live connection runs through a route the test can cut, as a lost network would.
    let cut = false;
    const links = new Set<{ page: WebSocketRoute; server: WebSocketRoute }>();
    await context.routeWebSocket(/\/socket\.io\//, (ws) => {
      if (cut) return void ws.close();
      const server = ws.connectToServer();
      const link = { page: ws, server };
      links.add(link);
      ws.onMessage((message) => server.send(withoutRecovery(message)));
      server.onMessage((message) => ws.send(message));
      ws.onClose((code, reason) => (links.delete(link), void server.close({ code, reason })));
      server.onClose((code, reason) => (links.delete(link), void ws.close({ code, reason })));
    });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(phoneUser.user.email);
    await page.getByLabel('Mot de passe').fill(phoneUser.user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    await chooseTownOnDevice(page, town);

    // My registrations: both, soonest first, with their state and a ticket each.
    await page.goto('/workshops');
    await page.getByRole('link', { name: 'Mes inscriptions' }).click();
    await page.getByRole('heading', { name: 'Mes inscriptions' }).waitFor();
    const items = page.getByTestId('my-registration');
    await items.nth(1).waitFor();
    await expect(items.allInnerTexts()).resolves.toEqual([expect.stringContaining('Balade des jardins'), expect.stringContaining('Café réparation')]);
    await expect(items.getByTestId('my-registration-state').allTextContents()).resolves.toEqual(['Inscrit', "Sur la liste d'attente, position 1"]);
    await expectAccessible(page, 'my registrations');
    await page.getByRole('button', { name: 'Passées' }).click();
    await page.getByText('Aucune séance passée.').waitFor();
    await page.getByRole('button', { name: 'À venir' }).click();
    await items.nth(1).getByRole('link', { name: 'Mon billet' }).click();
    await page.getByRole('heading', { name: 'Mon billet' }).waitFor();
    await expect(page.getByTestId('ticket-code').textContent()).resolves.toBe(waiting.code);

    // The workshop page knows the registration made elsewhere (nothing was remembered on this phone).
    await page.getByRole('link', { name: 'Café réparation' }).click();
    const session = page.getByTestId('workshop-session');
    await session.getByTestId('registration-status').getByText("Sur la liste d'attente, position 1").waitFor();
    await until(() => links.size > 0, 'the live connection');

    // Offline: requests fail and the live connection is cut (and refused while offline).
    await context.setOffline(true);
    cut = true;
    for (const link of [...links]) await link.page.close();
    await page.getByTestId('offline-banner').waitFor();
    // The seat frees meanwhile: the offer's live notice is sent (another connection of the person gets it) and the phone misses it.
    const otherDevice = await LiveClient.connect(t.url!, phoneUser.accessToken);
    try {
      await keeper.auth(t.http.post(`/api/v1/registrations/${kept.id}/cancel`)).expect(200);
      await otherDevice.waitForEvent((e) => e.type === 'notification.created' && (e.data as { type?: string }).type === 'workshop.seat_offered', 60_000);
    } finally {
      otherDevice.close();
    }
    await expect(session.getByTestId('registration-status').textContent()).resolves.toBe("Sur la liste d'attente, position 1");

    // Back online: the connection comes back, the page reads my registrations again — the offer is there.
    await context.setOffline(false);
    cut = false;
    await session.getByTestId('registration-status').getByText('Une place vous est proposée').waitFor(LIVE);
    await expectAccessible(page, 'offer after reconnecting');
    await session.getByRole('button', { name: 'Prendre la place' }).click();
    await session.getByTestId('registration-status').getByText('Inscrit').waitFor();
    await page.goto('/workshops/mine');
    // The list renders once its read answers: wait for both rows before reading them.
    await items.getByTestId('my-registration-state').nth(1).waitFor();
    await expect(items.getByTestId('my-registration-state').allTextContents()).resolves.toEqual(['Inscrit', 'Inscrit']);
    expect(problems).toEqual([]);
    await context.close();
  });
});

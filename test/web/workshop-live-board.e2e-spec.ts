import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { checkIn, createVenue, createWorkshop, localTime, registerFor, workshopBody } from '../factories/workshop.factory';
import { Browser, DESKTOP, ensureWebBuild, expectAccessible, launchChromium, openContext, Page, PHONE } from './browser';

/**
 * The facilitator's live board in Chromium (desktop, English) with two participants' phones
 * (French) and the room's projector (anonymous, by its secret link): check-in by typing a code;
 * notes posted on the phones arrive on the facilitator's board; the facilitator groups, renames,
 * merges and hides, moves the phases, runs the countdown, reveals the dots and runs a quick poll —
 * and each change is seen live on both phones and the projector. axe on every screen.
 */
jest.setTimeout(300_000);

describe('Web app: the facilitator live board and the projector (Chromium)', () => {
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let facilitator: Session;
  let sessionId: string;
  let workshopId: string;
  const opened: Array<{ close(): Promise<void> }> = [];
  /** Each browser context's CSP violations and page errors (openContext), checked at the end. */
  const problems: string[][] = [];

  beforeAll(async () => {
    ensureWebBuild();
    t = await createTestApp({ listen: true, env: { MAP_TILE_URL: 'none' } });
    browser = await launchChromium();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Tableauville', timezone: 'Europe/Paris' });
    const staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    facilitator = await memberSession(t.http, platform.accessToken, town.slug, ['facilitator'], { locale: 'en' });
    const venue = await createVenue(t.http, staff, town.slug, { name: 'Tiers-lieu', rooms: [{ name: 'Atelier', capacity: 20 }] });
    const workshop = await createWorkshop(
      t.http,
      facilitator,
      town.slug,
      workshopBody({ sessions: [{ startsAt: localTime(2, 18), endsAt: localTime(2, 20), venueId: venue.id, roomId: venue.rooms[0].id, capacity: 10 }] }),
    );
    sessionId = workshop.sessions[0].id;
    workshopId = workshop.id;
  });

  afterAll(async () => {
    for (const c of opened) await c.close().catch(() => undefined);
    await browser?.close();
    await t?.close();
  });

  async function signedIn(who: Session, viewport: { width: number; height: number }, locale: 'fr-FR' | 'en-US'): Promise<Page> {
    const { context, problems: seen } = await openContext(browser, t.url!, viewport, locale);
    opened.push(context);
    problems.push(seen);
    const page = await context.newPage();
    await page.goto('/sign-in');
    const en = locale === 'en-US';
    await page.getByLabel(en ? 'Email' : 'E-mail').fill(who.user.email);
    await page.getByLabel(en ? 'Password' : 'Mot de passe').fill(who.user.password);
    await page.getByRole('button', { name: en ? 'Sign in' : 'Se connecter' }).click();
    await page.getByRole('heading', { name: en ? 'Choose your town' : 'Choisissez votre ville' }).waitFor();
    return page;
  }

  /** The text of every note on a screen, in order. */
  const notesOf = (page: Page) => page.getByTestId('board-notes').getByTestId('board-idea').locator('.board-idea-text').allTextContents();
  /** Waits until `read` gives `expected` (a live change arriving), then checks it. */
  async function eventually<T>(read: () => Promise<T>, expected: T, what: string): Promise<void> {
    let last: T | undefined;
    for (let i = 0; i < 150; i++) {
      last = await read();
      if (JSON.stringify(last) === JSON.stringify(expected)) return;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect({ what, value: last }).toEqual({ what, value: expected });
  }

  it('runs a session live: check-in, notes, clusters, phases, countdown, dots revealed, a quick poll — on the phones and the projector', async () => {
    const alice = await createSession(t.http, { locale: 'fr' });
    const bob = await createSession(t.http, { locale: 'fr' });
    await checkIn(t.http, facilitator, sessionId, (await registerFor(t.http, alice, sessionId)).code);
    const bobsCode = (await registerFor(t.http, bob, sessionId)).code;

    // The facilitator's board; Bob is checked in at the door by typing his code (in lower case).
    const fac = await signedIn(facilitator, DESKTOP, 'en-US');
    // From the workshop's page, where its facilitators find the live board.
    await fac.goto(`/workshops/${workshopId}`);
    await fac.getByRole('link', { name: 'Run the live board' }).click();
    await fac.getByRole('heading', { name: 'Running the session' }).waitFor();
    expect(new URL(fac.url()).pathname).toBe(`/sessions/${sessionId}/run`);
    await fac.getByTestId('board-live').waitFor();
    await expect(fac.getByTestId('board-phase').textContent()).resolves.toBe('Collecting ideas');
    await expectAccessible(fac, 'facilitator board, empty');
    await fac.getByLabel('Door code (typed or scanned)').fill(bobsCode.toLowerCase());
    await fac.getByRole('button', { name: 'Check in', exact: true }).click();
    await fac.getByTestId('check-in-result').getByText(`Checked in: ${bobsCode}.`, { exact: true }).waitFor();
    await fac.getByLabel('Door code (typed or scanned)').fill('ZZZZZZZZ');
    await fac.getByRole('button', { name: 'Check in', exact: true }).click();
    await fac.getByTestId('check-in-result').getByText('No registration of this session has this code.').waitFor();

    // The two phones join the board.
    const phones = [await signedIn(alice, PHONE, 'fr-FR'), await signedIn(bob, PHONE, 'fr-FR')];
    for (const phone of phones) {
      await phone.goto(`/sessions/${sessionId}/board`);
      await phone.getByTestId('board-live').waitFor();
      await expect(phone.getByTestId('board-phase').textContent()).resolves.toBe('Recueil des idées');
    }
    const post = async (phone: Page, text: string) => {
      await phone.getByLabel('Votre idée (280 caractères au plus)').fill(text);
      await phone.getByRole('button', { name: 'Publier' }).click();
      await phone.getByTestId('board-notes').getByText(text).waitFor();
    };
    await post(phones[0], "Plus d'arbres");
    await post(phones[1], 'Des bancs');
    await post(phones[0], 'Publicité');
    await eventually(() => notesOf(fac), ["Plus d'arbres", 'Des bancs', 'Publicité'], 'notes on the facilitator board');
    await eventually(() => notesOf(phones[1]), ["Plus d'arbres", 'Des bancs', 'Publicité'], "notes on Bob's phone");

    // Hide one note: gone from the phones, listed as hidden for the facilitator.
    await fac.getByRole('button', { name: 'Hide “Publicité”' }).click();
    await fac.getByTestId('board-hidden').getByText('Publicité').waitFor();
    for (const phone of phones) await eventually(() => notesOf(phone), ["Plus d'arbres", 'Des bancs'], 'hidden note gone');

    // Clusters: create two, put a note in each, rename one, merge it into the other.
    await fac.getByRole('button', { name: 'Move on to: Grouping ideas' }).click();
    for (const phone of phones) await eventually(() => phone.getByTestId('board-phase').textContent(), 'Regroupement des idées', 'phase on a phone');
    for (const title of ['Nature', 'Confort']) {
      await fac.getByLabel('New group').fill(title);
      await fac.getByRole('button', { name: 'Create the group' }).click();
      await fac.getByTestId('board-cluster-title').getByText(title, { exact: true }).waitFor();
    }
    await fac.getByLabel("Group of “Plus d'arbres”").selectOption({ label: 'Nature' });
    await fac.getByTestId('board-cluster').filter({ hasText: 'Nature' }).getByText("Plus d'arbres").waitFor();
    await fac.getByLabel('Group of “Des bancs”').selectOption({ label: 'Confort' });
    await fac.getByTestId('board-cluster').filter({ hasText: 'Confort' }).getByText('Des bancs').waitFor();
    await fac.getByLabel('New name for “Confort”').fill('Mobilier');
    await fac.getByRole('region', { name: 'Confort' }).getByRole('button', { name: 'Rename' }).click();
    await fac.getByTestId('board-cluster-title').getByText('Mobilier', { exact: true }).waitFor();
    for (const phone of phones) await eventually(() => phone.getByTestId('board-cluster-title').allTextContents(), ['Nature', 'Mobilier'], 'clusters on a phone');
    await expectAccessible(fac, 'facilitator board, clusters');
    await expectAccessible(phones[0], 'phone, clusters');
    await fac.getByLabel('Merge “Mobilier” into').selectOption({ label: 'Nature' });
    await fac.getByRole('region', { name: 'Mobilier' }).getByRole('button', { name: 'Merge' }).click();
    for (const page of [fac, ...phones]) {
      await eventually(() => page.getByTestId('board-cluster-title').allTextContents(), ['Nature'], 'merged clusters');
      await eventually(() => page.getByTestId('board-cluster').getByTestId('board-idea').locator('.board-idea-text').allTextContents(), ["Plus d'arbres", 'Des bancs'], 'merged notes');
    }

    // The projector: a secret link, opened without signing in.
    await fac.getByRole('button', { name: 'New projector link' }).click();
    const link = await fac.getByTestId('projector-link').getAttribute('href');
    expect(link).toMatch(new RegExp(`/sessions/${sessionId}/projector#[A-Za-z0-9_-]{32}$`));
    const { context: projectorContext, problems: projectorProblems } = await openContext(browser, t.url!, DESKTOP, 'fr-FR');
    opened.push(projectorContext);
    const projector = await projectorContext.newPage();
    await projector.goto(link!);
    await projector.getByTestId('board-live').waitFor();
    await eventually(() => notesOf(projector), ["Plus d'arbres", 'Des bancs'], 'notes on the projector');
    await expectAccessible(projector, 'projector');
    await expect(projector.locator('section.projector').getByRole('button').count()).resolves.toBe(0);

    // The countdown: started, paused (every screen shows the same time left), a minute added.
    await fac.getByLabel('Minutes', { exact: true }).fill('2');
    await fac.getByRole('button', { name: 'Start' }).click();
    for (const page of [...phones, projector]) await eventually(async () => /^[12]:\d\d$/.test((await page.getByTestId('board-timer').textContent()) ?? ''), true, 'countdown running');
    await fac.getByRole('button', { name: 'Pause' }).click();
    await fac.getByText('Paused', { exact: true }).waitFor();
    const frozen = await fac.getByTestId('board-timer').first().textContent();
    for (const page of [...phones, projector]) await eventually(() => page.getByTestId('board-timer').textContent(), frozen, 'paused time, the same everywhere');
    await fac.getByRole('button', { name: 'Add a minute' }).click();
    const [m, s] = frozen!.split(':').map(Number);
    const later = `${m + 1}:${String(s).padStart(2, '0')}`;
    for (const page of [fac, ...phones, projector]) await eventually(async () => (await page.getByTestId('board-timer').allTextContents())[0], later, 'a minute added');

    // The vote: dots on the phones, counted but hidden until the facilitator reveals them.
    await fac.getByRole('button', { name: 'Move on to: Voting' }).click();
    for (const phone of phones) await phone.getByText('Gommettes restantes : 5').waitFor();
    await phones[0].getByRole('button', { name: '+1 gommette sur « Des bancs »' }).click();
    await phones[0].getByText('Gommettes restantes : 4').waitFor();
    await phones[0].getByRole('button', { name: '+1 gommette sur « Des bancs »' }).click();
    await phones[0].getByText('Gommettes restantes : 3').waitFor();
    await phones[1].getByRole('button', { name: "+1 gommette sur « Plus d'arbres »" }).click();
    await phones[1].getByText('Gommettes restantes : 4').waitFor();
    await eventually(() => fac.getByTestId('dots-cast').textContent(), 'Dots cast: 3', 'dots cast (facilitator)');
    await eventually(() => projector.getByTestId('dots-cast').textContent(), 'Gommettes posées : 3', 'dots cast (projector)');
    await expect(projector.getByTestId('idea-dots').count()).resolves.toBe(0);
    await expectAccessible(phones[1], 'phone, vote');
    await fac.getByRole('button', { name: 'Reveal the counts' }).click();
    const dotsOn = (page: Page) => page.getByTestId('board-idea').evaluateAll((items) => items.map((li) => `${li.querySelector('.board-idea-text')?.textContent} ${li.querySelector('[data-testid="idea-dots"]')?.textContent}`));
    await eventually(() => dotsOn(fac), ["Plus d'arbres Dots: 1", 'Des bancs Dots: 2'], 'revealed on the facilitator board');
    for (const page of [...phones, projector]) await eventually(() => dotsOn(page), ["Plus d'arbres Gommettes : 1", 'Des bancs Gommettes : 2'], 'revealed');

    // A quick poll: opened, answered on both phones, results live, closed.
    await fac.getByLabel('Question', { exact: true }).fill('Quel jour pour la suite ?');
    await fac.getByLabel('Options (one a line)').fill('Samedi\nDimanche');
    await fac.getByRole('button', { name: 'Open the poll' }).click();
    const answer = async (phone: Page, option: string) => {
      await phone.getByRole('group', { name: 'Quel jour pour la suite ?' }).getByLabel(option).check();
      await phone.getByRole('button', { name: 'Répondre' }).click();
      await phone.getByRole('button', { name: 'Changer ma réponse' }).waitFor();
    };
    await answer(phones[0], 'Samedi');
    await answer(phones[1], 'Dimanche');
    const results = (page: Page) => page.getByTestId('poll-results').locator('tr').allTextContents();
    for (const page of [fac, ...phones, projector]) await eventually(() => results(page), ['Samedi1', 'Dimanche1'], 'poll results live');
    await expectAccessible(fac, 'facilitator board, poll');
    await expectAccessible(phones[0], 'phone, poll');
    await fac.getByRole('button', { name: 'Close the poll “Quel jour pour la suite ?”' }).click();
    for (const phone of phones) await phone.getByTestId('board-poll').getByText('clos').waitFor();
    await expect(phones[0].getByRole('button', { name: 'Changer ma réponse' }).count()).resolves.toBe(0);

    await fac.getByRole('button', { name: 'Move on to: Results' }).click();
    for (const page of [...phones, projector]) await eventually(() => page.getByTestId('board-phase').textContent(), 'Résultats', 'results phase');
    await expectAccessible(projector, 'projector, results');

    // The saved board is what everyone was shown.
    const saved = (await facilitator.auth(t.http.get(`/api/v1/sessions/${sessionId}/board`)).expect(200)).body;
    expect(saved.board).toMatchObject({ phase: 'results', votesRevealed: true, dotsCast: 3, clusters: [{ title: 'Nature' }] });
    expect(saved.board.polls[0]).toMatchObject({ status: 'closed', counts: [1, 1], voters: 2 });

    // The facilitator closes the board and publishes its outcomes with the minutes.
    const publish = fac.getByTestId('outcomes-publish');
    await publish.getByLabel('Minutes of the session (shown on the workshop’s page)').fill('Deux idées retenues.\nSuite au printemps.');
    await expectAccessible(fac, 'facilitator board, publishing the outcomes');
    await publish.getByRole('button', { name: 'Close and publish' }).click();
    await publish.getByText('Published on the workshop’s page.').waitFor();
    await publish.getByText('The board is closed; its outcomes are on the workshop’s page.').waitFor();
    for (const phone of phones) await phone.getByText('Le tableau est fermé.').waitFor();
    const published = (await t.http.get(`/api/v1/workshops/${workshopId}/outcomes`).expect(200)).body.items;
    expect(published).toMatchObject([{ sessionId, minutes: 'Deux idées retenues.\nSuite au printemps.', voters: 2 }]);
    // A participant finds them on the workshop's page: the minutes, the ideas most dotted, the poll.
    await phones[0].goto(`/workshops/${workshopId}`);
    const outcomes = phones[0].getByTestId('session-outcomes');
    await outcomes.getByTestId('outcomes-minutes').getByText('Suite au printemps.').waitFor();
    await expect(outcomes.getByTestId('outcomes-minutes').textContent()).resolves.toBe('Deux idées retenues.\nSuite au printemps.');
    const top = await outcomes.getByTestId('outcomes-top-ideas').locator('li').allTextContents();
    expect(top.map((line) => line.split(' (')[0])).toEqual(['Des bancs — 2 gommette(s)', "Plus d'arbres — 1 gommette(s)"]);
    await expect(outcomes.getByTestId('outcomes-poll').locator('tr').allTextContents()).resolves.toEqual(['Samedi1', 'Dimanche1']);
    await expectAccessible(phones[0], 'workshop page with its outcomes');
    expect(projectorProblems).toEqual([]);
  });

  it('a participant cannot run the board; a wrong projector link is refused', async () => {
    const carol = await createSession(t.http, { locale: 'fr' });
    await checkIn(t.http, facilitator, sessionId, (await registerFor(t.http, carol, sessionId)).code);
    const phone = await signedIn(carol, PHONE, 'fr-FR');
    await phone.goto(`/sessions/${sessionId}/run`);
    await expect(phone.getByTestId('board-refused').textContent()).resolves.toBe('Seuls les animateurs de cette séance peuvent faire cela.');
    await expectAccessible(phone, 'run refused');

    const { context, problems: seen } = await openContext(browser, t.url!, DESKTOP, 'fr-FR');
    opened.push(context);
    const projector = await context.newPage();
    await projector.goto(`/sessions/${sessionId}/projector#not-the-key`);
    await expect(projector.getByTestId('board-refused').textContent()).resolves.toBe("Ce lien de projection n'est pas (ou plus) valable.");
    await expectAccessible(projector, 'projector refused');
    expect(seen).toEqual([]);
    expect(problems.flat()).toEqual([]);
  });
});

import { TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { checkIn, createVenue, createWorkshop, localTime, registerFor, TestWorkshop, workshopBody } from '../factories/workshop.factory';
import { BoardLiveClient } from '../workshops/board-live-client';
import { Browser, chooseTownOnDevice, expectAccessible, openContext, PHONE, startWebApp, WebApp } from './browser';

/**
 * Workshops in Chromium (phone, French): a resident finds the town's upcoming session in the list,
 * opens the workshop, registers, sees the ticket with its door code, the QR image loaded and the
 * calendar link; joins the waiting list of a full session (position shown), takes the seat offered
 * when it frees, and gives it up.
 * The participant's board: checked in at the door, the resident opens it from the ticket, posts a
 * note and sees another participant's arrive live; someone registered but not checked in is told
 * it is not theirs. Anonymous: the workshop, "sign in" instead of the button. axe on every page.
 */
jest.setTimeout(240_000);

describe('Web app: workshops (Chromium)', () => {
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let resident: Session;
  let workshop: TestWorkshop;
  let staff: Session;
  let seatHolder: { session: Session; registrationId: string };

  beforeAll(async () => {
    ({ t, browser } = web = await startWebApp());
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Atelierville', timezone: 'Europe/Paris' });
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    const venue = await createVenue(t.http, staff, town.slug, { name: 'Tiers-lieu des Tanneurs', rooms: [{ name: 'Grande salle', capacity: 20 }] });
    workshop = await createWorkshop(
      t.http,
      staff,
      town.slug,
      workshopBody({
        sessions: [
          { startsAt: localTime(3, 18), endsAt: localTime(3, 20), venueId: venue.id, roomId: venue.rooms[0].id, capacity: 5 },
          { startsAt: localTime(10, 9, 30), endsAt: localTime(10, 11), venueId: venue.id, roomId: venue.rooms[0].id, capacity: 1 },
        ],
      }),
    );
    resident = await createSession(t.http, { locale: 'fr' });
    // The second session's one seat is taken: the resident will wait for it.
    const holder = await createSession(t.http);
    seatHolder = { session: holder, registrationId: (await registerFor(t.http, holder, workshop.sessions[1].id)).id };
  });

  afterAll(async () => {
    await web?.close();
  });

  it('a resident finds the session, registers, sees the ticket with its QR image and the calendar link, and waits for a full session', async () => {
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(resident.user.email);
    await page.getByLabel('Mot de passe').fill(resident.user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    await chooseTownOnDevice(page, town);

    // The list: title, time on the town's clocks (Europe/Paris, whatever the browser's zone), venue, seats, format.
    await page.getByRole('link', { name: 'Ateliers', exact: true }).click();
    await page.getByRole('heading', { name: 'Ateliers à venir' }).waitFor();
    const items = page.getByTestId('workshop-sessions').locator('li');
    await items.first().waitFor();
    const listed = await items.allTextContents();
    expect(listed).toHaveLength(2);
    expect(listed[0]).toMatch(/^Atelier mobilité.*Sur place.*18:00–20:00.*Tiers-lieu des Tanneurs · Places restantes : 5$/);
    expect(listed[1]).toMatch(/09:30–11:00.*Complet : liste d'attente$/);
    await expectAccessible(page, 'workshops list');

    // The workshop and its sessions; register for the first.
    await items.first().getByRole('link', { name: 'Atelier mobilité' }).click();
    await page.getByRole('heading', { name: 'Atelier mobilité' }).waitFor();
    await expect(page.getByTestId('workshop-description').textContent()).resolves.toBe('Repenser les trajets du quotidien.');
    const sessions = page.getByTestId('workshop-session');
    await expect(sessions.first().textContent()).resolves.toMatch(/18:00–20:00.*Tiers-lieu des Tanneurs · Places restantes : 5/);
    await expectAccessible(page, 'workshop page');
    await sessions.first().getByRole('button', { name: "M'inscrire" }).click();
    await sessions.first().getByTestId('registration-status').getByText('Inscrit').waitFor();
    await sessions.first().getByText('Places restantes : 4').waitFor();
    const session = (await t.http.get(`/api/v1/sessions/${workshop.sessions[0].id}`).expect(200)).body;
    expect(session.seatsLeft).toBe(4);

    // The ticket: the code the API holds for this person, the QR image loaded, the calendar feed.
    await sessions.first().getByRole('link', { name: 'Mon billet' }).click();
    await page.getByRole('heading', { name: 'Mon billet' }).waitFor();
    const code = await page.getByTestId('ticket-code').textContent();
    const registrationId = page.url().split('/tickets/')[1];
    const mine = (await resident.auth(t.http.get(`/api/v1/registrations/${registrationId}`)).expect(200)).body;
    expect(mine).toMatchObject({ sessionId: workshop.sessions[0].id, status: 'registered', code });
    const qr = page.getByTestId('ticket-qr');
    await qr.waitFor();
    // A string, evaluated in the page (this file is compiled without the DOM's types): the image decoded.
    await page.waitForFunction(`(() => { const img = document.querySelector('[data-testid="ticket-qr"]'); return !!img && img.complete && img.naturalWidth > 0; })()`);
    await expect(qr.getAttribute('alt')).resolves.toBe(`QR code du code d'entrée ${code}`);
    const calendar = page.getByRole('link', { name: "S'abonner au calendrier de cet atelier" });
    const href = await calendar.getAttribute('href');
    expect(href).toBe(`/api/v1/workshops/${workshop.id}/calendar?lang=fr`);
    const feed = await t.http.get(href!).expect(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(String(feed.text)).toContain(`workshop-session-${workshop.sessions[0].id}@civic-platform`);
    await expectAccessible(page, 'ticket');

    // The full session: the waiting list, with the position; the seat holder cancels, the seat is
    // offered (seen after a reload: the page remembers this device's registrations), taken, then given up.
    await page.getByRole('link', { name: 'Atelier mobilité' }).click();
    const full = page.getByTestId('workshop-session').nth(1);
    await full.getByRole('button', { name: "M'inscrire sur la liste d'attente" }).click();
    await full.getByText("Sur la liste d'attente, position 1").waitFor();
    await expectAccessible(page, 'waiting list');
    await seatHolder.session.auth(t.http.post(`/api/v1/registrations/${seatHolder.registrationId}/cancel`)).expect(200);
    await page.reload();
    await page.getByTestId('workshop-session').first().getByTestId('registration-status').getByText('Inscrit').waitFor();
    await full.getByTestId('registration-status').getByText('Une place vous est proposée').waitFor();
    await expect(full.getByTestId('offer-expiry').textContent()).resolves.toMatch(/^La place vous est réservée jusqu'au .*\d\d:\d\d\.$/);
    await expectAccessible(page, 'seat offered');
    await full.getByRole('button', { name: 'Prendre la place' }).click();
    await full.getByTestId('registration-status').getByText('Inscrit').waitFor();
    const taken = (await t.http.get(`/api/v1/sessions/${workshop.sessions[1].id}`).expect(200)).body;
    expect(taken.seatsLeft).toBe(0);
    await full.getByRole('button', { name: 'Annuler mon inscription' }).click();
    await full.getByRole('button', { name: "M'inscrire" }).waitFor();
    await full.getByText('Places restantes : 1').waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('anyone reads a workshop; registering asks to sign in first', async () => {
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto(`/workshops/${workshop.id}`);
    await page.getByRole('heading', { name: 'Atelier mobilité' }).waitFor();
    await page.getByRole('link', { name: 'Connectez-vous pour vous inscrire' }).waitFor();
    await expect(page.getByRole('button', { name: "M'inscrire" }).count()).resolves.toBe(0);
    await expectAccessible(page, 'workshop page, anonymous');
    expect(problems).toEqual([]);
    await context.close();
  });

  /** Signs `who` in on a phone (French) and returns the page. */
  const signedInPhone = async (who: Session) => {
    const opened = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await opened.context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(who.user.email);
    await page.getByLabel('Mot de passe').fill(who.user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    return { ...opened, page };
  };

  it("a checked-in participant opens the session's board from the ticket, posts a note and sees another's arrive live", async () => {
    const sessionId = workshop.sessions[0].id;
    const townAdmin = await memberSession(t.http, (await platformAdminSession(t.http)).accessToken, town.slug, ['admin']);
    const mobilityTopicId = (
      await townAdmin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposal-topics`)).send({ code: 'mobilite', nameFr: 'Mobilité', nameEn: 'Getting around' }).expect(201)
    ).body.id as string;
    const participant = await createSession(t.http, { locale: 'fr' });
    const registration = await registerFor(t.http, participant, sessionId);
    await checkIn(t.http, staff, sessionId, registration.code);
    const neighbour = await createSession(t.http);
    await checkIn(t.http, staff, sessionId, (await registerFor(t.http, neighbour, sessionId)).code);
    const other = await BoardLiveClient.join(t.url!, neighbour.accessToken, sessionId);
    try {
      const { context, problems, page } = await signedInPhone(participant);
      await chooseTownOnDevice(page, town);
      await page.goto(`/tickets/${registration.id}`);
      await page.getByRole('link', { name: 'Le tableau de la séance' }).click();
      await page.getByRole('heading', { name: 'Le tableau de la séance' }).waitFor();
      await page.getByTestId('board-live').waitFor();
      await expect(page.getByTestId('board-phase').textContent()).resolves.toBe('Recueil des idées');
      await page.getByText("Aucune note pour l'instant.").waitFor();
      await expectAccessible(page, 'board');

      await page.getByLabel('Votre idée (280 caractères au plus)').fill('Plus de pistes cyclables');
      await page.getByRole('button', { name: 'Publier' }).click();
      await page.getByTestId('board-notes').getByText('Plus de pistes cyclables').waitFor();
      await expect(page.getByLabel('Votre idée (280 caractères au plus)').inputValue()).resolves.toBe('');
      // Saved on the server, and broadcast to the other participant's socket.
      const saved = (await participant.auth(t.http.get(`/api/v1/sessions/${sessionId}/board`)).expect(200)).body;
      expect(JSON.stringify(saved)).toContain('Plus de pistes cyclables');
      for (let i = 0; i < 100 && !other.view.ideas.some((idea) => idea.text === 'Plus de pistes cyclables'); i++) await new Promise((r) => setTimeout(r, 50));
      expect(other.view.ideas.map((idea) => idea.text)).toContain('Plus de pistes cyclables');

      // Another participant's note arrives live, without a reload.
      const ack = await other.act('idea.post', { text: 'Un atelier vélo mensuel' });
      expect(ack.ok).toBe(true);
      await page.getByTestId('board-notes').getByText('Un atelier vélo mensuel').waitFor();
      const notes = await page.getByTestId('board-notes').locator('li').allTextContents();
      expect(notes).toEqual(['Plus de pistes cyclables la mienne En faire une proposition', 'Un atelier vélo mensuel']);
      await expectAccessible(page, 'board with notes');

      // My own note (only mine) becomes my draft proposal, under one of the town's topics.
      const notesList = page.getByTestId('board-notes').locator('li');
      await expect(notesList.filter({ hasText: 'Un atelier vélo mensuel' }).getByRole('button').count()).resolves.toBe(0);
      const myNote = notesList.filter({ hasText: 'Plus de pistes cyclables' });
      await myNote.getByRole('button', { name: 'En faire une proposition' }).click();
      const form = myNote.getByTestId('idea-proposal-form');
      await expect(form.getByLabel('Titre de la proposition').inputValue()).resolves.toBe('Plus de pistes cyclables');
      await form.getByLabel('Titre de la proposition').fill('Des pistes cyclables vers le tiers-lieu');
      await form.getByLabel('Thème').selectOption({ label: 'Mobilité' });
      await expectAccessible(page, 'note becoming a proposal');
      await form.getByRole('button', { name: 'Créer le brouillon' }).click();
      await myNote.getByTestId('idea-proposal-created').getByRole('link', { name: 'ouvrir le brouillon « Des pistes cyclables vers le tiers-lieu »' }).click();
      await page.getByRole('heading', { name: 'Des pistes cyclables vers le tiers-lieu' }).waitFor();
      const proposalId = page.url().split('/proposals/')[1];
      const draft = (await participant.auth(t.http.get(`/api/v1/proposals/${proposalId}`)).expect(200)).body;
      expect(draft).toMatchObject({ status: 'draft', body: 'Plus de pistes cyclables', author: { id: participant.user.id }, topic: { id: mobilityTopicId } });
      await expectAccessible(page, 'the draft from the note');
      expect(problems).toEqual([]);
      await context.close();
    } finally {
      other.close();
    }

    // Registered but not checked in: the board is not theirs.
    const absent = await createSession(t.http, { locale: 'fr' });
    await registerFor(t.http, absent, sessionId);
    const { context, problems, page } = await signedInPhone(absent);
    await page.goto(`/sessions/${sessionId}/board`);
    await expect(page.getByTestId('board-refused').textContent()).resolves.toBe('Ce tableau est réservé aux personnes accueillies à la séance et à ses animateurs.');
    await expectAccessible(page, 'board refused');
    expect(problems).toEqual([]);
    await context.close();
  });
});

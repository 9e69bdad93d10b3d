import { cameraPhoto } from '../fixtures/images';
import { IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { draft, makeResident, ProposalTown, proposalTown, published } from '../proposals/proposal-fixtures';
import { Browser, chooseTownOnDevice, expectAccessible, openContext, PHONE, screenshot, startWebApp, WebApp } from './browser';

/**
 * The proposal screens beyond reading and supporting (test/web/proposals.e2e-spec.ts), in
 * Chromium on a phone, in French: the map of located proposals beside the list and the
 * most-commented sort; writing with a district, then a place; editing a draft and a published
 * proposal, and the edit refused once a support arrived meanwhile; withdrawing with a reason;
 * co-authors invited, accepting and declining; comments, follow, photos and documents; the
 * page following `proposal:{id}` live while another person supports and the town answers.
 * axe on every page.
 */
jest.setTimeout(300_000);

function pdf(): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

describe('Web app: a proposal page, writing, co-authors and live updates (Chromium)', () => {
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let p: ProposalTown;
  let env: IsolatedEnv;
  let worker: TestWorker;

  beforeAll(async () => {
    // Its own database and queues, and the real worker: comment counts and live messages go through the outbox relay.
    env = await isolatedEnv('web_proposal_page');
    ({ t, browser } = web = await startWebApp(env.env));
    worker = await startTestWorker({ env: env.env });
    p = await proposalTown(t.http);
  });

  afterAll(async () => {
    await worker?.close();
    await web?.close();
    await env?.teardown();
  });

  /** A resident of the town, signed in on a fresh phone with the town chosen. */
  const residentOnPhone = async (displayName: string) => {
    const session = await createSession(t.http, { displayName });
    await makeResident(t.http, p, session);
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(session.user.email);
    await page.getByLabel('Mot de passe').fill(session.user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    await chooseTownOnDevice(page, p.town);
    return { session, context, page, problems };
  };

  const comment = (who: Session, id: string, body: string) => who.auth(t.http.post(`/api/v1/proposals/${id}/comments`)).send({ body }).expect(201);

  it('shows the located proposals on a map beside the list, and sorts by the most commented', async () => {
    const [lng, lat] = p.town.center;
    const author = await createSession(t.http);
    const discussed = await published(t.http, p, author, { title: 'Une fontaine sur la place' });
    // The newest, so the list starts with it until sorted by comments.
    const located = await published(t.http, p, author, { title: 'Un banc sous le tilleul', location: { lat: lat + 0.002, lng: lng + 0.002 } });
    await comment(author, discussed, 'Une fontaine à boire, surtout.');
    // The comment count follows engagement's events through the worker: wait until the list says so.
    const deadline = Date.now() + 30_000;
    for (;;) {
      const list = await t.http.get(`/api/v1/municipalities/${p.town.slug}/proposals`).query({ sort: 'most_commented' }).expect(200);
      if (list.body.items[0]?.id === discussed) break;
      if (Date.now() > deadline) throw new Error(`most_commented never put the discussed one first: ${JSON.stringify(list.body.items.map((i: { title: string }) => i.title))}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }

    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/proposals');
    await chooseTownOnDevice(page, p.town);
    await page.getByRole('heading', { name: 'Carte des propositions situées' }).waitFor();
    await page.getByTestId('proposal-map-count').getByText('1 proposition(s) sur la carte').waitFor();
    // One circle, for the located one (the town's outline is not interactive); a tap opens it.
    await page.getByTestId('proposal-map').locator('path.leaflet-interactive').first().waitFor();
    await expect(page.getByTestId('proposal-map').locator('path.leaflet-interactive').count()).resolves.toBe(1);
    await expectAccessible(page, 'proposals with the map');
    if (process.env.WEB_SCREENSHOTS === '1') await page.evaluate("document.getElementById('proposal-map-title').scrollIntoView()");
    await screenshot(page, 'phone-proposal-map');
    await page.getByTestId('proposal-item').first().getByRole('link', { name: 'Un banc sous le tilleul' }).waitFor();
    await page.getByLabel('Trier par').selectOption({ label: 'Les plus commentées' });
    await page.getByTestId('proposal-item').first().getByRole('link', { name: 'Une fontaine sur la place' }).waitFor();
    await page.getByTestId('proposal-map').locator('path.leaflet-interactive').first().click();
    await page.getByRole('heading', { name: 'Un banc sous le tilleul' }).waitFor();
    expect(page.url()).toContain(`/proposals/${located}`);
    // Its place is shown on the page too.
    await page.getByRole('heading', { name: 'Où' }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('writes a proposal in a district, edits it with a place, publishes it, is refused an edit once supported, and withdraws it', async () => {
    const { session: author, context, page, problems } = await residentOnPhone('Aude Autrice');
    await page.goto('/proposals/new');
    await page.getByRole('heading', { name: 'Écrire une proposition' }).waitFor();
    await page.getByLabel('Titre').fill('Des toilettes publiques au parc');
    await page.getByLabel('Votre proposition').fill('Il n’y a aucune toilette publique autour du parc.');
    await page.getByLabel('Thème').selectOption({ label: 'Mobilité' });
    await page.getByLabel('Quartier (facultatif, sans lieu précis)').selectOption({ label: 'Nord-Est' });
    await expectAccessible(page, 'new proposal with place and district');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await page.getByRole('heading', { name: 'Des toilettes publiques au parc' }).waitFor();
    const id = /\/proposals\/([0-9a-f-]{36})$/.exec(page.url())![1];
    expect((await author.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(200)).body).toMatchObject({ status: 'draft', districtId: p.districtId, location: null });

    // Editing the draft: a new title, and a place picked on the map (its centre is inside the town).
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.getByRole('heading', { name: 'Modifier la proposition' }).waitFor();
    await page.getByLabel('Titre').fill('Des toilettes publiques au parc Jean-Moulin');
    await page.getByTestId('map').click();
    await page.getByTestId('place-chosen').waitFor();
    await expectAccessible(page, 'edit proposal');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByRole('heading', { name: 'Des toilettes publiques au parc Jean-Moulin' }).waitFor();
    const edited = (await author.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(200)).body;
    expect(edited.location).toEqual({ lat: expect.any(Number), lng: expect.any(Number) });
    await page.getByRole('heading', { name: 'Où' }).waitFor();

    // Published, still editable until its first support: the form is open when one arrives.
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByText('Votre proposition est publiée : elle peut recevoir des soutiens.').waitFor();
    await expect(page.getByTestId('proposal-status').textContent()).resolves.toBe('Ouverte aux soutiens');
    await page.getByRole('link', { name: 'Modifier' }).click();
    await page.getByRole('heading', { name: 'Modifier la proposition' }).waitFor();
    const supporter = await createSession(t.http);
    await makeResident(t.http, p, supporter);
    await supporter.auth(t.http.post(`/api/v1/proposals/${id}/support`)).expect(200);
    await page.getByLabel('Titre').fill('Un autre titre, trop tard');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByRole('alert').getByText('Cette proposition a reçu des soutiens : son texte ne peut plus changer.').waitFor();
    await expectAccessible(page, 'edit refused');
    expect((await t.http.get(`/api/v1/proposals/${id}`).expect(200)).body.title).toBe('Des toilettes publiques au parc Jean-Moulin');

    // Back on its page: no more "edit"; withdrawn with a reason, shown to everyone.
    await page.getByRole('link', { name: 'Retour à la proposition' }).click();
    await page.getByTestId('support-count').getByText('Soutiens : 1').waitFor();
    await expect(page.getByRole('link', { name: 'Modifier' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Retirer la proposition' }).click();
    await page.getByLabel('Pourquoi la retirez-vous ?').fill('La mairie en installe déjà.');
    await page.getByRole('button', { name: 'La retirer' }).click();
    await page.getByTestId('withdrawn-reason').getByText('Retirée : La mairie en installe déjà.').waitFor();
    await expect(page.getByTestId('proposal-status').textContent()).resolves.toBe('Retirée');
    await expectAccessible(page, 'withdrawn');
    expect((await t.http.get(`/api/v1/proposals/${id}`).expect(200)).body).toMatchObject({ status: 'withdrawn', withdrawnReason: 'La mairie en installe déjà.' });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('co-authors: the author invites people who took part; one accepts and is shown, the other declines', async () => {
    const author = await residentOnPhone('Aline Autrice');
    const id = await published(t.http, p, author.session, { title: 'Un jardin partagé rue Voltaire' });
    const accepting = await residentOnPhone('Bruno Cosignataire');
    const declining = await createSession(t.http, { displayName: 'Chloé Hésitante', locale: 'en' });
    await comment(accepting.session, id, 'Je veux bien aider à l’écrire.');
    await comment(declining, id, 'Bonne idée.');

    await author.page.goto(`/proposals/${id}`);
    await author.page.getByRole('heading', { name: 'Co-auteurs' }).waitFor();
    await author.page.getByText('Pas encore de co-auteur.').waitFor();
    const invite = author.page.getByLabel('Inviter une personne qui a pris part à la discussion');
    await invite.selectOption({ label: 'Bruno Cosignataire' });
    await author.page.getByRole('button', { name: 'Inviter à cosigner' }).click();
    await author.page.getByText('Bruno Cosignataire est invité·e').waitFor();
    await expectAccessible(author.page, 'co-author invited');
    await invite.selectOption({ label: 'Chloé Hésitante' });
    await author.page.getByRole('button', { name: 'Inviter à cosigner' }).click();
    await author.page.getByText('Chloé Hésitante est invité·e').waitFor();

    // The invitee sees the invitation in the list, opens it and accepts.
    await accepting.page.goto('/proposals');
    await accepting.page.getByTestId('invitations').getByRole('link', { name: 'Un jardin partagé rue Voltaire' }).click();
    await accepting.page.getByText('Vous êtes invité·e à cosigner cette proposition.').waitFor();
    await expectAccessible(accepting.page, 'invitation');
    await screenshot(accepting.page, 'phone-proposal-invitation');
    await accepting.page.getByRole('button', { name: 'Accepter' }).click();
    await accepting.page.getByText('Vous cosignez cette proposition.').waitFor();
    await accepting.page.getByTestId('coauthors').getByText('Bruno Cosignataire').waitFor();
    await accepting.page.getByText("Vous en êtes l'auteur : ce sont les autres qui la soutiennent.").waitFor();

    // The other declines (in English this time, from the notification): nothing shown, nothing pending.
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'en-US');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(declining.user.email);
    await page.getByLabel('Password').fill(declining.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your town' }).waitFor();
    // The invitation's notification (the worker's rule) opens the proposal from the inbox.
    await page.goto('/notifications');
    await page.getByTestId('inbox').getByRole('button', { name: /Invitation to co-sign/ }).click();
    await page.getByRole('heading', { name: 'Un jardin partagé rue Voltaire' }).waitFor();
    await page.getByText('You are invited to co-sign this proposal.').waitFor();
    await page.getByRole('button', { name: 'Decline' }).click();
    await page.getByText('Invitation declined.').waitFor();
    await expectAccessible(page, 'invitation declined');
    expect((await declining.auth(t.http.get('/api/v1/me/proposal-invitations')).expect(200)).body.items).toEqual([]);
    expect((await t.http.get(`/api/v1/proposals/${id}`).expect(200)).body.coauthors).toEqual([{ id: accepting.session.user.id, displayName: 'Bruno Cosignataire' }]);
    for (const problemList of [author.problems, accepting.problems, problems]) expect(problemList).toEqual([]);
    await Promise.all([author.context.close(), accepting.context.close(), context.close()]);
  });

  it('shows comments, follow, photos and documents on a proposal', async () => {
    const author = await createSession(t.http, { displayName: 'Denise' });
    const id = await published(t.http, p, author, { title: 'Des nichoirs dans le parc' });
    await author.auth(t.http.post(`/api/v1/proposals/${id}/photos`)).attach('photo', await cameraPhoto('jpeg'), { filename: 'nichoir.jpg', contentType: 'image/jpeg' }).expect(201);
    await author.auth(t.http.post(`/api/v1/proposals/${id}/documents`)).attach('document', pdf(), { filename: 'plan des nichoirs.pdf', contentType: 'application/pdf' }).expect(201);
    const { session, context, page, problems } = await residentOnPhone('Étienne');
    await page.goto(`/proposals/${id}`);
    await page.getByRole('heading', { name: 'Des nichoirs dans le parc' }).waitFor();
    const photo = page.getByTestId('photos').getByRole('img', { name: 'Photo 1 de la proposition' });
    await photo.waitFor();
    // The thumbnail really loads (same origin, public while the proposal is): scrolled to (it is
    // lazy), then its load or error event — evaluated through DevTools, which the CSP allows.
    await photo.scrollIntoViewIfNeeded();
    const width = await page.evaluate(`new Promise((resolve) => {
      const img = document.querySelector('[data-testid=photos] img');
      if (img.complete) return resolve(img.naturalWidth);
      img.addEventListener('load', () => resolve(img.naturalWidth));
      img.addEventListener('error', () => resolve(0));
    })`);
    expect(width).toBeGreaterThan(0);
    const download = page.getByTestId('documents').getByRole('link', { name: /Télécharger plan des nichoirs\.pdf/ });
    const path = await download.getAttribute('href');
    const file = await t.http.get(path!).expect(200);
    expect(file.headers['content-type']).toBe('application/pdf');

    await page.getByRole('button', { name: 'Suivre' }).click();
    await page.getByRole('button', { name: 'Ne plus suivre' }).waitFor();
    expect((await session.auth(t.http.get(`/api/v1/proposals/${id}/follow`)).expect(200)).body.following).toBe(true);
    await page.getByText('Pas encore de commentaire.').waitFor();
    await page.getByLabel('Ajouter un commentaire').fill('Et des mangeoires pour l’hiver ?');
    await page.getByRole('button', { name: 'Commenter' }).click();
    await page.getByTestId('comments').getByText('Et des mangeoires pour l’hiver ?').waitFor();
    await expectAccessible(page, 'proposal with media and comments');
    const comments = await t.http.get(`/api/v1/proposals/${id}/comments`).expect(200);
    expect(comments.body.items.map((c: { body: string }) => c.body)).toEqual(['Et des mangeoires pour l’hiver ?']);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows proposal:{id} live: another person’s support and the town’s answer arrive without reloading', async () => {
    const author = await createSession(t.http);
    const id = await published(t.http, p, author, { title: 'Une piste cyclable rue Nationale' });
    const anonymous = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const watcher = await anonymous.context.newPage();
    await watcher.goto(`/proposals/${id}`);
    await watcher.getByTestId('support-count').getByText('Soutiens : 0').waitFor();
    // The server accepted the subscription (its ack): from now on nothing is missed.
    await watcher.getByTestId('live').waitFor();

    const supporter = await residentOnPhone('Fanny');
    await supporter.page.goto(`/proposals/${id}`);
    await supporter.page.getByRole('button', { name: 'Soutenir cette proposition' }).click();
    await supporter.page.getByTestId('support-count').getByText('Soutiens : 1').waitFor();
    await watcher.getByTestId('support-count').getByText('Soutiens : 1').waitFor();

    await p.staff.auth(t.http.put(`/api/v1/proposals/${id}/answer`)).send({ status: 'accepted', body: 'La piste sera *tracée* au printemps.', estimatedCost: 40000, timeline: 'Printemps 2027' }).expect(200);
    await p.staff.auth(t.http.post(`/api/v1/proposals/${id}/answer/publish`)).expect((res) => expect([200, 201]).toContain(res.status));
    await watcher.getByTestId('proposal-answer').locator('em').getByText('tracée').waitFor();
    await watcher.getByTestId('proposal-status').getByText('Acceptée').waitFor();
    await supporter.page.getByTestId('proposal-answer').waitFor();
    await expectAccessible(watcher, 'answered live');
    expect(anonymous.problems).toEqual([]);
    expect(supporter.problems).toEqual([]);
    await Promise.all([anonymous.context.close(), supporter.context.close()]);
  });

  it('a draft stays out of sight of others; its author sees it with its actions', async () => {
    const author = await createSession(t.http);
    const id = await draft(t.http, p, author, { title: 'Un brouillon discret' });
    const { context, page, problems } = await residentOnPhone('Gaspard');
    await page.goto(`/proposals/${id}`);
    await page.getByRole('alert').waitFor();
    await expect(page.getByRole('heading', { name: 'Un brouillon discret' }).count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });
});

import { cameraPhoto } from '../fixtures/images';
import { IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { draft, makeResident, ProposalTown, proposalTown, published } from '../proposals/proposal-fixtures';
import { TestApp } from '../utils/create-test-app';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { createSession } from '../utils/sessions';
import { Browser, chooseTownOnDevice, expectAccessible, openContext, PHONE, startWebApp, WebApp } from './browser';

/**
 * Proposals in Chromium (phone, French), beyond test/web/proposal-page.e2e-spec.ts: taking a
 * saved place off a proposal (its district kept); the list following the town's feed
 * `municipality:{slug}:proposals` while, in another browser context, a resident supports and an
 * author publishes and withdraws; a draft's photo and document shown to its author through the
 * token (blob URLs), and refused (404) to anyone else by the API. axe on every page.
 */
jest.setTimeout(300_000);

function pdf(): Buffer {
  return Buffer.from(
    `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
      `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
    'latin1',
  );
}

describe('Web app: a place taken off, the live list, a draft’s files (Chromium)', () => {
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let p: ProposalTown;
  let env: IsolatedEnv;
  let worker: TestWorker;

  beforeAll(async () => {
    // Its own database and queues, and the real worker: live messages go through the outbox relay.
    env = await isolatedEnv('web_proposal_live_list');
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

  it('takes a saved place off a proposal: the district it was in stays, and can be changed to none', async () => {
    const { session: author, context, page, problems } = await residentOnPhone('Hélène');
    const [lng, lat] = p.town.center;
    const id = await draft(t.http, p, author, { title: 'Un banc près du kiosque', location: { lat: lat + 0.004, lng: lng + 0.004 } });
    expect((await author.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(200)).body).toMatchObject({ districtId: p.districtId, location: { lat: lat + 0.004 } });

    await page.goto(`/proposals/${id}/edit`);
    await page.getByRole('heading', { name: 'Modifier la proposition' }).waitFor();
    await page.getByTestId('place-chosen').waitFor();
    await page.getByRole('button', { name: 'Retirer le lieu' }).click();
    // Without a place the district is asked for, and shows the one the place was in.
    const district = page.getByLabel('Quartier (facultatif, sans lieu précis)');
    await district.waitFor();
    await expect(district.inputValue()).resolves.toBe(p.districtId);
    await expectAccessible(page, 'edit without the place');
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByRole('heading', { name: 'Un banc près du kiosque' }).waitFor();
    expect((await author.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(200)).body).toMatchObject({ location: null, districtId: p.districtId });
    await expect(page.getByRole('heading', { name: 'Où' }).count()).resolves.toBe(0);

    // Then no district either.
    await page.goto(`/proposals/${id}/edit`);
    await district.waitFor();
    await district.selectOption({ label: 'Aucun quartier' });
    await page.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await page.getByRole('heading', { name: 'Un banc près du kiosque' }).waitFor();
    expect((await author.auth(t.http.get(`/api/v1/proposals/${id}`)).expect(200)).body).toMatchObject({ location: null, districtId: null });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('follows the town’s feed on the list: supports from another context, a new proposal, a withdrawn one', async () => {
    const author = await createSession(t.http, { displayName: 'Ismaël' });
    const existing = await published(t.http, p, author, { title: 'Des fontaines à eau au marché' });
    const leaving = await published(t.http, p, author, { title: 'Un marché de nuit en été' });

    const visitor = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const list = await visitor.context.newPage();
    await list.goto('/proposals');
    await chooseTownOnDevice(list, p.town);
    const item = (title: string) => list.getByTestId('proposal-item').filter({ has: list.getByRole('link', { name: title, exact: true }) });
    await item('Des fontaines à eau au marché').getByText('Soutiens : 0').waitFor();
    // The server accepted the subscription (its ack): from now on nothing is missed.
    await list.getByTestId('list-live').waitFor();

    // Another browser context: a resident supports one on its page.
    const supporter = await residentOnPhone('Jeanne');
    await supporter.page.goto(`/proposals/${existing}`);
    await supporter.page.getByRole('button', { name: 'Soutenir cette proposition' }).click();
    await supporter.page.getByTestId('support-count').getByText('Soutiens : 1').waitFor();
    await item('Des fontaines à eau au marché').getByText('Soutiens : 1').waitFor();

    // A new proposal comes first in the newest list; a withdrawn one goes.
    await published(t.http, p, author, { title: 'Des toilettes au jardin public' });
    await list.getByTestId('proposal-item').first().getByRole('link', { name: 'Des toilettes au jardin public' }).waitFor();
    await author.auth(t.http.post(`/api/v1/proposals/${leaving}/withdraw`)).send({ reason: 'Déjà prévu par la ville' }).expect(200);
    await item('Un marché de nuit en été').waitFor({ state: 'detached' });
    await expectAccessible(list, 'live list');

    // Sorted otherwise, a new proposal is offered with a button (its place is the API's to say).
    await list.getByLabel('Trier par').selectOption({ label: 'Les plus soutenues' });
    await item('Des fontaines à eau au marché').waitFor();
    await published(t.http, p, author, { title: 'Des bancs le long du canal' });
    await list.getByTestId('fresh-proposals').click();
    await item('Des bancs le long du canal').waitFor();
    await expect(list.getByTestId('proposal-item').first().getByRole('link').textContent()).resolves.toBe('Des fontaines à eau au marché');
    expect(visitor.problems).toEqual([]);
    expect(supporter.problems).toEqual([]);
    await Promise.all([visitor.context.close(), supporter.context.close()]);
  });

  it('invites a co-author by e-mail: a non-resident address is refused in words, a resident’s is invited', async () => {
    const { session: author, context, page, problems } = await residentOnPhone('Léa');
    const id = await draft(t.http, p, author, { title: 'Une boîte à livres au square' });
    const invitee = await createSession(t.http, { displayName: 'Marius' });
    await makeResident(t.http, p, invitee);
    const stranger = await createSession(t.http);
    await page.goto(`/proposals/${id}`);
    await page.getByRole('heading', { name: 'Une boîte à livres au square' }).waitFor();
    const field = page.getByLabel('Ou invitez un habitant de la ville par son adresse e-mail');
    await field.fill(stranger.user.email);
    await page.getByRole('button', { name: 'Inviter par e-mail' }).click();
    await page.getByTestId('invite-email-error').getByText('Aucun habitant vérifié de cette ville n’a cette adresse.').waitFor();
    await expectAccessible(page, 'invitation by e-mail refused');
    await field.fill(invitee.user.email.toUpperCase());
    await page.getByRole('button', { name: 'Inviter par e-mail' }).click();
    await page.getByRole('status').getByText(/est invité·e/).waitFor();
    const pending = await invitee.auth(t.http.get('/api/v1/me/proposal-invitations')).expect(200);
    expect(pending.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    await expect(page.getByTestId('invite-email-error').count()).resolves.toBe(0);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('shows a draft’s photo and document to its author through the token; anyone else gets 404 from the API', async () => {
    const { session: author, context, page, problems } = await residentOnPhone('Kenza');
    const id = await draft(t.http, p, author, { title: 'Un jardin partagé rue Pasteur' });
    const photo = await author
      .auth(t.http.post(`/api/v1/proposals/${id}/photos`))
      .attach('photo', await cameraPhoto('jpeg'), { filename: 'jardin.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const doc = await author
      .auth(t.http.post(`/api/v1/proposals/${id}/documents`))
      .attach('document', pdf(), { filename: 'plan du jardin.pdf', contentType: 'application/pdf' })
      .expect(201);

    // The files are the author's (and staff's) only: without the token, or with another's, 404.
    const other = await createSession(t.http);
    const path = (url: string) => new URL(url).pathname + new URL(url).search;
    for (const url of [photo.body.url, photo.body.thumbnailUrl, doc.body.url]) {
      await t.http.get(path(url)).expect(404);
      await other.auth(t.http.get(path(url))).expect(404);
      await author.auth(t.http.get(path(url))).expect(200);
    }
    await other.auth(t.http.get(`/api/v1/proposals/${id}/photos`)).expect(404);
    await other.auth(t.http.get(`/api/v1/proposals/${id}/documents`)).expect(404);

    await page.goto(`/proposals/${id}`);
    await page.getByRole('heading', { name: 'Un jardin partagé rue Pasteur' }).waitFor();
    const thumbnail = page.getByTestId('photos').getByRole('img', { name: 'Photo 1 de la proposition' });
    await thumbnail.waitFor();
    await expect(thumbnail.getAttribute('src')).resolves.toMatch(/^blob:/);
    // The blob really holds the image: its load (or error) event, evaluated through DevTools.
    const width = await page.evaluate(`new Promise((resolve) => {
      const img = document.querySelector('[data-testid=photos] img');
      if (img.complete) return resolve(img.naturalWidth);
      img.addEventListener('load', () => resolve(img.naturalWidth));
      img.addEventListener('error', () => resolve(0));
    })`);
    expect(width).toBeGreaterThan(0);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('documents').getByRole('button', { name: /Télécharger plan du jardin\.pdf/ }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('plan du jardin.pdf');
    const saved = await download.createReadStream();
    const chunks: Buffer[] = [];
    for await (const chunk of saved) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).subarray(0, 8).toString('latin1')).toBe('%PDF-1.4');
    await page.getByText('Seuls les auteurs voient les fichiers d’un brouillon.').waitFor();
    await expectAccessible(page, 'draft with its files');
    expect(problems).toEqual([]);
    await context.close();
  });
});

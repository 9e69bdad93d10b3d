import TestAgent from 'supertest/lib/agent';
import { TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { Browser, chooseTownOnDevice, expectAccessible, openContext, PHONE, screenshot, startWebApp, WebApp } from './browser';

/**
 * Citizen proposals in Chromium (phone, French): a resident searches the town's proposals, filters
 * and sorts them, opens one (its Markdown as the API's sanitized HTML), supports it and takes the
 * support back; writes a new one, sees the existing one suggested while typing the title, saves
 * the draft and publishes it. Anonymous visitors read a proposal and are asked to sign in to
 * support. axe on every page.
 */
jest.setTimeout(240_000);

const EXISTING = {
  title: 'Des arceaux vélo devant la médiathèque',
  body: 'Il manque des *arceaux* pour les vélos. Voir [le plan](https://example.org/plan).\n\n<script>window.hacked = 1</script>',
};

async function verifiedResident(http: TestAgent, slug: string, staff: Session): Promise<Session> {
  const s = await createSession(http);
  const res = await staff.auth(http.put(`/api/v1/municipalities/${slug}/residents/${s.user.id}`)).send({});
  if (res.status !== 200 && res.status !== 201) throw new Error(`residency answered ${res.status}`);
  return s;
}

describe('Web app: citizen proposals (Chromium)', () => {
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let resident: Session;
  let existingId: string;

  beforeAll(async () => {
    ({ t, browser } = web = await startWebApp());
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Propoville' });
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    const staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    const topic = await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposal-topics`)).send({ code: 'mobility', nameFr: 'Mobilité', nameEn: 'Mobility' }).expect(201);
    await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposal-topics`)).send({ code: 'culture', nameFr: 'Culture', nameEn: 'Culture' }).expect(201);
    const author = await verifiedResident(t.http, town.slug, staff);
    resident = await verifiedResident(t.http, town.slug, staff);
    const created = await author.auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposals`)).send({ ...EXISTING, topicId: topic.body.id }).expect(201);
    existingId = created.body.id;
    await author.auth(t.http.post(`/api/v1/proposals/${existingId}/publish`)).expect(200);
  });

  afterAll(async () => {
    await web?.close();
  });

  it('a resident searches, supports, and writes a proposal after seeing a similar one', async () => {
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(resident.user.email);
    await page.getByLabel('Mot de passe').fill(resident.user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    await chooseTownOnDevice(page, town);

    // The list, then a search that finds nothing, then one that finds it (accents ignored).
    await page.getByRole('link', { name: 'Propositions', exact: true }).click();
    await page.getByRole('heading', { name: 'Propositions citoyennes' }).waitFor();
    await page.getByRole('link', { name: EXISTING.title }).waitFor();
    await expectAccessible(page, 'proposals list');
    const search = page.getByLabel('Rechercher des propositions');
    await search.fill('piscine');
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.getByText('Aucune proposition ne correspond.').waitFor();
    await search.fill('mediatheque');
    await page.getByRole('button', { name: 'Rechercher', exact: true }).click();
    await page.getByRole('link', { name: EXISTING.title }).waitFor();
    // The topic filter: another topic has none, its own topic has it; the sorts keep it.
    await page.getByLabel('Thème').selectOption({ label: 'Culture' });
    await page.getByText('Aucune proposition ne correspond.').waitFor();
    await page.getByLabel('Thème').selectOption({ label: 'Mobilité' });
    await page.getByRole('link', { name: EXISTING.title }).waitFor();
    for (const sort of ['Les plus soutenues', 'Au hasard', 'Les plus récentes']) {
      await page.getByLabel('Trier par').selectOption({ label: sort });
      await page.getByRole('link', { name: EXISTING.title }).waitFor();
      await expect(page.getByTestId('proposal-item').count()).resolves.toBe(1);
    }
    await expect(page.getByTestId('proposal-item').textContent()).resolves.toContain('Soutiens : 0');
    await screenshot(page, 'phone-proposals');
    await expectAccessible(page, 'proposals searched');

    // The proposal: the Markdown rendered by the API, the script shown as text and never run.
    await page.getByRole('link', { name: EXISTING.title }).click();
    await page.getByRole('heading', { name: EXISTING.title }).waitFor();
    const body = page.getByTestId('proposal-body');
    await expect(body.locator('em').textContent()).resolves.toBe('arceaux');
    await expect(body.getByRole('link', { name: 'le plan' }).getAttribute('href')).resolves.toBe('https://example.org/plan');
    await expect(body.locator('script').count()).resolves.toBe(0);
    await expect(page.evaluate('typeof window.hacked')).resolves.toBe('undefined');
    await expect(page.getByTestId('proposal-status').textContent()).resolves.toBe('Ouverte aux soutiens');
    await expectAccessible(page, 'proposal page');

    // Support: the count goes up, here and in the API; then the support is taken back.
    await page.getByRole('button', { name: 'Soutenir cette proposition' }).click();
    await page.getByTestId('support-count').getByText('Soutiens : 1').waitFor();
    const supported = await resident.auth(t.http.get(`/api/v1/proposals/${existingId}`)).expect(200);
    expect(supported.body).toMatchObject({ supportCount: 1, supportedByMe: true });
    await page.reload();
    await page.getByRole('button', { name: 'Retirer mon soutien' }).waitFor();
    await expectAccessible(page, 'proposal supported');
    await page.getByRole('button', { name: 'Retirer mon soutien' }).click();
    await page.getByTestId('support-count').getByText('Soutiens : 0').waitFor();
    await resident.auth(t.http.get(`/api/v1/proposals/${existingId}`)).expect(200).expect((res) => expect(res.body.supportCount).toBe(0));
    await page.getByRole('button', { name: 'Soutenir cette proposition' }).click();
    await page.getByTestId('support-count').getByText('Soutiens : 1').waitFor();

    // Writing one: the existing proposal is suggested while the title is typed.
    await page.goto('/proposals');
    await page.getByRole('link', { name: 'Écrire une proposition' }).click();
    await page.getByRole('heading', { name: 'Écrire une proposition' }).waitFor();
    await page.getByLabel('Titre').pressSequentially('Arceaux vélo à la médiathèque', { delay: 20 });
    const similar = page.getByTestId('similar');
    await similar.getByRole('heading', { name: 'Propositions similaires' }).waitFor();
    await similar.getByRole('link', { name: EXISTING.title }).waitFor();
    await expect(similar.textContent()).resolves.toContain('Soutiens : 1');
    await page.getByLabel('Votre proposition').fill('Des arceaux couverts, côté parc, pour les vélos des lecteurs.');
    await page.getByLabel('Thème').selectOption({ label: 'Mobilité' });
    await expectAccessible(page, 'new proposal');
    await screenshot(page, 'phone-proposal-similar');
    await page.getByRole('button', { name: 'Enregistrer le brouillon' }).click();

    // The draft's page, then published.
    await page.getByRole('heading', { name: 'Arceaux vélo à la médiathèque' }).waitFor();
    await expect(page.getByTestId('proposal-status').textContent()).resolves.toBe('Brouillon');
    const newId = /\/proposals\/([0-9a-f-]{36})$/.exec(page.url())![1];
    await expectAccessible(page, 'draft');
    await page.getByRole('button', { name: 'Publier' }).click();
    await page.getByText('Votre proposition est publiée : elle peut recevoir des soutiens.').waitFor();
    await expect(page.getByTestId('proposal-status').textContent()).resolves.toBe('Ouverte aux soutiens');
    await page.getByText("Vous en êtes l'auteur : ce sont les autres qui la soutiennent.").waitFor();
    await expect(page.getByRole('button', { name: 'Soutenir cette proposition' }).count()).resolves.toBe(0);
    await expectAccessible(page, 'published');
    const mine = await t.http.get(`/api/v1/proposals/${newId}`).expect(200);
    expect(mine.body).toMatchObject({ title: 'Arceaux vélo à la médiathèque', status: 'published', author: { id: resident.user.id } });

    // Both are in the town's list now.
    await page.goto('/proposals');
    await page.getByRole('link', { name: 'Arceaux vélo à la médiathèque' }).waitFor();
    await page.getByRole('link', { name: EXISTING.title }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('anyone reads a proposal; supporting asks to sign in first', async () => {
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto(`/proposals/${existingId}`);
    await page.getByRole('heading', { name: EXISTING.title }).waitFor();
    await page.getByRole('link', { name: 'Connectez-vous pour la soutenir' }).waitFor();
    await expect(page.getByRole('button', { name: 'Soutenir cette proposition' }).count()).resolves.toBe(0);
    await expectAccessible(page, 'proposal, anonymous');
    expect(problems).toEqual([]);
    await context.close();
  });
});

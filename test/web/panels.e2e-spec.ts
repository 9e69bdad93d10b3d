import { TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { residentSession } from '../factories/panel.factory';
import { Browser, chooseTownOnDevice, DESKTOP, expectAccessible, openContext, PHONE, screenshot, startWebApp, WebApp } from './browser';

/**
 * A citizens' panel in Chromium: a verified resident (phone, French) reads the panel's purpose and
 * quotas, volunteers through the form built from its features, sees and withdraws the profile,
 * and volunteers again; staff (desktop, English) close the pool — its hash published — read the
 * fairness report, draw with a seed and see the members against the quotas. axe on every page.
 */
jest.setTimeout(240_000);

const PANEL = {
  name: 'Panel climat',
  purpose: 'Proposer au conseil trois mesures pour le climat.',
  size: 4,
  termMonths: 12,
  householdRule: true,
  features: [
    { code: 'gender', label: 'Genre', values: [{ code: 'f', label: 'Femme', min: 2, max: 2 }, { code: 'm', label: 'Homme', min: 2, max: 2 }] },
    { code: 'age', label: "Tranche d'âge", values: [{ code: 'young', label: '16-39 ans', min: 1, max: 3 }, { code: 'old', label: '40 ans et plus', min: 1, max: 3 }] },
  ],
  consentVersion: '2027-01',
  consentText: "J'accepte que mes réponses servent au tirage au sort du panel.",
};

/** Eight invited residents, from an invitation round: two share a household. */
const POOL_CSV = [
  'external_id,household,gender,age',
  'inv-01,h1,f,young',
  'inv-02,h2,f,old',
  'inv-03,h3,m,young',
  'inv-04,h4,m,old',
  'inv-05,h5,f,old',
  'inv-06,h6,m,young',
  'inv-07,h7,f,young',
  'inv-08,h7,m,old',
].join('\n') + '\n';

describe("Web app: citizens' panels (Chromium)", () => {
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let townAdmin: Session;
  let resident: Session;
  let panelId: string;

  beforeAll(async () => {
    ({ t, browser } = web = await startWebApp());
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Panelville' });
    townAdmin = await memberSession(t.http, platform.accessToken, town.slug, ['admin'], { displayName: 'Ada Admin' });
    resident = await residentSession(t.http, town.slug, townAdmin);
    const created = await townAdmin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/panels`)).send(PANEL).expect(201);
    panelId = created.body.id;
    const imported = await townAdmin.auth(t.http.post(`/api/v1/panels/${panelId}/pool/import`)).set('Content-Type', 'text/csv').send(POOL_CSV).expect(200);
    expect(imported.body).toEqual({ imported: 8, rejected: [] });
  });

  afterAll(async () => {
    await web?.close();
  });

  it('a resident reads the quotas, volunteers with consent, sees and withdraws the profile, and volunteers again', async () => {
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(resident.user.email);
    await page.getByLabel('Mot de passe').fill(resident.user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    await chooseTownOnDevice(page, town);
    await page.goto('/panels');
    await page.getByRole('link', { name: 'Panel climat' }).waitFor();
    await expectAccessible(page, 'panels list');
    await page.getByRole('link', { name: 'Panel climat' }).click();
    await page.getByRole('heading', { name: 'Panel climat' }).waitFor();
    await expect(page.getByTestId('panel-purpose').textContent()).resolves.toBe(PANEL.purpose);
    await page.getByText('4 sièges, pour 12 mois').waitFor();
    const quotas = await page.getByTestId('quotas').locator('tbody tr').allTextContents();
    expect(quotas).toEqual(['GenreFemme2', 'GenreHomme2', "Tranche d'âge16-39 ans1 à 3", "Tranche d'âge40 ans et plus1 à 3"]);
    await expect(page.getByTestId('consent-text').textContent()).resolves.toBe(PANEL.consentText);

    // The form is built from the panel: a value per feature, the address (household rule), consent.
    const submit = page.getByRole('button', { name: 'Je me porte volontaire' });
    await expect(submit.isDisabled()).resolves.toBe(true);
    await page.getByLabel('Genre').selectOption('f');
    await page.getByLabel("Tranche d'âge").selectOption('young');
    await page.getByLabel('Adresse postale').fill('12 rue des Tilleuls');
    await expect(submit.isDisabled()).resolves.toBe(true);
    await page.getByLabel("J'accepte ce texte (version 2027-01)").check();
    await expectAccessible(page, 'volunteer form');
    await screenshot(page, 'phone-panel-volunteer');
    await submit.click();
    await page.getByText('Vous êtes dans le vivier. Bonne chance pour le tirage !').waitFor();
    const mine = await resident.auth(t.http.get(`/api/v1/panels/${panelId}/volunteers/me`)).expect(200);
    expect(mine.body).toMatchObject({ features: { gender: 'f', age: 'young' }, address: '12 rue des Tilleuls', consentVersion: '2027-01', contact: { email: true, post: false } });

    // Reloaded, the profile is there (what was given, the consent's version), and can be withdrawn.
    await page.reload();
    const profile = page.getByTestId('volunteer-profile');
    await profile.waitFor();
    await expect(profile.textContent()).resolves.toMatch(/GenreFemme.*16-39 ans.*12 rue des Tilleuls.*Version 2027-01/);
    await expectAccessible(page, 'volunteer profile');
    await screenshot(page, 'phone-panel-profile');
    await page.getByRole('button', { name: 'Me retirer et supprimer mon profil' }).click();
    await page.getByText('Votre profil est supprimé.').waitFor();
    await resident.auth(t.http.get(`/api/v1/panels/${panelId}/volunteers/me`)).expect(404);

    // And back in the pool, for the draw below.
    await page.getByLabel('Genre').selectOption('f');
    await page.getByLabel("Tranche d'âge").selectOption('young');
    await page.getByLabel('Adresse postale').fill('12 rue des Tilleuls');
    await page.getByLabel("J'accepte ce texte (version 2027-01)").check();
    await submit.click();
    await profile.waitFor();
    await resident.auth(t.http.get(`/api/v1/panels/${panelId}/volunteers/me`)).expect(200);

    // The staff screen is not theirs.
    await page.goto(`/panels/${panelId}/draw`);
    await expect(page.getByTestId('draw-forbidden').textContent()).resolves.toBe("Seuls les agents de cette ville voient le vivier et le tirage d'un panel.");
    await expectAccessible(page, 'draw forbidden');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('anyone reads a panel and its quotas; volunteering asks to sign in first', async () => {
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto(`/panels/${panelId}`);
    await page.getByRole('heading', { name: 'Panel climat' }).waitFor();
    await expect(page.getByTestId('quotas').locator('tbody tr').count()).resolves.toBe(4);
    await page.getByRole('link', { name: 'Connectez-vous pour vous porter volontaire' }).waitFor();
    await expect(page.getByTestId('volunteer-form').count()).resolves.toBe(0);
    await expectAccessible(page, 'panel, anonymous');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('a signed-in person who is not a verified resident is told so when volunteering', async () => {
    const outsider = await createSession(t.http);
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(outsider.user.email);
    await page.getByLabel('Mot de passe').fill(outsider.user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    await page.goto(`/panels/${panelId}`);
    await page.getByLabel('Genre').selectOption('m');
    await page.getByLabel("Tranche d'âge").selectOption('old');
    await page.getByLabel('Adresse postale').fill('3 place du Marché');
    await page.getByLabel("J'accepte ce texte (version 2027-01)").check();
    await page.getByRole('button', { name: 'Je me porte volontaire' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('Seuls les habitants vérifiés de cette ville peuvent se porter volontaires.');
    await outsider.auth(t.http.get(`/api/v1/panels/${panelId}/volunteers/me`)).expect(404);
    await expectAccessible(page, 'volunteering refused');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('staff close the pool, read the fairness report, draw with a seed and see the members against the quotas', async () => {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(townAdmin.user.email);
    await page.getByLabel('Password').fill(townAdmin.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your town' }).waitFor();
    await chooseTownOnDevice(page, town);
    await page.goto(`/panels/${panelId}`);
    await page.getByRole('link', { name: 'Pool and draw (staff)' }).click();
    await page.getByRole('heading', { name: 'Pool and draw — Panel climat' }).waitFor();
    await expect(page.getByTestId('panel-status').textContent()).resolves.toBe('Recruiting volunteers');
    await expectAccessible(page, 'pool open');

    await page.getByRole('button', { name: 'Close the pool and publish its hash' }).click();
    const hash = (await page.getByTestId('pool-hash').textContent())!;
    const published = await t.http.get(`/api/v1/panels/${panelId}`).expect(200);
    expect(published.body).toMatchObject({ status: 'pool_closed', poolHash: hash });
    expect(hash).toMatch(/^[0-9a-f]{64}$/);

    // The fairness report: nine people, everyone's chance, the minimum and its proven bound.
    await page.getByRole('button', { name: 'Compute the selection probabilities' }).click();
    await page.getByTestId('fairness').waitFor();
    const api = await townAdmin.auth(t.http.get(`/api/v1/panels/${panelId}/selection-probabilities`)).expect(200);
    const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
    await expect(page.getByTestId('minimum-probability').textContent()).resolves.toBe(pct(api.body.minimumProbability));
    await expect(page.getByTestId('probability-bound').textContent()).resolves.toBe(pct(api.body.minimumProbabilityUpperBound));
    await expect(page.getByTestId('certified-gap').textContent()).resolves.toBe(pct(api.body.certifiedGap));
    const rows = await page.getByTestId('fairness').locator('tbody tr').allTextContents();
    expect(rows).toHaveLength(9);
    expect(rows.some((r) => r.startsWith('inv-08'))).toBe(true);
    await expectAccessible(page, 'fairness report');
    await screenshot(page, 'desktop-panel-fairness');

    await page.getByLabel('Seed').fill('3-6-1-4-4-2');
    await page.getByRole('button', { name: 'Draw', exact: true }).click();
    const members = page.getByTestId('members');
    await members.waitFor();
    const selections = await townAdmin.auth(t.http.get(`/api/v1/panels/${panelId}/selections`)).expect(200);
    expect(selections.body).toHaveLength(1);
    expect(selections.body[0]).toMatchObject({ seed: '3-6-1-4-4-2', poolHash: hash });
    const shown = (await members.locator('tbody tr td:first-child').allTextContents()).sort();
    expect(shown).toEqual([...selections.body[0].members].sort());
    expect(shown).toHaveLength(4);
    await expect(members.locator('tbody tr td:nth-child(2)').allTextContents()).resolves.toEqual(Array(4).fill('Invited, no answer yet'));
    await page.getByText('Drawn with the seed 3-6-1-4-4-2', { exact: false }).waitFor();
    await expect(page.getByTestId('panel-status').textContent()).resolves.toBe('Drawn by lot');
    const standing = await page.getByTestId('representativeness').locator('tbody tr').allTextContents();
    expect(standing).toHaveLength(4);
    expect(standing.every((r) => r.endsWith('yes'))).toBe(true);
    await expectAccessible(page, 'drawn members');
    await screenshot(page, 'desktop-panel-drawn');
    expect(problems).toEqual([]);
    await context.close();
  });
});

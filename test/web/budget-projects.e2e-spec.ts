import { TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, squareAround, TestMunicipality } from '../factories/municipality.factory';
import { Browser, chooseTownOnDevice, DESKTOP, expectAccessible, openContext, PHONE, screenshot, startWebApp, WebApp } from './browser';

/**
 * A budget's district heading with its own ballot rule, set in the settings form (the API's error
 * in words beside the heading's figure); a resident proposing a project placed on the map (its
 * district chosen from the place), then changing and withdrawing it before review. Chromium, axe
 * on every page, no CSP violation or page error.
 */
jest.setTimeout(240_000);

const DAY = 86_400_000;

describe('Web app: a heading’s own ballot rule, a project placed on the map, changed and withdrawn (Chromium)', () => {
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let admin: Session;
  let author: Session;
  let north: string;
  let budgetId: string;

  beforeAll(async () => {
    ({ t, browser } = web = await startWebApp());
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Carteville' });
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    const staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    // The district covers the town's centre, where a click in the middle of the map lands.
    north = (
      await admin
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/districts`))
        .send({ code: 'CENTRE', nameFr: 'Centre', nameEn: 'Centre', boundary: squareAround(town.center, 0.003) })
        .expect(201)
    ).body.id;
    author = await createSession(t.http);
    await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${author.user.id}`)).send({}).expect(201);
    budgetId = (
      await admin
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
        .send({
          title: { fr: 'Budget 2028', en: 'Budget 2028' },
          description: { fr: 'Vos projets', en: 'Your projects' },
          amount: 80_000,
          currency: 'EUR',
          districtAmounts: [{ districtId: north, amount: 20_000 }],
          ballotRule: { kind: 'knapsack' },
          outcomeRule: 'greedy',
          proposingEndsAt: new Date(Date.now() + 10 * DAY).toISOString(),
          reviewingEndsAt: new Date(Date.now() + 20 * DAY).toISOString(),
          votingEndsAt: new Date(Date.now() + 30 * DAY).toISOString(),
        })
        .expect(201)
    ).body.id;
  });

  afterAll(async () => {
    await web?.close();
  });

  async function signIn(who: Session, viewport: { width: number; height: number }, locale: 'fr-FR' | 'en-US') {
    const { context, problems } = await openContext(browser, t.url!, viewport, locale);
    const page = await context.newPage();
    const en = locale === 'en-US';
    await page.goto('/sign-in');
    await page.getByLabel(en ? 'Email' : 'E-mail').fill(who.user.email);
    await page.getByLabel(en ? 'Password' : 'Mot de passe').fill(who.user.password);
    await page.getByRole('button', { name: en ? 'Sign in' : 'Se connecter' }).click();
    await page.getByRole('heading', { name: en ? 'Choose your town' : 'Choisissez votre ville' }).waitFor();
    await chooseTownOnDevice(page, town);
    return { page, problems, close: () => context.close() };
  }

  it('sets a district heading’s own ballot rule, the missing figure named in words beside it', async () => {
    const { page, problems, close } = await signIn(admin, DESKTOP, 'en-US');
    await page.goto(`/budgets/${budgetId}/settings`);
    const form = page.getByTestId('budget-settings');
    await expect(form.getByLabel('Ballot for Centre').inputValue()).resolves.toBe('');
    await form.getByLabel('Ballot for Centre').selectOption('cumulative');
    await form.getByLabel('Points in all — Centre').fill('6');
    await form.getByRole('button', { name: 'Save the changes' }).click();
    const error = form.getByTestId('error-districtAmounts.0.ballotRule.maxPerProject');
    await error.getByText('Cumulative ballots need the most points one project may receive').waitFor();
    await expect(form.getByLabel('At most this many points per project — Centre').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page, 'a heading’s rule with an error');
    await error.scrollIntoViewIfNeeded();
    await screenshot(page, 'desktop-budget-heading-rule');

    await form.getByLabel('At most this many points per project — Centre').fill('3');
    await form.getByRole('button', { name: 'Save the changes' }).click();
    await form.getByRole('status').getByText('Changes saved.').waitFor();
    const saved = (await t.http.get(`/api/v1/budgets/${budgetId}`).expect(200)).body;
    expect(saved.districtAmounts).toEqual([{ districtId: north, amount: 20_000, ballotRule: { kind: 'cumulative', points: 6, maxPerProject: 3 } }]);
    expect(saved.ballotRule).toEqual({ kind: 'knapsack' });

    // Back to the budget's rule.
    await form.getByLabel('Ballot for Centre').selectOption('');
    await form.getByRole('button', { name: 'Save the changes' }).click();
    await form.getByRole('status').getByText('Changes saved.').waitFor();
    expect((await t.http.get(`/api/v1/budgets/${budgetId}`).expect(200)).body.districtAmounts).toEqual([{ districtId: north, amount: 20_000 }]);
    await expectAccessible(page, 'budget settings with a heading');
    expect(problems).toEqual([]);
    await close();
  });

  it('proposes a project placed on the map, then changes it and withdraws it before review', async () => {
    const { page, problems, close } = await signIn(author, PHONE, 'fr-FR');
    await page.goto(`/budgets/${budgetId}`);
    const form = page.getByTestId('propose-project');
    await form.getByLabel('Titre').fill('Fontaine');
    await form.getByLabel('Ce que c’est, où, pour qui').fill('Une fontaine sur la place');
    await form.getByLabel('Coût estimé (EUR, unités entières)').fill('12000');
    await form.getByTestId('map').click();
    await form.getByTestId('propose-place').waitFor();
    await expect(form.getByLabel('Enveloppe').locator('option:checked').textContent()).resolves.toBe('Le quartier du lieu (toute la commune s’il n’a pas de montant)');
    await expectAccessible(page, 'proposing with a place');
    await form.getByRole('button', { name: 'Le proposer' }).click();
    await form.getByTestId('propose-done').getByText('« Fontaine » est proposé. La commune va l’étudier.').waitFor();
    const [proposed] = (await t.http.get(`/api/v1/budgets/${budgetId}/projects`).expect(200)).body.items;
    expect(proposed).toMatchObject({ title: 'Fontaine', cost: 12_000, districtId: north, status: 'proposed' });
    expect(proposed.location.lat).toBeCloseTo(town.center[1], 2);
    expect(proposed.location.lng).toBeCloseTo(town.center[0], 2);

    // Mine: changed (only what differs is sent), then withdrawn.
    const mine = page.getByTestId('my-projects');
    await mine.getByRole('button', { name: 'Modifier « Fontaine »' }).click();
    const edit = mine.getByTestId('edit-project-form');
    await expect(edit.getByLabel('Titre').inputValue()).resolves.toBe('Fontaine');
    await edit.getByLabel('Titre').fill('Fontaine à boire');
    await edit.getByLabel('Coût estimé (EUR, unités entières)').fill('9000');
    await expectAccessible(page, 'changing my project');
    await edit.getByLabel('Titre').scrollIntoViewIfNeeded();
    await screenshot(page, 'phone-budget-my-project');
    await edit.getByRole('button', { name: 'Enregistrer les modifications' }).click();
    await mine.getByTestId('my-projects-status').getByText('« Fontaine à boire » est modifié.').waitFor();
    const changed = (await t.http.get(`/api/v1/budgets/${budgetId}/projects`).expect(200)).body.items[0];
    expect(changed).toMatchObject({ id: proposed.id, title: 'Fontaine à boire', cost: 9_000, districtId: north, location: proposed.location });
    await page.getByTestId('budget-projects').getByText('Fontaine à boire').waitFor();

    await mine.getByRole('button', { name: 'Retirer « Fontaine à boire »' }).click();
    await mine.getByRole('button', { name: 'Retirer « Fontaine à boire » définitivement' }).click();
    await mine.getByTestId('my-projects-status').getByText('« Fontaine à boire » est retiré.').waitFor();
    await mine.getByText('Retiré', { exact: true }).waitFor();
    await page.getByTestId('budget-projects').getByText('Fontaine à boire').waitFor({ state: 'detached' });
    expect((await t.http.get(`/api/v1/budgets/${budgetId}/projects`).expect(200)).body.items).toEqual([]);
    await expectAccessible(page, 'my project withdrawn');
    expect(problems).toEqual([]);
    await close();
  });
});

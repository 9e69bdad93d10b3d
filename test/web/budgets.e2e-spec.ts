import { TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { Browser, chooseTownOnDevice, expectAccessible, openContext, PHONE, screenshot, startWebApp, WebApp } from './browser';

/**
 * A participatory budget in Chromium: a resident opens the town's budgets, sees the rule and the
 * running total as they choose, casts the ballot and keeps the receipt; after the close the
 * results show and the receipt is found among the counted ones. axe on every page.
 */
jest.setTimeout(180_000);

const DAY = 86_400_000;

describe('Web app: participatory budgets (Chromium)', () => {
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let townAdmin: Session;
  let staff: Session;
  let voter: Session;
  let budgetId: string;
  const projects: Record<string, string> = {};

  beforeAll(async () => {
    ({ t, browser } = web = await startWebApp());
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Budgetville' });
    townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    voter = await createSession(t.http);
    await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${voter.user.id}`)).send({}).expect(201);
    const created = await townAdmin
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
      .send({
        title: { fr: 'Budget participatif 2027', en: 'Participatory budget 2027' },
        description: { fr: 'Vos idées pour la ville', en: 'Your ideas for the town' },
        amount: 100_000,
        currency: 'EUR',
        ballotRule: { kind: 'knapsack' },
        outcomeRule: 'greedy',
        proposingEndsAt: new Date(Date.now() + DAY).toISOString(),
        reviewingEndsAt: new Date(Date.now() + 2 * DAY).toISOString(),
        votingEndsAt: new Date(Date.now() + 3 * DAY).toISOString(),
      })
      .expect(201);
    budgetId = created.body.id;
    for (const [title, cost] of [['Jardin partagé', 60_000], ['Pistes cyclables', 70_000], ['Bancs', 10_000]] as const) {
      const p = await voter.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects`)).send({ title, description: `${title}, pour tous`, cost }).expect(201);
      await staff.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects/${p.body.id}/review`)).send({ status: 'on_ballot' }).expect(200);
      projects[title] = p.body.id;
    }
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(200);
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(200);
  });

  afterAll(async () => {
    await web?.close();
  });

  it('votes with the running total in view, keeps the receipt, and finds it counted after the close', async () => {
    const { context } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('E-mail').fill(voter.user.email);
    await page.getByLabel('Mot de passe').fill(voter.user.password);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { name: 'Choisissez votre ville' }).waitFor();
    await chooseTownOnDevice(page, town);
    await page.goto('/budgets');
    await page.getByRole('link', { name: 'Budget participatif 2027' }).click();
    await page.getByRole('heading', { name: 'Votre bulletin' }).waitFor();
    await expect(page.getByText('Choisissez des projets dont le coût total reste dans 100 000 €.').count()).resolves.toBe(1);
    await expectAccessible(page, 'ballot');

    // Over the amount: the total says so and the ballot cannot be cast.
    await page.getByLabel(/Jardin partagé/).check();
    await page.getByLabel(/Pistes cyclables/).check();
    await expect(page.getByTestId('running-total').textContent()).resolves.toMatch(/2 choisis, 130\s000\s€ sur 100\s000\s€/);
    await expect(page.getByRole('button', { name: 'Déposer mon bulletin' }).isDisabled()).resolves.toBe(true);
    await page.getByLabel(/Pistes cyclables/).uncheck();
    await page.getByLabel(/Bancs/).check();
    await expect(page.getByTestId('running-total').textContent()).resolves.toMatch(/2 choisis, 70\s000\s€ sur 100\s000\s€/);
    await screenshot(page, 'phone-budget-ballot');
    await page.getByRole('button', { name: 'Déposer mon bulletin' }).click();
    const receipt = (await page.getByTestId('receipt').locator('code').textContent())!.trim();
    expect(receipt.length).toBeGreaterThan(10);
    await expectAccessible(page, 'receipt');

    // The close: results and the receipt's check.
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(200);
    await page.reload();
    await page.getByTestId('results').waitFor();
    await expect(page.getByTestId('results').textContent()).resolves.toContain('Jardin partagé');
    // The outcome: the rule stated, the heading's figures, every project's votes and cost, the Pabulib file.
    const outcome = page.getByTestId('outcome');
    await outcome.getByText('Règle : les projets les plus votés, dans l’ordre des voix, tant que l’argent suffit (glouton).').waitFor();
    const heading = outcome.getByTestId('outcome-heading');
    await heading.getByRole('heading', { name: 'Toute la commune' }).waitFor();
    await expect(heading.locator('p.muted').textContent()).resolves.toMatch(/^100\s000\s€ · 1 bulletin\(s\) · reste : 30\s000\s€$/);
    const rows = await heading.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').replace(/\s/g, ' '))));
    // Most votes first (the two chosen tie, in the outcome's order).
    expect(rows[2]).toEqual(['Pistes cyclables', '0', '70 000 €', 'non']);
    expect(rows.slice(0, 2).sort()).toEqual([
      ['Bancs', '1', '10 000 €', 'oui'],
      ['Jardin partagé', '1', '60 000 €', 'oui'],
    ]);
    const pb = heading.getByRole('link', { name: 'Télécharger les bulletins et le résultat (Pabulib .pb)' });
    const href = (await pb.getAttribute('href'))!;
    expect(href).toBe(`/api/v1/budgets/${budgetId}/export.pb`);
    const file = await t.http.get(href).expect(200);
    expect(file.text).toContain(projects['Bancs']);
    await page.getByLabel('Reçu').fill(receipt);
    await page.getByRole('button', { name: 'Vérifier mon reçu' }).click();
    await expect(page.getByTestId('receipt-answer').textContent()).resolves.toBe('Ce bulletin est compté.');
    await page.getByLabel('Reçu').fill('not-a-receipt');
    await page.getByRole('button', { name: 'Vérifier mon reçu' }).click();
    await page.getByText("Aucun bulletin compté n'a ce reçu.").waitFor();
    await expectAccessible(page, 'results');
    await screenshot(page, 'phone-budget-results');
    await context.close();
  });
});

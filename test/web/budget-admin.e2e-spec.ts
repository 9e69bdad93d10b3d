import { TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, squareAround, TestMunicipality } from '../factories/municipality.factory';
import { Browser, chooseTownOnDevice, DESKTOP, expectAccessible, openContext, PHONE, screenshot, startWebApp, WebApp } from './browser';

/**
 * A participatory budget's life beyond the ballot, in Chromium: an admin creates one (a district
 * with its own amount, equal shares) and sees the API's field errors beside the fields, changes
 * it, moves its phases and is refused, beside the field, what voting has fixed; residents propose
 * projects from the app (town-wide and in the district); a resident votes, then replaces the
 * ballot with its receipt; after the close, the Method of Equal Shares' figures and each heading
 * (town-wide, the district) with its own table. axe on every page; no CSP violation or page error.
 */
jest.setTimeout(240_000);

const DAY = 86_400_000;

describe('Web app: a budget’s settings, proposing, replacing a ballot, equal shares by heading (Chromium)', () => {
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let admin: Session;
  let staff: Session;
  let author: Session;
  let voter: Session;
  let neighbour: Session;
  let northerner: Session;
  let north: string;
  let budgetId: string;
  const projects: Record<string, string> = {};
  const receipts: { first?: string; second?: string } = {};

  beforeAll(async () => {
    ({ t, browser } = web = await startWebApp());
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Enveloppeville' });
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin'], { displayName: 'Admin Enveloppe' });
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    const district = await admin
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/districts`))
      .send({ code: 'NORD', nameFr: 'Nord', nameEn: 'North', boundary: squareAround([town.center[0], town.center[1] + 0.005], 0.003) })
      .expect(201);
    north = district.body.id;
    [author, voter, neighbour, northerner] = await Promise.all([0, 1, 2, 3].map(() => createSession(t.http)));
    for (const s of [author, voter, neighbour, northerner]) await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${s.user.id}`)).send({}).expect(201);
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

  const budget = async () => (await t.http.get(`/api/v1/budgets/${budgetId}`).expect(200)).body;

  it('creates a budget: the API’s field errors beside the fields, then the settings changed', async () => {
    const { page, problems, close } = await signIn(admin, DESKTOP, 'en-US');
    await page.goto('/budgets');
    await page.getByRole('link', { name: 'Create a budget (admins)' }).click();
    await page.getByRole('heading', { name: 'New participatory budget — Enveloppeville' }).waitFor();
    const form = page.getByTestId('budget-settings');
    await form.getByLabel('Title (French)').fill('Budget participatif 2027');
    await form.getByLabel('Title (English)').fill('Participatory budget 2027');
    await form.getByLabel('Description (French)').fill('Vos projets pour la ville');
    await form.getByLabel('Description (English)').fill('Your projects for the town');
    await form.getByLabel('Town-wide amount (whole units)').fill('90000');
    await form.getByLabel('Amount for North (whole units)').fill('30000');
    // An approval ballot without its maximum, and voting closing before the review ends: the API names both.
    await form.getByLabel('Ballot', { exact: true }).selectOption('approval');
    await form.getByLabel('How the winners are chosen').selectOption('equal-shares');
    await form.getByLabel('Equal shares: raising the share (Add1)').selectOption('until-exhaustive');
    const local = (days: number) => new Date(Date.now() + days * DAY - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await form.getByLabel('Proposing ends').fill(local(10));
    await form.getByLabel('Review ends (voting opens)').fill(local(20));
    await form.getByLabel('Voting closes').fill(local(15));
    await form.getByRole('button', { name: 'Create the budget' }).click();
    await form.getByRole('alert').getByText('Some fields need fixing: see beside them.').waitFor();
    const maxError = form.getByTestId('error-ballotRule.maxProjects');
    await maxError.waitFor();
    await expect(maxError.textContent()).resolves.toBe('Approval ballots need the most projects a voter may choose');
    await expect(form.getByLabel('At most this many projects').getAttribute('aria-invalid')).resolves.toBe('true');
    await form.getByTestId('error-votingEndsAt').waitFor();
    await expect(form.getByLabel('Voting closes').getAttribute('aria-describedby')).resolves.toBe('budget-votingEndsAt-error');
    await expectAccessible(page, 'budget creation with errors');
    await maxError.scrollIntoViewIfNeeded();
    await screenshot(page, 'desktop-budget-settings');
    expect((await t.http.get(`/api/v1/municipalities/${town.slug}/budgets`).expect(200)).body.items).toEqual([]);

    await form.getByLabel('At most this many projects').fill('2');
    await form.getByLabel('Voting closes').fill(local(30));
    await form.getByRole('button', { name: 'Create the budget' }).click();
    await page.getByRole('heading', { name: 'Settings — Participatory budget 2027' }).waitFor();
    budgetId = /\/budgets\/([0-9a-f-]{36})\/settings$/.exec(page.url())![1];
    expect(await budget()).toMatchObject({
      title: { fr: 'Budget participatif 2027', en: 'Participatory budget 2027' },
      amount: 90_000,
      currency: 'EUR',
      districtAmounts: [{ districtId: north, amount: 30_000 }],
      ballotRule: { kind: 'approval', maxProjects: 2 },
      outcomeRule: 'equal-shares',
      add1: 'until-exhaustive',
      phase: 'proposing',
    });

    // Changing: only what differs is sent, and saved.
    const settings = page.getByTestId('budget-settings');
    await expect(settings.getByLabel('Town-wide amount (whole units)').inputValue()).resolves.toBe('90000');
    await settings.getByLabel('Town-wide amount (whole units)').fill('100000');
    await settings.getByLabel('Title (English)').fill('Participatory budget 2027: your town');
    await settings.getByRole('button', { name: 'Save the changes' }).click();
    await settings.getByRole('status').getByText('Changes saved.').waitFor();
    expect(await budget()).toMatchObject({ amount: 100_000, title: { en: 'Participatory budget 2027: your town' }, districtAmounts: [{ districtId: north, amount: 30_000 }] });
    const audit = (await admin.auth(t.http.get(`/api/v1/municipalities/${town.slug}/audit?action=budget.updated&limit=10`)).expect(200)).body.items as Array<{ after: Record<string, unknown> }>;
    expect(Object.keys(audit[0].after).sort()).toEqual(['amount', 'title']);
    await settings.getByRole('button', { name: 'Save the changes' }).click();
    await settings.getByRole('status').getByText('Nothing has changed.').waitFor();
    await expectAccessible(page, 'budget settings');
    expect(problems).toEqual([]);
    await close();
  });

  it('lets a resident propose projects from the app, town-wide and in the district, with errors beside the field', async () => {
    const { page, problems, close } = await signIn(author, PHONE, 'fr-FR');
    await page.goto(`/budgets/${budgetId}`);
    const form = page.getByTestId('propose-project');
    await form.getByRole('heading', { name: 'Proposer un projet' }).waitFor();
    await form.getByLabel('Titre').fill('Bancs');
    await form.getByLabel('Ce que c’est, où, pour qui').fill('Des bancs le long du canal');
    await form.getByLabel('Coût estimé (EUR, unités entières)').fill('0');
    await form.getByRole('button', { name: 'Le proposer' }).click();
    await form.getByTestId('propose-error-cost').waitFor();
    await expect(form.getByLabel('Coût estimé (EUR, unités entières)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page, 'proposing with an error');
    await form.getByLabel('Coût estimé (EUR, unités entières)').fill('20000');
    await form.getByRole('button', { name: 'Le proposer' }).click();
    await form.getByTestId('propose-done').getByText('« Bancs » est proposé. La commune va l’étudier.').waitFor();
    await page.getByTestId('budget-projects').locator('li.item').filter({ hasText: 'Bancs' }).getByText('Proposé').waitFor();

    await form.getByLabel('Titre').fill('Square du Nord');
    await form.getByLabel('Ce que c’est, où, pour qui').fill('Un square pour le quartier Nord');
    await form.getByLabel('Coût estimé (EUR, unités entières)').fill('25000');
    await form.getByLabel('Enveloppe').selectOption({ label: 'Nord' });
    await form.getByRole('button', { name: 'Le proposer' }).click();
    await form.getByTestId('propose-done').getByText('« Square du Nord » est proposé. La commune va l’étudier.').waitFor();
    const listed = (await t.http.get(`/api/v1/budgets/${budgetId}/projects`).expect(200)).body.items as Array<{ id: string; title: string; districtId: string | null; cost: number; status: string }>;
    // Listed town-wide first, then by heading, each by title.
    expect(listed.map((p) => [p.title, p.districtId, p.cost, p.status])).toEqual([
      ['Bancs', null, 20_000, 'proposed'],
      ['Square du Nord', north, 25_000, 'proposed'],
    ]);
    for (const p of listed) projects[p.title] = p.id;
    await expectAccessible(page, 'proposed');
    expect(problems).toEqual([]);
    await close();

    // Two more through the API, and every project put on the ballot by staff.
    for (const [title, cost] of [['Piscine', 60_000], ['Pistes cyclables', 30_000]] as const) {
      projects[title] = (await author.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects`)).send({ title, description: `${title} pour tous`, cost }).expect(201)).body.id;
    }
    for (const id of Object.values(projects)) await staff.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects/${id}/review`)).send({ status: 'on_ballot' }).expect(200);
  });

  it('moves the phases from the settings screen; what voting fixes is refused beside its field, a later close is taken', async () => {
    const { page, problems, close } = await signIn(admin, DESKTOP, 'en-US');
    await page.goto(`/budgets/${budgetId}/settings`);
    const advance = page.getByTestId('advance');
    for (const phase of ['Projects under review', 'Voting open']) {
      await advance.getByRole('button', { name: 'Move to the next phase now' }).click();
      await advance.getByRole('button', { name: 'Yes, move it now' }).click();
      await page.getByTestId('settings-phase').getByText(phase).waitFor();
    }
    expect((await budget()).phase).toBe('voting');
    const settings = page.getByTestId('budget-settings');
    await settings.getByText('Voting has opened: amounts, rules and who may vote are fixed').waitFor();
    await settings.getByLabel('Town-wide amount (whole units)').fill('120000');
    await settings.getByRole('button', { name: 'Save the changes' }).click();
    await settings.getByTestId('error-amount').waitFor();
    await expect(settings.getByLabel('Town-wide amount (whole units)').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page, 'a fixed setting refused');
    expect((await budget()).amount).toBe(100_000);

    await settings.getByLabel('Town-wide amount (whole units)').fill('100000');
    const later = new Date(Date.now() + 40 * DAY - new Date().getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
    await settings.getByLabel('Voting closes').fill(later);
    await settings.getByRole('button', { name: 'Save the changes' }).click();
    await settings.getByRole('status').getByText('Changes saved.').waitFor();
    expect(Math.abs(Date.parse((await budget()).votingEndsAt) - (Date.now() + 40 * DAY))).toBeLessThan(5 * 60_000);
    expect(problems).toEqual([]);
    await close();
  });

  it('lets a resident choose a heading, cast, then replace the ballot with its receipt, the rule said first', async () => {
    const { page, problems, close } = await signIn(voter, PHONE, 'en-US');
    await page.goto(`/budgets/${budgetId}`);
    const ballot = page.getByTestId('ballot');
    await ballot.getByText('Choose up to 2 projects.').waitFor();
    // One heading per ballot: the district's projects and amount once it is chosen, then back.
    const headings = ballot.getByTestId('ballot-headings');
    await headings.getByLabel('North').check();
    await expect(ballot.getByRole('checkbox').count()).resolves.toBe(1);
    await ballot.getByLabel(/Square du Nord/).check();
    await ballot.getByTestId('running-total').getByText('1 chosen, €25,000 of €30,000').waitFor();
    await expectAccessible(page, 'ballot, district heading');
    await headings.getByLabel('Town-wide').check();
    await expect(ballot.getByRole('checkbox').count()).resolves.toBe(3);
    await ballot.getByTestId('running-total').getByText('0 chosen, €0 of €100,000').waitFor();
    await ballot.getByLabel(/Piscine/).check();
    await ballot.getByRole('button', { name: 'Cast my ballot' }).click();
    receipts.first = (await page.getByTestId('receipt').locator('code').textContent())!.trim();
    const replace = page.getByTestId('replace-ballot');
    await expect(replace.getByTestId('replace-rule').textContent()).resolves.toMatch(/^You may replace your ballot until voting closes \(.+\) with its receipt: the old one then stops counting/);
    await expectAccessible(page, 'cast, with the replacement offered');
    await replace.getByRole('button', { name: 'Change my ballot' }).click();
    await expect(replace.getByLabel('The receipt of the ballot to replace').inputValue()).resolves.toBe(receipts.first);
    await replace.getByLabel(/Pistes cyclables/).check();
    await replace.getByLabel(/Bancs/).check();
    await replace.getByTestId('running-total').getByText(/2 chosen/).waitFor();
    await expectAccessible(page, 'replacing');
    await replace.getByRole('button', { name: 'Replace my ballot' }).click();
    await page.getByTestId('receipt').getByText('Your ballot is replaced; the old one no longer counts. Keep this new receipt.').waitFor();
    receipts.second = (await page.getByTestId('receipt').locator('code').textContent())!.trim();
    expect(receipts.second).not.toBe(receipts.first);
    await screenshot(page, 'phone-budget-replaced');
    // Still one ballot for this resident.
    expect((await t.http.get(`/api/v1/budgets/${budgetId}/turnout`).expect(200)).body).toMatchObject({ ballots: 1, online: 1 });
    // A receipt that is not theirs replaces nothing.
    await replace.getByRole('button', { name: 'Change my ballot' }).click();
    await replace.getByLabel('The receipt of the ballot to replace').fill('not-a-receipt');
    await replace.getByLabel(/Piscine/).check();
    await replace.getByRole('button', { name: 'Replace my ballot' }).click();
    await replace.getByRole('alert').waitFor();
    expect(problems).toEqual([]);
    await close();
  });

  it('shows the Method of Equal Shares’ figures and each heading after the close, and counts the replacing receipt only', async () => {
    await neighbour.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: [projects['Piscine'], projects['Pistes cyclables']] }).expect(204);
    await neighbour.auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`)).expect(201);
    await northerner.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: [projects['Square du Nord']] }).expect(204);
    await northerner.auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`)).expect(201);
    await admin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(200);
    // By the rule (libs/budgets README): town-wide, 100,000 € for 2 voters is 50,000 € each; the
    // cycle lanes (both voters) cost 15,000 € each, then the benches 20,000 € of the first voter;
    // the pool (60,000 €) no longer fits the 50,000 € left: exhaustive after one run.
    const result = (await t.http.get(`/api/v1/budgets/${budgetId}/results`).expect(200)).body.result;
    expect(result.headings.map((h: { districtId: string | null; mesRuns: number; shares: { perVoter: string } }) => [h.districtId, h.mesRuns, h.shares.perVoter])).toEqual([
      [null, 1, '50000'],
      [north, 1, '30000'],
    ]);

    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await page.goto('/');
    await chooseTownOnDevice(page, town);
    await page.goto(`/budgets/${budgetId}`);
    const outcome = page.getByTestId('outcome');
    await outcome.getByText('Règle : la méthode des parts égales').waitFor();
    const headings = outcome.getByTestId('outcome-heading');
    await expect(headings.count()).resolves.toBe(2);
    const [townWide, district] = [headings.nth(0), headings.nth(1)];
    await townWide.getByRole('heading', { name: 'Toute la commune' }).waitFor();
    await district.getByRole('heading', { name: 'Nord' }).waitFor();
    const figures = async (h: typeof townWide) => (await h.getByTestId('mes-figures').locator('dd').allTextContents()).map((s) => s.replace(/\s/g, ' '));
    expect(await figures(townWide)).toEqual(['50 000 €', '1', '50 000 € ; 0 votant(s) sans reste']);
    expect(await figures(district)).toEqual(['30 000 €', '1', '5 000 € ; 0 votant(s) sans reste']);
    const rows = async (h: typeof townWide) => h.locator('tbody tr').evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => (c.textContent ?? '').replace(/\s/g, ' '))));
    expect((await rows(townWide)).sort()).toEqual(
      [
        ['Bancs', '1', '20 000 €', 'oui (parts égales)', '20 000 €'],
        ['Piscine', '1', '60 000 €', 'non', '—'],
        ['Pistes cyclables', '2', '30 000 €', 'oui (parts égales)', '15 000 €'],
      ].sort(),
    );
    expect(await rows(district)).toEqual([['Square du Nord', '1', '25 000 €', 'oui (parts égales)', '25 000 €']]);
    await expect(district.getByRole('link', { name: 'Télécharger les bulletins et le résultat (Pabulib .pb)' }).getAttribute('href')).resolves.toBe(`/api/v1/budgets/${budgetId}/export.pb?district=${north}`);
    await expectAccessible(page, 'results with equal shares by heading');
    await townWide.getByTestId('mes-figures').scrollIntoViewIfNeeded();
    await screenshot(page, 'phone-budget-equal-shares');

    // The replacing receipt is counted; the replaced one is not.
    await page.getByLabel('Reçu').fill(receipts.second!);
    await page.getByRole('button', { name: 'Vérifier mon reçu' }).click();
    await expect(page.getByTestId('receipt-answer').textContent()).resolves.toBe('Ce bulletin est compté.');
    await page.getByLabel('Reçu').fill(receipts.first!);
    await page.getByRole('button', { name: 'Vérifier mon reçu' }).click();
    await page.getByText("Aucun bulletin compté n'a ce reçu.").waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});

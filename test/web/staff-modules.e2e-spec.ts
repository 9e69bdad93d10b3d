import TestAgent from 'supertest/lib/agent';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { Browser, chooseTownOnDevice, DESKTOP, ensureWebBuild, expectAccessible, launchChromium, openContext, Page, screenshot } from './browser';

/**
 * Staff screens of the modules in Chromium (desktop): drafting and publishing the town's answer to
 * a proposal that reached its threshold; reviewing a budget's projects and watching its turnout
 * change live while a resident votes (the worker relays the ballot's event to `budget:{id}`).
 * The suite has its own database and queue prefix, since it starts a worker.
 */
jest.setTimeout(300_000);

const DAY = 86_400_000;

async function verifiedResident(http: TestAgent, slug: string, staff: Session): Promise<Session> {
  const s = await createSession(http);
  await staff.auth(http.put(`/api/v1/municipalities/${slug}/residents/${s.user.id}`)).send({}).expect(201);
  return s;
}

describe('Web app: staff screens of proposals and budgets (Chromium)', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let browser: Browser;
  let town: TestMunicipality;
  let admin: Session;
  let staff: Session;
  let clerk: Session;
  let author: Session;
  let proposalId: string;
  let budgetId: string;
  const projects: Record<string, string> = {};

  beforeAll(async () => {
    ensureWebBuild();
    env = await isolatedEnv('web_staff_modules', { MAP_TILE_URL: 'none' });
    t = await createTestApp({ listen: true, env: env.env });
    worker = await startTestWorker({ env: env.env });
    browser = await launchChromium();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Réponseville' });
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff'], { displayName: 'Agent Alpha' });
    // Enters paper ballots: staff without the admin role (the residents search is staff's).
    clerk = await memberSession(t.http, platform.accessToken, town.slug, ['staff'], { displayName: 'Agent Papier' });

    // A proposal past its threshold (one support is enough here).
    await admin.auth(t.http.put(`/api/v1/municipalities/${town.slug}/proposal-settings`)).send({ supportThreshold: 1 }).expect(200);
    author = await verifiedResident(t.http, town.slug, staff);
    const supporter = await verifiedResident(t.http, town.slug, staff);
    const topic = await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposal-topics`)).send({ code: 'nature', nameFr: 'Nature', nameEn: 'Nature' }).expect(201);
    const created = await author
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposals`))
      .send({ title: 'Un composteur de quartier', body: 'Au square, pour les déchets verts.', topicId: topic.body.id })
      .expect(201);
    proposalId = created.body.id;
    await author.auth(t.http.post(`/api/v1/proposals/${proposalId}/publish`)).expect(200);
    await supporter.auth(t.http.post(`/api/v1/proposals/${proposalId}/support`)).expect(200);
    await t.http.get(`/api/v1/proposals/${proposalId}`).expect(200).expect((res) => expect(res.body.status).toBe('threshold_reached'));

    // A budget with two proposed projects.
    const budget = await admin
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
      .send({
        title: { fr: 'Budget participatif 2027', en: 'Participatory budget 2027' },
        description: { fr: 'Vos idées', en: 'Your ideas' },
        amount: 100_000,
        currency: 'EUR',
        ballotRule: { kind: 'knapsack' },
        outcomeRule: 'greedy',
        proposingEndsAt: new Date(Date.now() + DAY).toISOString(),
        reviewingEndsAt: new Date(Date.now() + 2 * DAY).toISOString(),
        votingEndsAt: new Date(Date.now() + 3 * DAY).toISOString(),
      })
      .expect(201);
    budgetId = budget.body.id;
    for (const [title, cost] of [['Jardin partagé', 60_000], ['Piscine olympique', 5_000_000]] as const) {
      const p = await author.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects`)).send({ title, description: `${title}, pour tous`, cost }).expect(201);
      projects[title] = p.body.id;
    }
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await env?.teardown();
  });

  async function signedInStaff(who: Session = staff): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(who.user.email);
    await page.getByLabel('Password').fill(who.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your town' }).waitFor();
    await chooseTownOnDevice(page, town);
    return { page, problems, close: () => context.close() };
  }

  it('drafts the answer to a proposal, keeps it private, then publishes it', async () => {
    const { page, problems, close } = await signedInStaff();
    await page.getByRole('link', { name: 'Answers', exact: true }).click();
    await page.getByRole('heading', { name: "Proposals: the town's answers" }).waitFor();
    await page.getByTestId('waiting-answers').getByRole('button', { name: /Un composteur de quartier/ }).click();
    const editor = page.getByTestId('answer-editor');
    await editor.getByLabel('Accepted').check();
    await editor.getByLabel('The answer (Markdown)').fill('Nous installons un *composteur* au square.');
    await editor.getByLabel('Estimated cost (whole units)').fill('2500');
    await editor.getByLabel('When it should be done').fill('Printemps 2027');
    await expectAccessible(page, 'answer editor');
    await editor.getByRole('button', { name: 'Save the draft' }).click();
    await editor.getByTestId('answer-message').getByText('Draft saved.').waitFor();
    const drafted = await staff.auth(t.http.get(`/api/v1/proposals/${proposalId}/answer`)).expect(200);
    expect(drafted.body).toMatchObject({ status: 'accepted', estimatedCost: 2500, timeline: 'Printemps 2027', publishedAt: null });
    expect((await t.http.get(`/api/v1/proposals/${proposalId}`).expect(200)).body.answer).toBeNull();
    await screenshot(page, 'desktop-proposal-answer');

    await editor.getByRole('button', { name: 'Publish the answer' }).click();
    await page.getByTestId('answers-notice').getByText('Answer published for “Un composteur de quartier”.').waitFor();
    const published = (await t.http.get(`/api/v1/proposals/${proposalId}`).expect(200)).body;
    expect(published.status).toBe('accepted');
    expect(published.answer).toMatchObject({ status: 'accepted' });
    // Accepted, it leaves the queue.
    await page.getByText('No other proposal awaits an answer.').waitFor();
    await expectAccessible(page, 'answers after publishing');
    expect(problems).toEqual([]);
    await close();
  });

  it('imports the accepted proposal as a budget project from the review screen', async () => {
    const { page, problems, close } = await signedInStaff();
    await page.goto(`/budgets/${budgetId}/review`);
    const importer = page.getByTestId('budget-import');
    const row = importer.getByTestId('importable-proposal').filter({ hasText: 'Un composteur de quartier' });
    await row.getByText('Accepted').waitFor();
    await expectAccessible(page, 'proposals to import');
    await row.getByLabel('Estimated cost of “Un composteur de quartier” (whole units)').fill('2500');
    await row.getByRole('button', { name: 'Import as a project' }).click();
    await importer.getByTestId('import-done').getByText('“Un composteur de quartier” is now a project of this budget.').waitFor();
    // Out of the list to import, into the projects to review.
    await importer.getByText('No proposal to import.').waitFor();
    await page.getByTestId('review-project').filter({ hasText: 'Un composteur de quartier' }).waitFor();
    const listed = (await t.http.get(`/api/v1/budgets/${budgetId}/projects`).expect(200)).body.items as Array<{ id: string; title: string; proposalId: string | null; cost: number; status: string }>;
    expect(listed.filter((p) => p.proposalId === proposalId)).toEqual([expect.objectContaining({ title: 'Un composteur de quartier', cost: 2500, status: 'proposed' })]);
    // After a reload it stays out of the list (the link is the API's).
    await page.reload();
    await page.getByTestId('budget-import').getByText('No proposal to import.').waitFor();
    await expectAccessible(page, 'after the import');
    // Its author withdraws the project: the proposal stays taken (the API would answer 409), so it is not offered again.
    const projectId = listed.find((p) => p.proposalId === proposalId)!.id;
    await author.auth(t.http.post(`/api/v1/budgets/${budgetId}/projects/${projectId}/withdraw`)).expect(200);
    await page.reload();
    await page.getByTestId('budget-import').getByText('No proposal to import.').waitFor();
    expect(await page.getByTestId('importable-proposal').count()).toBe(0);
    expect(problems).toEqual([]);
    await close();
  });

  it('publishes drafted answers at once (one refused without a draft), then marks the accepted proposal implemented', async () => {
    const topic = await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposal-topics`)).send({ code: 'mobilier', nameFr: 'Mobilier', nameEn: 'Furniture' }).expect(201);
    const supporter = await verifiedResident(t.http, town.slug, staff);
    const ids: Record<string, string> = {};
    for (const title of ['Des bancs au marché', 'Une fontaine à eau']) {
      const created = await author.auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposals`)).send({ title, body: `${title}, pour tous.`, topicId: topic.body.id }).expect(201);
      ids[title] = created.body.id;
      await author.auth(t.http.post(`/api/v1/proposals/${created.body.id}/publish`)).expect(200);
      await supporter.auth(t.http.post(`/api/v1/proposals/${created.body.id}/support`)).expect(200);
    }
    // Only the benches have a drafted answer.
    await staff.auth(t.http.put(`/api/v1/proposals/${ids['Des bancs au marché']}/answer`)).send({ status: 'rejected', body: 'Le marché manque de place.' }).expect(200);

    const { page, problems, close } = await signedInStaff();
    await page.getByRole('link', { name: 'Answers', exact: true }).click();
    await page.getByRole('heading', { name: "Proposals: the town's answers" }).waitFor();
    const bulk = page.getByTestId('bulk-answers');
    await expect(bulk.getByRole('button', { name: 'Publish the 0 drafted answer(s)' }).isDisabled()).resolves.toBe(true);
    await page.getByLabel('Select “Des bancs au marché” for publishing').check();
    await page.getByLabel('Select “Une fontaine à eau” for publishing').check();
    await expectAccessible(page, 'answers with two ticked');
    await bulk.getByRole('button', { name: 'Publish the 2 drafted answer(s)' }).click();
    const result = bulk.getByTestId('bulk-answers-result');
    await result.getByText('1 answer(s) published.').waitFor();
    await result.getByText('“Une fontaine à eau”: This proposal has no drafted answer').waitFor();
    expect((await t.http.get(`/api/v1/proposals/${ids['Des bancs au marché']}`).expect(200)).body).toMatchObject({ status: 'rejected', answer: { status: 'rejected' } });
    expect((await t.http.get(`/api/v1/proposals/${ids['Une fontaine à eau']}`).expect(200)).body).toMatchObject({ status: 'threshold_reached', answer: null });
    // The rejected one left the queue; the one without a draft stays.
    await page.getByTestId('waiting-answers').getByRole('button', { name: /Une fontaine à eau/ }).waitFor();
    await page.getByTestId('waiting-answers').getByRole('button', { name: /Des bancs au marché/ }).waitFor({ state: 'detached' });

    // The proposal accepted in the previous test waits to be carried out.
    const accepted = page.getByTestId('accepted-proposals');
    await accepted.getByRole('button', { name: 'Mark “Un composteur de quartier” implemented' }).click();
    await page.getByTestId('implemented-result').getByText('“Un composteur de quartier” is marked implemented.').waitFor();
    expect((await t.http.get(`/api/v1/proposals/${proposalId}`).expect(200)).body.status).toBe('implemented');
    await page.getByText('No accepted proposal waits to be carried out.').waitFor();
    await expectAccessible(page, 'answers after marking implemented');
    expect(problems).toEqual([]);
    await close();
  });

  it('reviews a budget’s projects, then sees the turnout change live as a resident votes', async () => {
    const { page, problems, close } = await signedInStaff();
    await page.goto(`/budgets/${budgetId}`);
    await page.getByRole('link', { name: 'Review and turnout (staff)' }).click();
    await page.getByRole('heading', { name: 'Review — Participatory budget 2027' }).waitFor();
    const garden = page.getByTestId('review-project').filter({ hasText: 'Jardin partagé' });
    await garden.getByLabel('Decision').selectOption({ label: 'On the ballot' });
    await garden.getByLabel('Final cost').fill('55000');
    await garden.getByRole('button', { name: 'Record the review' }).click();
    await garden.getByText('Review recorded.').waitFor();
    const pool = page.getByTestId('review-project').filter({ hasText: 'Piscine olympique' });
    await pool.getByLabel('Decision').selectOption({ label: 'Not feasible' });
    await pool.getByLabel('Reason (told to the author)').fill('Hors de portée du budget');
    await pool.getByRole('button', { name: 'Record the review' }).click();
    await pool.getByText('Review recorded.').waitFor();
    const listed = await t.http.get(`/api/v1/budgets/${budgetId}/projects`).expect(200);
    const byId = new Map((listed.body.items as Array<{ id: string; status: string; cost: number; reviewReason: string | null }>).map((p) => [p.id, p]));
    expect(byId.get(projects['Jardin partagé'])).toMatchObject({ status: 'on_ballot', cost: 55_000 });
    expect(byId.get(projects['Piscine olympique'])).toMatchObject({ status: 'unfeasible', reviewReason: 'Hors de portée du budget' });
    await expectAccessible(page, 'budget review');

    // Voting opens; the screen is live on the budget's topic; a resident's ballot moves the count.
    await admin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(200);
    await admin.auth(t.http.post(`/api/v1/budgets/${budgetId}/advance`)).expect(200);
    await page.reload();
    await page.getByTestId('turnout-live').waitFor();
    await page.getByTestId('turnout-figures').getByText('0 ballot(s): 0 online, 0 on paper').waitFor();
    await author.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: [projects['Jardin partagé']] }).expect(204);
    await author.auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`)).expect(201);
    await page.getByTestId('turnout-figures').getByText('1 ballot(s): 1 online, 0 on paper').waitFor({ timeout: 60_000 });
    await page.getByTestId('turnout').getByRole('figure').waitFor();
    await screenshot(page, 'desktop-budget-review');
    await expectAccessible(page, 'budget turnout');
    expect(problems).toEqual([]);
    await close();
  });

  it('enters a paper ballot for a resident who has not voted online, and is refused for one who has', async () => {
    const voter = await createSession(t.http, { displayName: 'Camille Papier' });
    await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${voter.user.id}`)).send({}).expect(201);
    const { page, problems, close } = await signedInStaff(clerk);
    await page.goto(`/budgets/${budgetId}/review`);
    const paper = page.getByTestId('paper-ballot');
    await paper.getByRole('heading', { name: 'Enter a paper ballot' }).waitFor();
    await page.getByTestId('turnout-figures').getByText('1 ballot(s): 1 online, 0 on paper').waitFor();
    // Found by a fragment of the name, accents and case aside; picked from the list.
    await paper.getByLabel('Name or email of the resident (3 characters at least)').fill('camille pap');
    await paper.getByRole('button', { name: 'Find the resident' }).click();
    await paper.getByTestId('paper-matches').getByText('Choose the resident:').waitFor();
    await expectAccessible(page, 'paper ballot matches');
    await paper.getByRole('button', { name: 'Camille Papier', exact: true }).click();
    const form = paper.getByTestId('paper-form');
    await form.getByRole('heading', { name: 'Ballot of Camille Papier' }).waitFor();
    // The resident's own form: the rule, the projects on the ballot only, the running total.
    await form.getByText('Choose projects whose total cost stays within €100,000.').waitFor();
    expect(await form.getByRole('checkbox').count()).toBe(1);
    await form.getByLabel(/Jardin partagé/).check();
    await form.getByTestId('running-total').getByText('1 chosen, €55,000 of €100,000').waitFor();
    await expectAccessible(page, 'paper ballot form');
    await form.getByRole('button', { name: 'Cast my ballot' }).click();
    await paper.getByTestId('paper-done').getByText('Paper ballot of Camille Papier recorded.').waitFor();
    await page.getByTestId('turnout-figures').getByText('2 ballot(s): 1 online, 1 on paper').waitFor({ timeout: 60_000 });
    expect((await t.http.get(`/api/v1/budgets/${budgetId}/turnout`).expect(200)).body).toMatchObject({ ballots: 2, online: 1, paper: 1 });
    // That resident cannot vote online any more.
    await voter.auth(t.http.put(`/api/v1/budgets/${budgetId}/ballot`)).send({ projects: [projects['Jardin partagé']] }).expect(204);
    await voter.auth(t.http.post(`/api/v1/budgets/${budgetId}/ballot/submit`)).expect(409);

    // Nobody matches a name that is no resident's.
    await paper.getByLabel('Name or email of the resident (3 characters at least)').fill('Zébulon');
    await paper.getByRole('button', { name: 'Find the resident' }).click();
    await paper.getByTestId('paper-matches').getByText('No verified resident of the town matches.').waitFor();
    // The author, found by a fragment of their address, voted online: their paper ballot is refused.
    await paper.getByLabel('Name or email of the resident (3 characters at least)').fill(author.user.email.split('@')[0]);
    await paper.getByRole('button', { name: 'Find the resident' }).click();
    await paper.getByRole('button', { name: author.user.displayName, exact: true }).click();
    await form.getByLabel(/Jardin partagé/).check();
    await form.getByRole('button', { name: 'Cast my ballot' }).click();
    await form.getByRole('alert').getByText(`${author.user.displayName} has already voted: the ballot is refused.`).waitFor();
    expect((await t.http.get(`/api/v1/budgets/${budgetId}/turnout`).expect(200)).body).toMatchObject({ ballots: 2, online: 1, paper: 1 });
    await expectAccessible(page, 'paper ballot refused');
    expect(problems).toEqual([]);
    await close();
  });
});

import { randomUUID } from 'node:crypto';
import { PanelRun, replayRun } from '@app/panels';
import { DataSource } from 'typeorm';
import { TestApp } from '../utils/create-test-app';
import { platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createPanel, smallPanelBody, volunteer } from '../factories/panel.factory';
import { Browser, downloadedText, chooseTownOnDevice, DESKTOP, expectAccessible, openContext, Page, PHONE, startWebApp, WebApp } from './browser';

/**
 * After a panel's draw, in Chromium: a drawn resident's "my panels" (phone, French) shows the
 * seat's state and never another person's panel; staff (desktop, English) read a member's status
 * history and download a draw's run file, which re-checks to the same members as
 * `npm run panel:draw` does; the inbox opens each module's notification on its page. axe on every
 * page; no CSP violation or page error.
 */
jest.setTimeout(240_000);

const PROFILES = [
  { gender: 'f', age: 'young' },
  { gender: 'f', age: 'old' },
  { gender: 'm', age: 'young' },
  { gender: 'm', age: 'old' },
];

describe("Web app: my panels, a member's history, a draw's run file, the inbox across modules (Chromium)", () => {
  let web: WebApp;
  let t: TestApp;
  let db: DataSource;
  let browser: Browser;
  let town: TestMunicipality;
  let admin: Session;
  let panelId: string;
  let drawn: { id: string; members: string[] };
  let chosen: Array<{ session: Session; profileId: string }>;
  let declinedMemberId: string;

  beforeAll(async () => {
    ({ t, browser } = web = await startWebApp());
    db = t.app.get(DataSource);
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Mespanels' });
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin'], { displayName: 'Ada Admin' });
    panelId = (await createPanel(t.http, admin, town.slug, smallPanelBody({ name: 'Panel mobilité' }))).id;
    const people = [];
    for (let i = 0; i < 2; i += 1) for (const features of PROFILES) people.push(await volunteer(t.http, town.slug, admin, panelId, features));
    await admin.auth(t.http.post(`/api/v1/panels/${panelId}/pool/close`)).expect(200);
    drawn = (await admin.auth(t.http.post(`/api/v1/panels/${panelId}/selections`)).send({ seed: '4-2-6-1' }).expect(201)).body;
    chosen = people.filter((p) => drawn.members.includes(p.profileId));
    const declined = await chosen[0].session.auth(t.http.post(`/api/v1/panels/${panelId}/members/me/decline`)).expect(200);
    declinedMemberId = declined.body.id;
    // Another panel of the town, recruiting, with someone else's profile: never in chosen[1]'s list.
    const other = await createPanel(t.http, admin, town.slug, smallPanelBody({ name: 'Panel voisin' }));
    await volunteer(t.http, town.slug, admin, other.id, PROFILES[0]);
  });

  afterAll(async () => {
    await web?.close();
  });

  async function signIn(page: Page, session: Session, locale: 'fr' | 'en') {
    await page.goto('/sign-in');
    await page.getByLabel(locale === 'fr' ? 'E-mail' : 'Email').fill(session.user.email);
    await page.getByLabel(locale === 'fr' ? 'Mot de passe' : 'Password').fill(session.user.password);
    await page.getByRole('button', { name: locale === 'fr' ? 'Se connecter' : 'Sign in' }).click();
    await page.getByRole('button', { name: locale === 'fr' ? 'Se déconnecter' : 'Sign out' }).waitFor();
    await chooseTownOnDevice(page, town);
  }

  it("a drawn resident's panels: the seat's state, the deadline, the panel's page; nobody else's panel", async () => {
    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await signIn(page, chosen[1].session, 'fr');
    await page.goto('/panels');
    await page.getByRole('link', { name: 'Mes panels' }).click();
    await page.getByRole('heading', { name: 'Mes panels' }).waitFor();
    const items = page.getByTestId('my-panels').getByRole('listitem');
    await items.first().waitFor();
    expect(await items.count()).toBe(1);
    const item = await items.first().innerText();
    expect(item).toContain('Panel mobilité');
    expect(item).toContain('Invité, pas encore de réponse');
    expect(item).toMatch(/Répondez avant le \d{2}\/\d{2}\/\d{4}/);
    expect(item).not.toContain('Panel voisin');
    await expectAccessible(page, 'my panels');
    await page.getByRole('link', { name: 'Panel mobilité' }).click();
    await page.getByRole('heading', { name: 'Mon siège au panel' }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/panels/${panelId}`);

    expect(problems).toEqual([]);
    await context.close();

    // The one who declined sees it said so.
    const declined = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const declinedPage = await declined.context.newPage();
    await signIn(declinedPage, chosen[0].session, 'fr');
    await declinedPage.goto('/panels/mine');
    await declinedPage.getByTestId('my-panels').getByText('A décliné').waitFor();
    expect(declined.problems).toEqual([]);
    await declined.context.close();
  });

  it("staff read a member's status history and download a draw's run file, which re-checks to the same members", async () => {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, admin, 'en');
    await page.goto(`/panels/${panelId}/draw`);
    await page.getByTestId('members').waitFor();
    await page.getByRole('button', { name: `History of ${chosen[0].profileId}` }).click();
    const history = page.locator(`#history-${declinedMemberId}`).getByTestId('member-history');
    await history.waitFor();
    const lines = await history.getByRole('listitem').allInnerTexts();
    expect(lines).toEqual([expect.stringMatching(/Invited, no answer yet \(drawn, (automatic|by a person)\)$/), expect.stringMatching(/Invited, no answer yet → Declined \(declined, by a person\)$/)]);
    await expectAccessible(page, 'draw screen with a history open');

    const runs = page.getByTestId('draw-runs');
    await runs.getByText('seed “4-2-6-1”').waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download the run file of The draw' }).click()]);
    expect(download.suggestedFilename()).toBe(`panel-${panelId.slice(0, 8)}-initial-0.json`);
    const file = JSON.parse(await downloadedText(download)) as PanelRun;
    const fromApi = await admin.auth(t.http.get(`/api/v1/panels/${panelId}/selections/${drawn.id}/run`)).expect(200);
    expect(file).toEqual(fromApi.body);
    // What `npm run panel:draw -- run.json` does with it: the hashes re-checked, the same members.
    expect(await replayRun(file)).toEqual({ members: [...drawn.members].sort(), problems: [] });
    expect(problems).toEqual([]);
    await context.close();
  });

  it("the inbox opens each module's notification on its page", async () => {
    const person = chosen[1].session;
    const ids = { proposal: randomUUID(), workshop: randomUUID(), budget: randomUUID(), project: randomUUID(), survey: randomUUID() };
    // Rows as the fan-out writes them (libs/notifications); each module's rule producing them is tested in its own suites.
    const rows: Array<[string, string, string, Record<string, unknown>]> = [
      ['panel.member_invited', 'panel', panelId, { panelName: 'Panel mobilité', respondBy: new Date(Date.now() + 7 * 86_400_000).toISOString() }],
      ['proposal.published', 'proposal', ids.proposal, { title: 'Des bancs au parc' }],
      ['workshop.session_cancelled', 'workshop', ids.workshop, { title: { fr: 'Atelier vélo', en: 'Bike workshop' }, workshopId: ids.workshop, startsAt: new Date().toISOString(), timezone: 'Europe/Paris' }],
      ['budget.voting_opened', 'budget', ids.budget, { title: { fr: 'Budget 2027', en: 'Budget 2027' } }],
      ['budget.project_reviewed', 'budget_project', ids.project, { budgetId: ids.budget, projectTitle: 'Un verger', status: 'unfeasible', reason: 'terrain' }],
      ['survey.reminder', 'survey', ids.survey, { title: 'Vos trajets', closesAt: new Date(Date.now() + 86_400_000).toISOString() }],
    ];
    for (const [i, [type, subjectType, subjectId, data]] of rows.entries()) {
      await db.query(
        `INSERT INTO notifications (user_id, municipality_id, type, subject_type, subject_id, source_event_id, data, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, now() - make_interval(mins => $8))`,
        [person.user.id, town.id, type, subjectType, subjectId, 9_000_000 + i, data, i],
      );
    }
    const inbox = (await person.auth(t.http.get('/api/v1/me/notifications?limit=10')).set('Accept-Language', 'fr').expect(200)).body.items as Array<{ type: string; title: string }>;
    const titleOf = (type: string) => inbox.find((n) => n.type === type)!.title;
    const expected: Array<[string, string]> = [
      ['panel.member_invited', `/panels/${panelId}`],
      ['proposal.published', `/proposals/${ids.proposal}`],
      ['workshop.session_cancelled', `/workshops/${ids.workshop}`],
      ['budget.voting_opened', `/budgets/${ids.budget}`],
      ['budget.project_reviewed', `/budgets/${ids.budget}`],
      ['survey.reminder', `/surveys/${ids.survey}`],
    ];

    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await signIn(page, person, 'fr');
    await page.goto('/notifications');
    await page.getByTestId('inbox').getByRole('listitem').first().waitFor();
    await expectAccessible(page, 'inbox');
    for (const [type, path] of expected) {
      await page.goto('/notifications');
      await page.getByTestId('inbox').getByRole('button', { name: titleOf(type) }).click();
      await page.waitForURL((url) => url.pathname === path);
    }
    // Every one opened is read.
    const after = (await person.auth(t.http.get('/api/v1/me/notifications?limit=10')).expect(200)).body.items as Array<{ type: string; readAt: string | null }>;
    expect(after.filter((n) => expected.some(([type]) => type === n.type)).every((n) => n.readAt !== null)).toBe(true);
    expect(problems).toEqual([]);
    await context.close();
  });
});

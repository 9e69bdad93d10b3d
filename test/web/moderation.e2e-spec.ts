import { TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { moderationHelpers } from '../engagement/moderation-fixtures';
import { Browser, DESKTOP, openContext, Page, screenshot, seriousAxeViolations, startWebApp, WebApp } from './browser';

jest.setTimeout(180_000);

/**
 * The moderation queue screen in Chromium against the real API: a resident's comment held by the
 * town's word list shows to them as awaiting review; staff reject one with a reason and publish
 * another from the queue; a decision someone else took first is said plainly.
 */
describe('Web app: moderation (Chromium)', () => {
  let env: IsolatedEnv;
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let categoryCode: string;
  let staff: Session;
  let colleague: Session;
  let resident: Session;
  let h: ReturnType<typeof moderationHelpers>;

  beforeAll(async () => {
    env = await isolatedEnv('web_moderation', { MAP_TILE_URL: 'none' });
    ({ t, browser } = web = await startWebApp(env.env));
    h = moderationHelpers(t.http);
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Modtown' });
    categoryCode = (await createCategory(t.http, platform.accessToken, town.slug)).code;
    const admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff'], { displayName: 'Agent Alpha' });
    colleague = await memberSession(t.http, platform.accessToken, town.slug, ['staff'], { displayName: 'Agent Beta' });
    resident = await createSession(t.http, { displayName: 'Rita Resident' });
    await h.setRules(admin, town.slug, { heldWords: ['arnaque'] });
  });

  afterAll(async () => {
    await web?.close();
    await env?.teardown();
  });

  const signIn = async (page: Page, session: Session) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(session.user.email);
    await page.getByLabel('Password').fill(session.user.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Choose your town' }).waitFor();
  };

  it('shows a held comment to its author as awaiting review; staff reject and publish from the queue', async () => {
    const report = await createReport(t.http, resident.accessToken, town, categoryCode);
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, resident);
    await page.goto(`/report/${report.id}`);
    await page.getByLabel('Add a comment').fill('Quelle arnaque ce chantier');
    await page.getByRole('button', { name: 'Comment', exact: true }).click();
    await page.locator('li', { hasText: 'Quelle arnaque ce chantier' }).getByTestId('awaiting-review').waitFor();
    // Reloaded, it is still there for its author, still marked.
    await page.reload();
    await page.locator('li', { hasText: 'Quelle arnaque ce chantier' }).getByTestId('awaiting-review').waitFor();
    expect(await h.thread(report.id)).toEqual([]);
    await context.close();

    const second = await h.comment(resident, report.id, 'Pas une arnaque en fait');
    const desk = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const board = await desk.context.newPage();
    await signIn(board, staff);
    await board.goto(`/moderation/${town.slug}`);
    await board.getByRole('heading', { name: 'Moderation — Modtown' }).waitFor();
    const first = board.locator('[data-testid="moderation-queue"] li', { hasText: 'Quelle arnaque ce chantier' });
    await first.waitFor();
    expect(await first.textContent()).toContain('Listed word — arnaque');
    expect(await first.textContent()).toContain('Rita Resident');
    expect({ violations: await seriousAxeViolations(board) }).toEqual({ violations: [] });
    await screenshot(board, 'desk-moderation-queue');

    // Rejecting needs a reason for the author.
    expect(await first.getByRole('button', { name: 'Reject' }).isDisabled()).toBe(true);
    await first.getByLabel('Reason (told to the author; needed to reject)').fill('Unfounded accusation');
    await first.getByRole('button', { name: 'Reject' }).click();
    await first.waitFor({ state: 'detached' });

    const other = board.locator('[data-testid="moderation-queue"] li', { hasText: 'Pas une arnaque en fait' });
    await other.getByRole('button', { name: 'Publish' }).click();
    await other.waitFor({ state: 'detached' });
    await board.getByTestId('moderation-empty').waitFor();
    expect((await h.thread(report.id)).map((c) => c.id)).toEqual([second.id]);
    const rejected = await h.queue(staff, town.slug, { status: 'rejected' });
    expect(rejected).toEqual([expect.objectContaining({ decisionReason: 'Unfounded accusation', preview: 'Quelle arnaque ce chantier' })]);
    expect(desk.problems).toEqual([]);
    expect(problems).toEqual([]);
    await desk.context.close();
  });

  it('says so when a colleague decided first', async () => {
    const report = await createReport(t.http, resident.accessToken, town, categoryCode);
    const held = await h.comment(resident, report.id, 'Encore une arnaque');
    const desk = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const board = await desk.context.newPage();
    await signIn(board, staff);
    await board.goto(`/moderation/${town.slug}`);
    const row = board.locator('[data-testid="moderation-queue"] li', { hasText: 'Encore une arnaque' });
    await row.waitFor();
    const item = (await h.itemFor(colleague, town.slug, held.id))!;
    await h.decide(colleague, town.slug, item.id, 'approve').expect(200);
    await row.getByRole('button', { name: 'Publish' }).click();
    await row.getByRole('alert').filter({ hasText: 'Someone already decided on this.' }).waitFor();
    expect(desk.problems).toEqual([]);
    await desk.context.close();
  });

  it('is refused to a citizen', async () => {
    const { context } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, resident);
    await page.goto(`/moderation/${town.slug}`);
    await page.getByRole('alert').filter({ hasText: 'Only this town’s staff can see its moderation queue.' }).waitFor();
    await context.close();
  });
});

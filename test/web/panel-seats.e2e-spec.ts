import { getQueueToken } from '@nestjs/bullmq';
import { PanelDeadlineJobData, QUEUES } from '@app/common';
import { Queue } from 'bullmq';
import { termEndJobId } from '../../apps/worker/src/panels/panel-deadlines.consumer';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { eventually, isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { Browser, chooseTownOnDevice, DESKTOP, ensureWebBuild, expectAccessible, launchChromium, openContext, Page, PHONE, screenshot } from './browser';

/**
 * A panel's whole life in Chromium, beyond volunteering and the first draw (panels.e2e-spec.ts):
 * staff create it in the app (the API's refusals shown beside the fields) and edit it, import the
 * invited residents from a CSV file chosen in the app (the rejected rows listed), draw; drawn
 * residents type the code of their letter and confirm or decline (the worker draws a replacement
 * for the decline); staff read the response rates by value and rotate the seats at the term's
 * end (the term-end job promoted, as its date arriving does). Own database and queue prefix, since
 * it starts a worker. axe on every page.
 */
jest.setTimeout(300_000);

/** Six invited residents, then three rows the API must refuse: a doubled id, an unknown value, no id. */
const POOL_CSV = ['external_id,gender', 'p-f1,f', 'p-f2,f', 'p-f3,f', 'p-m1,m', 'p-m2,m', 'p-m3,m', 'p-m1,m', 'p-x,x', ',f'].join('\n') + '\n';

interface Letter {
  externalId: string;
  code: string;
}
interface Member {
  id: string;
  selectionId: string;
  status: string;
  features: Record<string, string>;
  respondBy: string;
}

describe("Web app: a panel's rules, pool import, seats and rotation (Chromium)", () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let queue: Queue<PanelDeadlineJobData>;
  let browser: Browser;
  let town: TestMunicipality;
  let admin: Session;
  let panelId: string;

  beforeAll(async () => {
    ensureWebBuild();
    env = await isolatedEnv('web_panel_seats', { MAP_TILE_URL: 'none' });
    t = await createTestApp({ listen: true, env: env.env });
    worker = await startTestWorker({ env: env.env });
    queue = worker.app.get(getQueueToken(QUEUES.panelDeadlines));
    browser = await launchChromium();
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Tirageville' });
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin'], { displayName: 'Ada Admin' });
  });

  afterAll(async () => {
    await browser?.close();
    await worker?.close();
    await t?.close();
    await env?.teardown();
  });

  async function signIn(page: Page, session: Session, locale: 'fr' | 'en') {
    await page.goto('/sign-in');
    await page.getByLabel(locale === 'fr' ? 'E-mail' : 'Email').fill(session.user.email);
    await page.getByLabel(locale === 'fr' ? 'Mot de passe' : 'Password').fill(session.user.password);
    await page.getByRole('button', { name: locale === 'fr' ? 'Se connecter' : 'Sign in' }).click();
    // Signed in: the header offers to sign out (the next screen depends on a town chosen before on this device).
    await page.getByRole('button', { name: locale === 'fr' ? 'Se déconnecter' : 'Sign out' }).waitFor();
    await chooseTownOnDevice(page, town);
  }

  const members = async (): Promise<Member[]> => (await admin.auth(t.http.get(`/api/v1/panels/${panelId}/members?limit=100`)).expect(200)).body.items;
  const letters = async (): Promise<Letter[]> => (await admin.auth(t.http.get(`/api/v1/panels/${panelId}/invitation-letters`)).expect(200)).body;
  /** The field error shown beside the field the API named. */
  const besideField = (page: Page, field: string) => page.locator(`[data-field="${field}"]`);

  it('staff create a panel, the API refusing a field shown beside it, and edit its rules', async () => {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, admin, 'en');
    await page.goto('/panels');
    await page.getByRole('link', { name: 'New panel (staff)' }).click();
    await page.getByRole('heading', { name: "New citizens' panel" }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Panel jeunesse');
    await page.getByLabel('Purpose').fill('Advise the council on youth policy.');
    await page.getByLabel('Seats', { exact: true }).fill('2');
    await page.getByLabel('At most one member per household (address)').uncheck();
    await page.getByLabel('Consent text version').fill('v1');
    await page.getByLabel('Consent text shown to volunteers').fill('I agree that my answers are used to draw the panel.');
    await page.getByLabel('Code of criterion 1').fill('gender band');
    await page.getByLabel('Label of criterion 1').fill('Gender');
    const value = (v: number, field: string) => page.getByLabel(`Criterion 1, value ${v}: ${field}`, { exact: true });
    await value(1, 'Code').fill('f');
    await value(1, 'Label').fill('Woman');
    await value(1, 'Fewest seats').fill('1');
    await value(1, 'Most seats').fill('1');
    await value(2, 'Code').fill('m');
    await value(2, 'Label').fill('Man');
    await value(2, 'Fewest seats').fill('2');
    await value(2, 'Most seats').fill('1');
    await value(1, 'Population share (0–1, optional)').fill('0.52');
    await value(2, 'Population share (0–1, optional)').fill('0.48');

    // The code's pattern is the DTO's (400): said beside the code, the field marked invalid.
    await page.getByRole('button', { name: 'Create the panel' }).click();
    await besideField(page, 'features.0.code').waitFor();
    await expect(page.getByLabel('Code of criterion 1').getAttribute('aria-invalid')).resolves.toBe('true');
    await expect(page.getByTestId('panel-edit-error').textContent()).resolves.toBe('1 field(s) to correct: see the messages beside them.');
    await expectAccessible(page, 'panel editor with a field error');

    // The quotas are the service's rules (422): a minimum over its maximum, minimums over the seats.
    await page.getByLabel('Code of criterion 1').fill('gender');
    await page.getByRole('button', { name: 'Create the panel' }).click();
    await besideField(page, 'features.0.values.1.min').waitFor();
    await expect(besideField(page, 'features.0.values.1.min').textContent()).resolves.toMatch(/min/);
    await expect(besideField(page, 'features.0.values').textContent()).resolves.toMatch(/3.*2/);
    await expect(besideField(page, 'features.0.code').count()).resolves.toBe(0);
    await expectAccessible(page, 'panel editor with quota errors');
    await screenshot(page, 'desktop-panel-editor');

    await value(2, 'Fewest seats').fill('1');
    await page.getByRole('button', { name: 'Create the panel' }).click();
    await page.getByRole('heading', { name: 'Pool and draw — Panel jeunesse' }).waitFor();
    panelId = new URL(page.url()).pathname.split('/')[2];
    const created = (await t.http.get(`/api/v1/panels/${panelId}`).expect(200)).body;
    expect(created).toMatchObject({
      name: 'Panel jeunesse',
      size: 2,
      termMonths: 12,
      householdRule: false,
      consentVersion: 'v1',
      features: [
        {
          code: 'gender',
          label: 'Gender',
          values: [
            { code: 'f', label: 'Woman', min: 1, max: 1, populationShare: 0.52 },
            { code: 'm', label: 'Man', min: 1, max: 1, populationShare: 0.48 },
          ],
        },
      ],
    });

    // Editing sends what changed; a new consent text without a new version is refused beside the version.
    await page.getByRole('link', { name: "Edit the panel's rules" }).click();
    await page.getByRole('heading', { name: 'Edit — Panel jeunesse' }).waitFor();
    await page.getByLabel('Term (months)').fill('24');
    await page.getByLabel('Consent text shown to volunteers').fill('I agree that my answers are used to draw and run the panel.');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await besideField(page, 'consentVersion').waitFor();
    await expect(page.getByLabel('Consent text version').getAttribute('aria-invalid')).resolves.toBe('true');
    await page.getByLabel('Consent text version').fill('v2');
    await page.getByRole('button', { name: 'Save the changes' }).click();
    await page.getByText('Changes saved.').waitFor();
    await expectAccessible(page, 'panel editor saved');
    const edited = (await t.http.get(`/api/v1/panels/${panelId}`).expect(200)).body;
    expect(edited).toMatchObject({ termMonths: 24, consentVersion: 'v2', consentText: 'I agree that my answers are used to draw and run the panel.', size: 2 });
    expect(problems).toEqual([]);
    await context.close();
  });

  it('staff import the pool from a CSV file chosen in the app, read the rejected rows, then close the pool and draw', async () => {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, admin, 'en');
    await page.goto(`/panels/${panelId}/draw`);
    await page.getByRole('heading', { name: 'Import invited residents (CSV)' }).waitFor();

    // A file the API cannot read as the panel's columns imports nothing, and says why.
    await page.getByLabel('CSV file').setInputFiles({ name: 'wrong.csv', mimeType: 'text/csv', buffer: Buffer.from('id,gender\np-1,f\n') });
    await page.getByRole('button', { name: 'Import the file' }).click();
    await expect(page.getByTestId('pool-import-error').textContent()).resolves.toMatch(/external_id/);

    await page.getByLabel('CSV file').setInputFiles({ name: 'round-1.csv', mimeType: 'text/csv', buffer: Buffer.from(POOL_CSV) });
    await page.getByRole('button', { name: 'Import the file' }).click();
    const report = page.getByTestId('pool-import-report');
    await report.waitFor();
    await expect(report.locator('p').first().textContent()).resolves.toBe('6 imported, 3 rejected.');
    const rejected = await page.getByTestId('rejected-rows').locator('tbody tr').evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('td'), (td) => (td as { textContent: string | null }).textContent)));
    expect(rejected).toEqual([
      ['8', 'p-m1', 'external_id appears twice in the file'],
      ['9', 'p-x', 'gender: unknown value "x"'],
      ['10', '—', 'external_id is empty'],
    ]);
    await expectAccessible(page, 'pool import report');
    await screenshot(page, 'desktop-panel-pool-import');

    await page.getByRole('button', { name: 'Close the pool and publish its hash' }).click();
    await page.getByTestId('pool-hash').waitFor();
    await page.getByRole('button', { name: 'Compute the selection probabilities' }).click();
    await page.getByTestId('fairness').waitFor();
    // Only the six good rows are in the pool (the wrong file added nobody).
    await expect(page.getByTestId('fairness').locator('tbody tr').count()).resolves.toBe(6);
    await page.getByLabel('Seed', { exact: true }).fill('2-2-6-5');
    await page.getByRole('button', { name: 'Draw', exact: true }).click();
    await page.getByTestId('members').waitFor();
    await expect(page.getByTestId('members').locator('tbody tr').count()).resolves.toBe(2);

    // Both drawn people came from the imported round: their letters' codes, to print.
    await page.getByRole('button', { name: 'Show the codes to print' }).click();
    await page.getByTestId('invitation-letters').waitFor();
    const shown = await page.getByTestId('invitation-letters').locator('tbody tr').evaluateAll((rows) => rows.map((row) => [row.children[0].textContent, row.children[1].textContent]));
    expect(shown).toEqual((await letters()).map((l) => [l.externalId, l.code]));
    expect(shown).toHaveLength(2);
    await page.getByText('The term starts once every seat is confirmed.').waitFor();
    await expectAccessible(page, 'drawn, letters');
    expect(problems).toEqual([]);
    await context.close();
  });

  it("drawn residents take their seat with their letter's code, one confirms and one declines before the deadline; the decline is replaced", async () => {
    const byGender = new Map((await members()).map((m) => [m.features.gender, m]));
    const codes = new Map((await letters()).map((l) => [l.externalId, l.code]));
    const woman = await createSession(t.http);
    const man = await createSession(t.http);

    const { context, problems } = await openContext(browser, t.url!, PHONE, 'fr-FR');
    const page = await context.newPage();
    await signIn(page, woman, 'fr');
    await page.goto(`/panels/${panelId}`);
    await page.getByRole('heading', { name: 'Vous avez reçu une lettre d’invitation ?' }).waitFor();
    await page.getByLabel('Code d’invitation').fill('AAAA-BBBB-CCCC');
    await page.getByRole('button', { name: 'Utiliser ce code' }).click();
    await expect(page.locator('#invitation-code-error').textContent()).resolves.toBe('Ce code n’est pas valable : inconnu, déjà utilisé, ou son délai est passé.');
    await expect(page.getByLabel('Code d’invitation').getAttribute('aria-invalid')).resolves.toBe('true');
    await expectAccessible(page, 'invitation code refused');

    await page.getByLabel('Code d’invitation').fill(codes.get(byGender.get('f')!.selectionId)!.toLowerCase());
    await page.getByRole('button', { name: 'Utiliser ce code' }).click();
    const seat = page.getByTestId('my-seat');
    await seat.waitFor();
    await expect(page.getByTestId('seat-status').textContent()).resolves.toBe('Invité, pas encore de réponse');
    const deadline = new Date(byGender.get('f')!.respondBy).toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' });
    await expect(page.getByTestId('seat-invitation').textContent()).resolves.toContain(`avant le ${deadline}`);
    await expectAccessible(page, 'seat invitation');
    await screenshot(page, 'phone-panel-seat');
    await page.getByRole('button', { name: 'Je confirme mon siège' }).click();
    await page.getByText('Merci ! Votre siège est confirmé', { exact: false }).waitFor();
    await expect(page.getByTestId('seat-status').textContent()).resolves.toBe('A confirmé');
    await page.reload();
    await expect(page.getByTestId('seat-status').textContent()).resolves.toBe('A confirmé');

    // The other drawn person declines: the worker draws a man in their place, still within the quotas.
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await signIn(page, man, 'fr');
    await page.goto(`/panels/${panelId}`);
    await page.getByLabel('Code d’invitation').fill(codes.get(byGender.get('m')!.selectionId)!);
    await page.getByRole('button', { name: 'Utiliser ce code' }).click();
    await page.getByRole('button', { name: 'Je décline' }).click();
    await page.getByText('Vous avez décliné ce siège', { exact: false }).waitFor();
    await expect(page.getByTestId('seat-status').textContent()).resolves.toBe('A décliné');
    await expectAccessible(page, 'seat declined');
    const replacement = await eventually(async () => (await members()).find((m) => m.status === 'selected' && m.features.gender === 'm'), 'the replacement draw');
    expect(replacement.selectionId).not.toBe(byGender.get('m')!.selectionId);

    // The replacement confirms with the code of their own letter: every seat confirmed, the term starts.
    const third = await createSession(t.http);
    const code = (await letters()).find((l) => l.externalId === replacement.selectionId)!.code;
    await third.auth(t.http.post(`/api/v1/panels/${panelId}/invitations/redeem`)).send({ code }).expect(200);
    await third.auth(t.http.post(`/api/v1/panels/${panelId}/members/me/confirm`)).expect(200);
    // The seated are told the term begins; the notification opens the panel's page, where the seat is.
    await eventually(async () => {
      const inbox = await woman.auth(t.http.get('/api/v1/me/notifications')).expect(200);
      return inbox.body.items.some((n: { type: string }) => n.type === 'panels.member_term_started');
    }, 'the term-started notification');
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await signIn(page, woman, 'fr');
    await page.goto('/notifications');
    await page.getByText('Votre mandat au panel « Panel jeunesse » commence').click();
    await page.getByRole('heading', { name: 'Panel jeunesse' }).waitFor();
    await expect(page.getByTestId('seat-status').textContent()).resolves.toBe('Actif');
    await page.getByText('Vous siégez au panel jusqu’au', { exact: false }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });

  it('staff read the response rates by value, and rotate half the seats with a new seed once the term has ended', async () => {
    const { context, problems } = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const page = await context.newPage();
    await signIn(page, admin, 'en');
    await page.goto(`/panels/${panelId}/draw`);
    const rates = page.getByTestId('response-rates');
    await rates.waitFor();
    const cells = (locator: ReturnType<Page['locator']>) => locator.evaluateAll((rows) => rows.map((row) => Array.from(row.querySelectorAll('th, td'), (cell) => (cell as { textContent: string | null }).textContent)));
    expect(await cells(rates.locator('tbody tr'))).toEqual([
      ['Gender', 'Woman', '1', '1', '0', '0', '0', '100.0%'],
      ['Gender', 'Man', '2', '1', '1', '0', '0', '50.0%'],
    ]);
    expect(await cells(rates.locator('tfoot tr'))).toEqual([['All', '3', '2', '1', '0', '0', '66.7%']]);
    await expect(page.getByTestId('term-dates').textContent()).resolves.toMatch(/^Term 1: from /);
    await page.getByText('At the end of the term, 50.0% of the seats will be redrawn.').waitFor();
    await expectAccessible(page, 'response rates');
    await screenshot(page, 'desktop-panel-term');

    // The term's end (its job promoted, as its date arriving does): the rotation falls due.
    const termEnd = await eventually(() => queue.getJob(termEndJobId(panelId, 1)), 'the term-end job');
    await termEnd.promote();
    await eventually(async () => (await t.http.get(`/api/v1/panels/${panelId}`).expect(200)).body.rotationDue, 'the rotation to fall due');
    await page.reload();
    await page.getByRole('heading', { name: 'Rotation', exact: true }).waitFor();
    await page.getByLabel('New seed').fill('6-5-4-1');
    await page.getByRole('button', { name: 'Rotate', exact: true }).click();
    await expect(page.getByTestId('rotation-outcome').textContent()).resolves.toBe('Rotation done: 1 new member(s) drawn and invited.');
    await page.getByTestId('term-dates').filter({ hasText: /^Term 2: from / }).waitFor();
    const statuses = page.getByTestId('members').locator('tbody tr td:nth-child(2)');
    await statuses.filter({ hasText: 'Rotated out' }).waitFor();
    expect((await statuses.allTextContents()).sort()).toEqual(['Active', 'Declined', 'Invited, no answer yet', 'Rotated out'].sort());
    const after = await members();
    expect(after.filter((m) => m.status === 'rotated_out')).toHaveLength(1);
    const seated = after.filter((m) => ['selected', 'confirmed', 'active'].includes(m.status));
    expect(seated.map((m) => m.features.gender).sort()).toEqual(['f', 'm']);
    await expectAccessible(page, 'rotated');
    expect(problems).toEqual([]);
    await context.close();
  });
});

import { TestApp } from '../utils/create-test-app';
import { platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { isolatedEnv, IsolatedEnv } from '../notifications/notification-fixtures';
import { createSurvey, residentOf } from '../surveys/survey-fixtures';
import { Browser, DESKTOP, expectAccessible, openContext, Page, PHONE, screenshot, startWebApp, WebApp } from './browser';

/**
 * Surveys in Chromium against the real API: a resident reads whether the survey is anonymous,
 * answers part of it, saves, comes back to it, is told which required question is missing,
 * submits; the staff open the results with their charts. axe-core checks each page.
 */
jest.setTimeout(180_000);

describe('Web app: surveys (Chromium)', () => {
  let env: IsolatedEnv;
  let web: WebApp;
  let t: TestApp;
  let browser: Browser;
  let town: TestMunicipality;
  let staff: Session;
  let resident: Session;

  beforeAll(async () => {
    env = await isolatedEnv('web_surveys', { MAP_TILE_URL: 'none' });
    ({ t, browser } = web = await startWebApp(env.env));
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Surveyville' });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    resident = await residentOf(t.http, town, staff);
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

  it('answers a survey in two sittings, then shows the staff its results with charts', async () => {
    const survey = await createSurvey(t.http, staff, town.slug, { title: 'Cycling in Surveyville' });
    const phoneContext = await openContext(browser, t.url!, PHONE, 'en-US');
    const phone = await phoneContext.context.newPage();
    await signIn(phone, resident);

    await phone.goto(`/surveys/${survey.id}`);
    await phone.getByRole('heading', { name: 'Cycling in Surveyville' }).waitFor();
    expect(await phone.getByTestId('anonymity').textContent()).toContain('not anonymous');
    // Q3 is shown only once Q2 = "yes".
    expect(await phone.getByTestId('question-q3').count()).toBe(0);
    await phone.getByTestId('question-q1').getByLabel('Often').check();
    await phone.getByTestId('question-q2').getByLabel('Yes').check();
    await phone.getByTestId('question-q3').getByLabel('Rue de la Gare').check();
    await expectAccessible(phone, 'survey form');
    await screenshot(phone, 'phone-survey');
    await phone.getByRole('button', { name: 'Save and continue later' }).click();
    await phone.getByTestId('survey-status').getByText('Saved').waitFor();

    // Come back later: the saved answers are there.
    await phone.reload();
    await phone.getByRole('heading', { name: 'Cycling in Surveyville' }).waitFor();
    expect(await phone.getByTestId('question-q1').getByLabel('Often').isChecked()).toBe(true);
    expect(await phone.getByTestId('question-q3').getByLabel('Rue de la Gare').isChecked()).toBe(true);

    // Submitting without the required scale: the API's 422 is shown beside that question.
    await phone.getByRole('button', { name: 'Submit my answers' }).click();
    await phone.getByTestId('question-q4').getByRole('alert').waitFor();
    expect(await phone.getByTestId('question-q4').getByRole('alert').textContent()).toContain('q4');
    await phone.getByTestId('question-q4').getByLabel('7', { exact: true }).check();
    await phone.getByRole('button', { name: 'Move Bikes up' }).click();
    await phone.getByTestId('question-q6').getByRole('textbox').fill('More lanes please');
    await phone.getByRole('button', { name: 'Submit my answers' }).click();
    await phone.getByTestId('survey-status').getByText('Thank you').waitFor();
    expect(phoneContext.problems).toEqual([]);

    const deskContext = await openContext(browser, t.url!, DESKTOP, 'en-US');
    const desk = await deskContext.context.newPage();
    await signIn(desk, staff);
    await desk.goto(`/surveys/${survey.id}/results`);
    await desk.getByRole('heading', { name: 'Survey results' }).waitFor();
    expect(await desk.getByTestId('responses').textContent()).toBe('1 responses');
    expect(await desk.getByTestId('mean-q4').textContent()).toBe('Mean: 7.00');
    expect(await desk.getByTestId('result-q2').locator('meter').count()).toBe(2);
    expect(await desk.getByTestId('result-q2').getByRole('meter', { name: 'Yes: 100 %' }).count()).toBe(1);
    expect(await desk.getByTestId('borda-q5').locator('li').first().textContent()).toBe('Bikes: 2 points');
    expect(await desk.getByTestId('result-q6').textContent()).toContain('More lanes please');
    await expectAccessible(desk, 'survey results');
    await screenshot(desk, 'desktop-survey-results');
    const download = desk.waitForEvent('download');
    await desk.getByRole('button', { name: 'Download the responses (CSV)' }).click();
    expect((await download).suggestedFilename()).toBe(`survey-${survey.id}.csv`);
    expect(deskContext.problems).toEqual([]);

    // Not public: a resident reading the results is told so.
    await phone.goto(`/surveys/${survey.id}/results`);
    await phone.getByRole('alert').waitFor();
    await deskContext.context.close();
    await phoneContext.context.close();
  });
});

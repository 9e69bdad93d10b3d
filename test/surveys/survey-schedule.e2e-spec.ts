import { randomUUID } from 'node:crypto';
import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES, SurveyScheduleJobData } from '@app/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { surveyJobId } from '../../apps/worker/src/surveys/survey-schedule.consumer';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createPanel, smallPanelBody, volunteer } from '../factories/panel.factory';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { LiveClient } from '../realtime/live-client';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { createSurvey, fullAnswers, residentOf } from './survey-fixtures';

jest.setTimeout(120_000);
const DAY = 86_400_000;

interface InboxItem {
  type: string;
  subjectId: string;
  title: string;
}

/**
 * A survey's reminder and close on their dates (delayed jobs the worker schedules from the
 * survey's event; time moved by promoting them), and its live response count on `survey:{id}`,
 * with the real API, worker, SMTP capture and real socket.io clients, in a database of its own.
 */
describe('surveys: reminders, close on the date, live count', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let queue: Queue<SurveyScheduleJobData>;
  const smtp = new SmtpCapture();
  let town: TestMunicipality;
  let staff: Session;
  let otherStaff: Session;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    env = await isolatedEnv('surveys_schedule', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100', NOTIFICATION_SWEEP_MS: '1000' });
    t = await createTestApp({ env: env.env, listen: true });
    worker = await startTestWorker({ env: env.env });
    queue = worker.app.get(getQueueToken(QUEUES.surveySchedule));
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: `Surveyville ${randomUUID().slice(0, 6)}` });
    const other = await createMunicipality(t.http, admin.accessToken);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    otherStaff = await memberSession(t.http, admin.accessToken, other.slug, ['staff']);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const inbox = async (s: Session): Promise<InboxItem[]> => (await s.auth(t.http.get('/api/v1/me/notifications?limit=100')).expect(200)).body.items;

  it('counts responses live for the staff only, reminds those who have not submitted, and closes on the date', async () => {
    const [done, started, silent] = [await residentOf(t.http, town, staff), await residentOf(t.http, town, staff), await residentOf(t.http, town, staff)];
    const closesAt = new Date(Date.now() + 3 * DAY);
    const survey = await createSurvey(t.http, staff, town.slug, { anonymous: true, closesAt: closesAt.toISOString(), reminderDaysBefore: 1 });
    const url = `/api/v1/surveys/${survey.id}/response`;

    const live = await LiveClient.connect(t.url!, staff.accessToken);
    clients.push(live);
    await live.mustSubscribe(`survey:${survey.id}`);
    const anonymous = await LiveClient.connect(t.url!);
    const stranger = await LiveClient.connect(t.url!, otherStaff.accessToken);
    const resident = await LiveClient.connect(t.url!, silent.accessToken);
    clients.push(anonymous, stranger, resident);
    for (const c of [anonymous, stranger, resident]) {
      expect(await c.request('subscribe', { topic: `survey:${survey.id}` })).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    }
    expect(await live.request('subscribe', { topic: 'survey:00000000-0000-4000-8000-000000000000' })).toMatchObject({ ok: false, error: { code: 'SURVEY_NOT_FOUND' } });

    await started.auth(t.http.put(url)).send({ answers: { q1: 'never' } }).expect(200);
    await done.auth(t.http.put(url)).send({ answers: fullAnswers(), submit: true }).expect(200);
    const counted = await live.waitForEvent((e) => e.type === 'surveys.response_submitted');
    expect(counted.data).toEqual({ surveyId: survey.id, state: 'open', responses: 1 });

    // The reminder waits for closesAt − 1 day; moving time = promoting it.
    const remindAt = new Date(closesAt.getTime() - DAY);
    const reminder = await eventually(() => queue.getJob(surveyJobId(survey.id, 'remind', remindAt)), 'the reminder job');
    expect(reminder.delay).toBeGreaterThan(2 * DAY - 120_000);
    expect(await reminder.isDelayed()).toBe(true);
    const closeJob = await eventually(() => queue.getJob(surveyJobId(survey.id, 'close', closesAt)), 'the close job');
    expect(await closeJob.isDelayed()).toBe(true);
    await reminder.promote();

    const reminded = await eventually(async () => (await inbox(silent)).find((n) => n.type === 'survey.reminder' && n.subjectId === survey.id), 'the silent resident’s reminder');
    expect(reminded.title).toContain('Cycling in town');
    await eventually(async () => (await inbox(started)).find((n) => n.type === 'survey.reminder'), 'the reminder of who only started');
    // Both were told by the same fan-out: whoever submitted was left out of it.
    expect((await inbox(done)).filter((n) => n.type === 'survey.reminder')).toEqual([]);
    expect((await inbox(staff)).filter((n) => n.type === 'survey.reminder')).toEqual([]);

    // The close date comes: answers refused, anonymous responses released, the count published.
    await closeJob.promote();
    const closed = await live.waitForEvent((e) => e.type === 'surveys.closed');
    expect(closed.data).toEqual({ surveyId: survey.id, state: 'closed', responses: 1 });
    expect((await t.http.get(`/api/v1/surveys/${survey.id}`).expect(200)).body.state).toBe('closed');
    await started.auth(t.http.put(url)).send({ answers: fullAnswers(), submit: true }).expect(409);
    const db = t.app.get(DataSource);
    expect((await db.query(`SELECT count(*)::int AS n FROM survey_anonymous_responses WHERE survey_id = $1`, [survey.id]))[0].n).toBe(1);
  });

  it('reminds the active members of a panel survey who have not submitted, and nobody else', async () => {
    const admin = await memberSession(t.http, (await platformAdminSession(t.http)).accessToken, town.slug, ['admin']);
    const panelId = (await createPanel(t.http, admin, town.slug, smallPanelBody())).id;
    const members: Session[] = [];
    for (const features of [{ gender: 'f', age: 'young' }, { gender: 'f', age: 'old' }, { gender: 'm', age: 'young' }, { gender: 'm', age: 'old' }]) {
      members.push((await volunteer(t.http, town.slug, admin, panelId, features)).session);
    }
    await admin.auth(t.http.post(`/api/v1/panels/${panelId}/pool/close`)).expect(200);
    await admin.auth(t.http.post(`/api/v1/panels/${panelId}/selections`)).send({ seed: 'reminders' }).expect(201);
    for (const m of members) await m.auth(t.http.post(`/api/v1/panels/${panelId}/members/me/confirm`)).expect(200);
    const resident = await residentOf(t.http, town, staff);
    const closesAt = new Date(Date.now() + 3 * DAY);
    const survey = await createSurvey(t.http, staff, town.slug, { title: 'Panel consultation', audience: { kind: 'panel', panelId }, closesAt: closesAt.toISOString(), reminderDaysBefore: 1 });
    await members[0].auth(t.http.put(`/api/v1/surveys/${survey.id}/response`)).send({ answers: fullAnswers(), submit: true }).expect(200);
    const reminder = await eventually(() => queue.getJob(surveyJobId(survey.id, 'remind', new Date(closesAt.getTime() - DAY))), 'the reminder job');
    await reminder.promote();
    for (const m of members.slice(1)) await eventually(async () => (await inbox(m)).find((n) => n.type === 'survey.reminder' && n.subjectId === survey.id), 'a member’s reminder');
    expect((await inbox(members[0])).filter((n) => n.subjectId === survey.id)).toEqual([]);
    expect((await inbox(resident)).filter((n) => n.subjectId === survey.id)).toEqual([]);
  });

  it('sends no reminder once the survey has closed early', async () => {
    const silent = await residentOf(t.http, town, staff);
    const closesAt = new Date(Date.now() + 3 * DAY);
    const survey = await createSurvey(t.http, staff, town.slug, { closesAt: closesAt.toISOString(), reminderDaysBefore: 2, title: 'Early close' });
    const reminder = await eventually(() => queue.getJob(surveyJobId(survey.id, 'remind', new Date(closesAt.getTime() - 2 * DAY))), 'the reminder job');
    await staff.auth(t.http.post(`/api/v1/surveys/${survey.id}/close`)).expect(200);
    await reminder.promote();
    await eventually(async () => (await queue.getJob(reminder.id!))?.isCompleted(), 'the reminder job to run');
    expect((await queue.getJob(reminder.id!))!.returnvalue).toBe('skipped');
    expect((await inbox(silent)).filter((n) => n.subjectId === survey.id)).toEqual([]);
    const anyone = await createSession(t.http);
    expect((await inbox(anyone)).length).toBe(0);
  });
});

import { getQueueToken } from '@nestjs/bullmq';
import { ProposalDeadlineJobData, QUEUES } from '@app/common';
import { Job, Queue } from 'bullmq';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, Session } from '../utils/sessions';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { makeResident, ProposalTown, proposalTown, published } from './proposal-fixtures';

/**
 * Expiry and the answer deadline, moved by delayed jobs the worker schedules from proposal
 * events, with no request. In a database and queue prefix of its own, so no other suite's worker
 * acts on ours. Time is moved by promoting the delayed job (what its date arriving does).
 */
const DAY = 86_400_000;

jest.setTimeout(180_000);

describe('proposals: expiry and answer deadline on their dates', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let queue: Queue<ProposalDeadlineJobData>;
  let p: ProposalTown;
  let author: Session;
  let supporter: Session;

  beforeAll(async () => {
    env = await isolatedEnv('proposal_deadlines');
    t = await createTestApp({ env: env.env });
    worker = await startTestWorker({ env: env.env });
    queue = worker.app.get(getQueueToken(QUEUES.proposalDeadlines));
    p = await proposalTown(t.http, { supportThreshold: 1, supportPeriodDays: 10, answerDeadlineDays: 5 });
    author = await createSession(t.http);
    supporter = await createSession(t.http);
    await makeResident(t.http, p, supporter);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await env?.teardown();
  });

  const statusOf = async (id: string) => (await t.http.get(`/api/v1/proposals/${id}`).expect(200)).body.status as string;
  const jobsOf = async (id: string, kind: ProposalDeadlineJobData['kind']): Promise<Job<ProposalDeadlineJobData>[]> =>
    (await queue.getJobs(['delayed', 'waiting', 'active', 'completed'])).filter((j) => j?.data.proposalId === id && j.data.kind === kind);

  it('expires a proposal at the end of its support period, with no request', async () => {
    const id = await published(t.http, p, author);
    const [job] = await eventually(async () => ((await jobsOf(id, 'expiry')).length ? jobsOf(id, 'expiry') : null), 'the expiry job');
    expect(await job.isDelayed()).toBe(true);
    expect(job.delay).toBeGreaterThan(10 * DAY - 120_000);
    expect(await statusOf(id)).toBe('published');
    await job.promote();
    await eventually(async () => (await statusOf(id)) === 'expired', 'expired');
    const late = await supporter.auth(t.http.post(`/api/v1/proposals/${id}/support`)).expect(409);
    expect(late.body).toMatchObject({ code: 'PROPOSAL_NOT_SUPPORTABLE', meta: { status: 'expired' } });
  });

  it('does not expire a proposal that reached its threshold; its answer deadline flags it overdue for staff', async () => {
    const id = await published(t.http, p, author);
    const [expiry] = await eventually(async () => ((await jobsOf(id, 'expiry')).length ? jobsOf(id, 'expiry') : null), 'the expiry job');
    await supporter.auth(t.http.post(`/api/v1/proposals/${id}/support`)).expect(200);
    const [due] = await eventually(async () => ((await jobsOf(id, 'answer_due')).length ? jobsOf(id, 'answer_due') : null), 'the answer-due job');
    // Five working days: the closing time of the fifth working day after today (the town is in
    // Europe/Paris). That day is at least five dates ahead, so more than four days away whatever
    // the hour now; from a weekday the five cross a weekend, so at least seven dates ahead (more
    // than six days), where calendar days would give five; and it is never on a weekend.
    const weekday = (at: number) => new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short' }).format(at);
    expect(due.delay).toBeGreaterThan(4 * DAY);
    if (!['Sat', 'Sun'].includes(weekday(Date.now()))) expect(due.delay).toBeGreaterThan(6 * DAY);
    expect(['Sat', 'Sun']).not.toContain(weekday(due.timestamp + due.delay));
    await expiry.promote();
    await eventually(async () => (await expiry.getState()) === 'completed', 'the expiry job to run');
    expect((await queue.getJob(expiry.id!))!.returnvalue).toBe('moved_on');
    expect(await statusOf(id)).toBe('threshold_reached');

    const queueBefore = await p.staff.auth(t.http.get(`/api/v1/municipalities/${p.town.slug}/proposals/overdue-answers`)).expect(200);
    expect(queueBefore.body.items.map((x: { id: string }) => x.id)).not.toContain(id);
    await due.promote();
    const overdue = await eventually(async () => {
      const res = await p.staff.auth(t.http.get(`/api/v1/municipalities/${p.town.slug}/proposals/overdue-answers`)).expect(200);
      return res.body.items.find((x: { id: string }) => x.id === id);
    }, 'the overdue queue');
    expect(overdue).toMatchObject({ id, status: 'threshold_reached' });
    await supporter.auth(t.http.get(`/api/v1/municipalities/${p.town.slug}/proposals/overdue-answers`)).expect(403);
  });
});

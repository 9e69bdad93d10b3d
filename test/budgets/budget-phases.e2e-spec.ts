import { getQueueToken } from '@nestjs/bullmq';
import { BudgetPhaseJobData, QUEUES } from '@app/common';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { budgetPhaseJobId } from '../../apps/worker/src/budgets/budget-phases.consumer';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { LiveClient } from '../realtime/live-client';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { SmtpCapture } from '../utils/smtp-capture';

/**
 * Phases moved on their dates by delayed jobs the worker schedules from budget events, with no
 * request. In a database and queue prefix of its own, so no other suite's worker moves ours.
 * Time is moved by promoting the delayed job (what its date arriving does).
 */
/** The suite's own SMTP capture (its database and queue prefix come from isolatedEnv). */
const smtp = new SmtpCapture();
const DAY = 86_400_000;

jest.setTimeout(120_000);

describe('budgets: phases on their dates', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let queue: Queue<BudgetPhaseJobData>;
  let town: TestMunicipality;
  let townAdmin: Session;
  let staff: Session;
  let resident: Session;

  beforeAll(async () => {
    env = await isolatedEnv('budget_phases', { SMTP_URL: await smtp.start() });
    t = await createTestApp({ env: env.env, listen: true });
    worker = await startTestWorker({ env: env.env });
    queue = worker.app.get(getQueueToken(QUEUES.budgetPhases));
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken);
    townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    resident = await createSession(t.http);
    await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${resident.user.id}`)).send({}).expect(201);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const phaseOf = async (id: string) => (await t.http.get(`/api/v1/budgets/${id}`).expect(200)).body.phase as string;

  it('moves proposing → reviewing → voting → finished (tallied) on the dates, with no request', async () => {
    const now = Date.now();
    const created = await townAdmin
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
      .send({
        title: { fr: 'BP', en: 'PB' },
        description: { fr: 'd', en: 'd' },
        amount: 50_000,
        currency: 'EUR',
        ballotRule: { kind: 'knapsack', minSharePercent: 50 },
        outcomeRule: 'greedy',
        proposingEndsAt: new Date(now + 4_000).toISOString(),
        reviewingEndsAt: new Date(now + DAY).toISOString(),
        votingEndsAt: new Date(now + 2 * DAY).toISOString(),
      })
      .expect(201);
    const id = created.body.id as string;
    const project = await resident.auth(t.http.post(`/api/v1/budgets/${id}/projects`)).send({ title: 'Arbres', description: 'Plantons', cost: 30_000 }).expect(201);
    await staff.auth(t.http.post(`/api/v1/budgets/${id}/projects/${project.body.id}/review`)).send({ status: 'on_ballot' }).expect(200);

    // The proposing end is 4 s away: a job waits for it, and the phase moves when it comes.
    const first = await eventually(() => queue.getJob(budgetPhaseJobId(id, 'proposing', created.body.proposingEndsAt)), 'the proposing job');
    expect(first.data).toMatchObject({ budgetId: id, from: 'proposing' });
    expect(await phaseOf(id)).toBe('proposing');
    await eventually(async () => (await phaseOf(id)) === 'reviewing', 'reviewing');

    // The reviewing end is a day away: the job is scheduled for then; moving time = promoting it.
    const reviewing = await eventually(() => queue.getJob(budgetPhaseJobId(id, 'reviewing', created.body.reviewingEndsAt)), 'the reviewing job');
    expect(reviewing.delay).toBeGreaterThan(DAY - 120_000);
    expect(await reviewing.isDelayed()).toBe(true);
    await reviewing.promote();
    await eventually(async () => (await phaseOf(id)) === 'voting', 'voting');

    // Live turnout for everyone, with a real socket.io client; no tally, no voter in it.
    const live = await LiveClient.connect(t.url!);
    try {
      await live.mustSubscribe(`budget:${id}`);
      const refused = await live.request('subscribe', { topic: 'budget:00000000-0000-4000-8000-000000000000' });
      expect(refused).toMatchObject({ ok: false, error: { code: 'BUDGET_NOT_FOUND' } });
      await resident.auth(t.http.put(`/api/v1/budgets/${id}/ballot`)).send({ projects: [project.body.id] }).expect(204);
      await resident.auth(t.http.post(`/api/v1/budgets/${id}/ballot/submit`)).expect(201);
      const cast = await live.waitForEvent((e) => e.type === 'budgets.ballot_cast');
      expect(cast.data).toEqual({ budgetId: id, phase: 'voting', turnout: { ballots: 1, online: 1, paper: 0, byDistrict: [{ districtId: null, ballots: 1 }] } });
    } finally {
      live.close();
    }

    const voting = await eventually(() => queue.getJob(budgetPhaseJobId(id, 'voting', created.body.votingEndsAt)), 'the voting job');
    await voting.promote();
    await eventually(async () => (await phaseOf(id)) === 'finished', 'finished');
    const results = await t.http.get(`/api/v1/budgets/${id}/results`).expect(200);
    expect(results.body.result).toMatchObject({ rule: 'greedy', ballots: 1, selected: [project.body.id] });
  });

  it('leaves a budget its admin moved early alone when the old date comes', async () => {
    const now = Date.now();
    const created = await townAdmin
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
      .send({
        title: { fr: 'BP2', en: 'PB2' },
        description: { fr: 'd', en: 'd' },
        amount: 10_000,
        currency: 'EUR',
        ballotRule: { kind: 'approval', maxProjects: 1 },
        outcomeRule: 'equal-shares',
        proposingEndsAt: new Date(now + DAY).toISOString(),
        reviewingEndsAt: new Date(now + 2 * DAY).toISOString(),
        votingEndsAt: new Date(now + 3 * DAY).toISOString(),
      })
      .expect(201);
    const id = created.body.id as string;
    const proposingJob = await eventually(() => queue.getJob(budgetPhaseJobId(id, 'proposing', created.body.proposingEndsAt)), 'the proposing job');
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
    await eventually(() => queue.getJob(budgetPhaseJobId(id, 'reviewing', created.body.reviewingEndsAt)), 'the reviewing job');
    await proposingJob.promote();
    const stale = await eventually(async () => {
      const job = await queue.getJob(proposingJob.id!);
      return (await job?.isCompleted()) ? job : null;
    }, 'the stale job to run');
    expect(stale!.returnvalue).toBe('reviewing');
    expect(await phaseOf(id)).toBe('reviewing');
    // The stale job moved nothing: the only recorded move is the admin's.
    const moves: Array<{ before: { phase: string }; after: { phase: string; by: string } }> = await t.app
      .get(DataSource)
      .query(`SELECT before, after FROM audit_log WHERE action = 'budget.phase_changed' AND target_id = $1 ORDER BY id`, [id]);
    expect(moves.map((m) => `${m.before.phase}->${m.after.phase} by ${m.after.by}`)).toEqual(['proposing->reviewing by admin']);
  });

  it('moves a phase on its new date when the admin changes it; the job for the old date does nothing', async () => {
    const now = Date.now();
    const created = await townAdmin
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
      .send({
        title: { fr: 'BP3', en: 'PB3' },
        description: { fr: 'd', en: 'd' },
        amount: 10_000,
        currency: 'EUR',
        ballotRule: { kind: 'approval', maxProjects: 1 },
        outcomeRule: 'greedy',
        proposingEndsAt: new Date(now + DAY).toISOString(),
        reviewingEndsAt: new Date(now + 2 * DAY).toISOString(),
        votingEndsAt: new Date(now + 3 * DAY).toISOString(),
      })
      .expect(201);
    const id = created.body.id as string;
    const oldJob = await eventually(() => queue.getJob(budgetPhaseJobId(id, 'proposing', created.body.proposingEndsAt)), 'the job for the first date');
    const later = new Date(now + 1.5 * DAY).toISOString();
    const patched = await townAdmin.auth(t.http.patch(`/api/v1/budgets/${id}`)).send({ proposingEndsAt: later }).expect(200);
    expect(patched.body.proposingEndsAt).toBe(later);
    const newJob = await eventually(() => queue.getJob(budgetPhaseJobId(id, 'proposing', later)), 'the job for the new date');
    expect(newJob.delay).toBeGreaterThan(1.5 * DAY - 120_000);

    // The old date comes: its job runs and leaves the budget where it is.
    await oldJob.promote();
    await eventually(async () => (await queue.getJob(oldJob.id!))?.isCompleted(), 'the stale job to run');
    expect(await phaseOf(id)).toBe('proposing');
    // The new date comes: the budget moves.
    await newJob.promote();
    await eventually(async () => (await phaseOf(id)) === 'reviewing', 'reviewing');
    const audit = await t.app.get(DataSource).query(`SELECT after FROM audit_log WHERE action = 'budget.updated' AND target_id = $1`, [id]);
    expect(audit).toEqual([{ after: { proposingEndsAt: later } }]);
  });

  it('tells a project’s author of its review and the budget’s followers that voting opened and results are out', async () => {
    const now = Date.now();
    const created = await townAdmin
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/budgets`))
      .send({
        title: { fr: 'Budget des quartiers', en: 'Neighbourhood budget' },
        description: { fr: 'd', en: 'd' },
        amount: 10_000,
        currency: 'EUR',
        ballotRule: { kind: 'approval', maxProjects: 1 },
        outcomeRule: 'greedy',
        proposingEndsAt: new Date(now + DAY).toISOString(),
        reviewingEndsAt: new Date(now + 2 * DAY).toISOString(),
        votingEndsAt: new Date(now + 3 * DAY).toISOString(),
      })
      .expect(201);
    const id = created.body.id as string;
    const follower = await createSession(t.http);
    await follower.auth(t.http.put(`/api/v1/budgets/${id}/follow`)).expect(204);
    await resident.auth(t.http.put(`/api/v1/budgets/${id}/follow`)).expect(204);
    const project = await resident.auth(t.http.post(`/api/v1/budgets/${id}/projects`)).send({ title: 'Un jardin', description: 'Partagé', cost: 5_000 }).expect(201);
    await staff.auth(t.http.post(`/api/v1/budgets/${id}/projects/${project.body.id}/review`)).send({ status: 'unfeasible', reason: 'Terrain privé' }).expect(200);
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);
    await townAdmin.auth(t.http.post(`/api/v1/budgets/${id}/advance`)).expect(200);

    type Item = { type: string; title: string; body: string; subjectType: string; subjectId: string };
    const inbox = async (s: Session, n: number) =>
      eventually(async () => {
        const res = await s.auth(t.http.get('/api/v1/me/notifications')).set('Accept-Language', 'fr').expect(200);
        const items = (res.body.items as Item[]).filter((i) => i.type.startsWith('budget.'));
        return items.length >= n ? items : null;
      }, `${n} budget notification(s)`);
    const [reviewed] = await inbox(resident, 1);
    expect(reviewed).toMatchObject({ type: 'budget.project_reviewed', subjectType: 'budget_project', subjectId: project.body.id });
    expect(reviewed.body).toContain('Terrain privé');
    const told = await inbox(follower, 2);
    expect(told.map((i) => i.type).sort()).toEqual(['budget.results_published', 'budget.voting_opened']);
    expect(told.find((i) => i.type === 'budget.voting_opened')!.title).toBe('Le vote est ouvert : Budget des quartiers');

    // Residents who may vote hear it by announcement (once each: not also as a follower).
    const announced = await eventually(async () => {
      const res = await resident.auth(t.http.get('/api/v1/me/notifications')).set('Accept-Language', 'fr').expect(200);
      const items = (res.body.items as Item[]).filter((i) => i.type === 'announcement.published' && i.title.includes('Budget des quartiers'));
      return items.length >= 2 ? items : null;
    }, 'the two announcements');
    expect(announced.map((i) => i.title).sort()).toEqual(['Le vote est ouvert : Budget des quartiers', 'Résultats : Budget des quartiers']);
    // The follower's notices came from the same events, so the resident's rule run is over too.
    const mine = await resident.auth(t.http.get('/api/v1/me/notifications')).expect(200);
    expect((mine.body.items as Item[]).filter((i) => i.type === 'budget.voting_opened' || i.type === 'budget.results_published')).toEqual([]);
  });
});

import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES, REPORT_MAINTENANCE_JOBS, SlaWarningJobData } from '@app/common';
import { slaJobId, SlaWarningsService } from '@app/reports';
import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { DomainEvent } from '@app/common';
import { ReportDeadlinesConsumer } from '../../apps/worker/src/reports/report-deadlines.consumer';
import { WorkingCalendar, WeeklyHours } from '../../libs/reports/src/service-levels/working-calendar';
import { AUTO_CLOSE_EVERY_MS, AUTO_CLOSE_SCHEDULER_ID } from '../../apps/worker/src/reports/report-maintenance.processor';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { SmtpCapture } from '../utils/smtp-capture';

/**
 * Service levels end to end: deadlines on the municipality's calendar, the warning jobs the
 * worker schedules from report events, their removal when the report moves on, and the warning
 * itself. In a database and queue prefix of its own: other suites run workers too, and one of
 * theirs would otherwise schedule (and fire) our warnings, or we theirs.
 */
/** The suite's own SMTP capture (its database and queue prefix come from isolatedEnv). */
const smtp = new SmtpCapture();

/** Open every day but one minute at midnight, so working time is (nearly) wall-clock time. */
const ALWAYS_OPEN: WeeklyHours = Object.fromEntries(['1', '2', '3', '4', '5', '6', '7'].map((d) => [d, [['00:00', '23:59']]]));

describe('reports: service levels and deadline warnings', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let queue: Queue<SlaWarningJobData>;
  let db: DataSource;
  let admin: Session;
  let town: TestMunicipality;
  let townAdmin: Session;
  let staff: Session;
  let citizen: Session;
  let category: { code: string };

  beforeAll(async () => {
    env = await isolatedEnv('sla', { SMTP_URL: await smtp.start() });
    t = await createTestApp({ env: env.env });
    worker = await startTestWorker({ env: env.env });
    queue = worker.app.get(getQueueToken(QUEUES.reportSlaWarnings));
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Deadline City', timezone: 'Europe/Paris', countryCode: 'FR' });
    townAdmin = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    citizen = await createSession(t.http);
    category = await createCategory(t.http, townAdmin.accessToken, town.slug, {
      serviceLevels: {
        normal: { acknowledgeWithin: { amount: 2, unit: 'hours' } },
        urgent: { acknowledgeWithin: { amount: 1, unit: 'hours' }, resolveWithin: { amount: 1, unit: 'days' } },
      },
    });
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const calendarUrl = () => `/api/v1/municipalities/${town.slug}/triage-calendar`;
  const file = () => createReport(t.http, citizen.accessToken, town, category.code) as Promise<{ id: string; version: number }>;
  const staffView = async (id: string) => (await staff.auth(t.http.get(`/api/v1/reports/${id}`)).expect(200)).body;
  const triage = (id: string, body: Record<string, unknown>, version: number) =>
    staff.auth(t.http.patch(`/api/v1/reports/${id}/triage`)).set('If-Match', `"${version}"`).send(body).expect(200);
  const jobExists = (jobId: string) => eventually(() => queue.getJob(jobId), `job ${jobId}`);
  const jobGone = (jobId: string) => eventually(async () => !(await queue.getJob(jobId)), `removal of job ${jobId}`);

  describe('calendar settings', () => {
    it('shows the default office hours until the admin sets some', async () => {
      const res = await staff.auth(t.http.get(calendarUrl())).expect(200);
      expect(res.body).toMatchObject({ isDefault: true, timezone: 'Europe/Paris', countryCode: 'FR', closures: [], region: null });
      expect(res.body.weeklyHours['1']).toEqual([['08:30', '12:00'], ['13:30', '17:30']]);
    });

    it('refuses invalid hours, closures and regions with 400 naming the field', async () => {
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ weeklyHours: { '1': [['08:00', '12:00'], ['11:00', '14:00']] }, closures: [] }, 'weeklyHours'],
        [{ weeklyHours: { '1': [['8h', '12:00']] }, closures: [] }, 'weeklyHours'],
        [{ weeklyHours: { '1': [['14:00', '12:00']] }, closures: [] }, 'weeklyHours'],
        [{ weeklyHours: { '9': [['08:00', '12:00']] }, closures: [] }, 'weeklyHours'],
        [{ weeklyHours: {}, closures: [] }, 'weeklyHours'],
        [{ weeklyHours: ALWAYS_OPEN, closures: ['2026-13-01'] }, 'closures'],
        [{ weeklyHours: ALWAYS_OPEN, closures: [], region: 'ZZ' }, 'region'],
        [{ weeklyHours: 'always', closures: [] }, 'weeklyHours'],
        [{ weeklyHours: ALWAYS_OPEN }, 'closures'],
      ];
      for (const [body, field] of cases) {
        const res = await townAdmin.auth(t.http.put(calendarUrl())).send(body).expect(400);
        expect(res.body.details.map((d: { field: string }) => d.field)).toContain(field);
      }
    });

    it('is set by the admin only', async () => {
      await staff.auth(t.http.put(calendarUrl())).send({ weeklyHours: ALWAYS_OPEN, closures: [] }).expect(403);
      await citizen.auth(t.http.get(calendarUrl())).expect(403);
      const res = await townAdmin.auth(t.http.put(calendarUrl())).send({ weeklyHours: ALWAYS_OPEN, closures: ['2030-12-26', '2030-12-24'], region: '57' }).expect(200);
      expect(res.body).toMatchObject({ isDefault: false, closures: ['2030-12-24', '2030-12-26'], region: '57' });
      const again = await staff.auth(t.http.get(calendarUrl())).expect(200);
      expect(again.body.weeklyHours).toEqual(ALWAYS_OPEN);
    });
  });

  describe('deadlines and warnings', () => {
    const calendar = () => new WorkingCalendar({ timezone: 'Europe/Paris', countryCode: 'FR', region: '57', weeklyHours: ALWAYS_OPEN, closures: ['2030-12-24', '2030-12-26'] });

    beforeAll(async () => {
      await townAdmin.auth(t.http.put(calendarUrl())).send({ weeklyHours: ALWAYS_OPEN, closures: ['2030-12-24', '2030-12-26'], region: '57' }).expect(200);
    });

    it("computes the deadlines at filing on the municipality's calendar", async () => {
      const report = await file();
      const view = await staffView(report.id);
      const expected = calendar().add(new Date(view.createdAt), { amount: 2, unit: 'hours' });
      expect(view.staff).toMatchObject({ acknowledgeDueAt: expected.toISOString(), resolveDueAt: null, dueAt: null, overdue: false });
      expect(view.expectedAt).toBeNull();
    });

    it('schedules a warning at 80% of the working window and removes it once acknowledged', async () => {
      const report = await file();
      const view = await staffView(report.id);
      const deadline = new Date(view.staff.acknowledgeDueAt);
      const jobId = slaJobId(report.id, 'acknowledge', deadline);
      const job = await jobExists(jobId);
      expect(job.data).toEqual({ reportId: report.id, kind: 'acknowledge', deadline: deadline.toISOString() });
      expect(await job.isDelayed()).toBe(true);
      const warnAt = job.timestamp + (job.opts.delay ?? 0);
      const created = new Date(view.createdAt).getTime();
      const window = calendar().workingMinutesBetween(new Date(view.createdAt), deadline);
      const expectedWarnAt = calendar().addWorkingMinutes(new Date(view.createdAt), window * 0.8).getTime();
      expect(Math.abs(warnAt - expectedWarnAt)).toBeLessThan(5000);
      expect(warnAt).toBeGreaterThan(created);
      expect(warnAt).toBeLessThan(deadline.getTime());

      await triage(report.id, { status: 'acknowledged' }, report.version);
      await jobGone(jobId);
    });

    it('plans a batch of events together: each report gets its own warnings, and loses them', async () => {
      const [a, b] = [await file(), await file()];
      const dueOf = async (id: string) => new Date((await staffView(id)).staff.acknowledgeDueAt);
      const [dueA, dueB] = [await dueOf(a.id), await dueOf(b.id)];
      const [jobA, jobB] = [slaJobId(a.id, 'acknowledge', dueA), slaJobId(b.id, 'acknowledge', dueB)];
      await jobExists(jobA);
      await jobExists(jobB);
      // As if Redis had lost them; then both reports' events handed to the consumer at once.
      await queue.remove(jobA);
      await queue.remove(jobB);
      const created: Array<{ id: string; aggregate_id: string; occurred_at: Date; payload: Record<string, unknown> }> = await db.query(
        `SELECT id, aggregate_id, occurred_at, payload FROM outbox_events WHERE type = 'report.created' AND aggregate_id = ANY($1) ORDER BY id`,
        [[a.id, b.id]],
      );
      expect(created).toHaveLength(2);
      const consumer = worker.app.get(ReportDeadlinesConsumer, { strict: false });
      await db.transaction((manager) =>
        consumer.handleBatch(
          created.map((r) => ({ id: String(r.id), type: 'report.created', occurredAt: r.occurred_at, aggregateType: 'report', aggregateId: r.aggregate_id, municipalityId: town.id, actorId: null, payload: r.payload }) as unknown as DomainEvent),
          manager,
        ),
      );
      expect((await queue.getJob(jobA))?.data).toEqual({ reportId: a.id, kind: 'acknowledge', deadline: dueA.toISOString() });
      expect((await queue.getJob(jobB))?.data).toEqual({ reportId: b.id, kind: 'acknowledge', deadline: dueB.toISOString() });
      // Both acknowledged in one request (their events share a transaction): both warnings go.
      await staff
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/triage/bulk`))
        .send({ items: [a, b].map(({ id, version }) => ({ id, version })), changes: { status: 'acknowledged' } })
        .expect(200);
      await jobGone(jobA);
      await jobGone(jobB);
    });

    it('moves the warnings when a new priority changes the deadlines', async () => {
      const report = await file();
      const before = await staffView(report.id);
      const oldJob = slaJobId(report.id, 'acknowledge', new Date(before.staff.acknowledgeDueAt));
      await jobExists(oldJob);

      const res = await triage(report.id, { priority: 'urgent' }, report.version);
      const created = new Date(before.createdAt);
      expect(res.body.staff.acknowledgeDueAt).toBe(calendar().add(created, { amount: 1, unit: 'hours' }).toISOString());
      expect(res.body.staff.resolveDueAt).toBe(calendar().add(created, { amount: 1, unit: 'days' }).toISOString());
      expect(res.body.expectedAt).toBe(res.body.staff.resolveDueAt);

      await jobExists(slaJobId(report.id, 'acknowledge', new Date(res.body.staff.acknowledgeDueAt)));
      await jobExists(slaJobId(report.id, 'resolve', new Date(res.body.staff.resolveDueAt)));
      await jobGone(oldJob);

      // A staff deadline replaces the resolve-by one, and its warning replaces that warning.
      const override = new Date(Date.now() + 48 * 3600_000);
      const overridden = await triage(report.id, { dueAt: override.toISOString() }, res.body.version);
      expect(overridden.body.expectedAt).toBe(override.toISOString());
      await jobExists(slaJobId(report.id, 'resolve', override));
      await jobGone(slaJobId(report.id, 'resolve', new Date(res.body.staff.resolveDueAt)));

      // Rejected: nothing left to warn about.
      await triage(report.id, { status: 'rejected', reason: 'invalid' }, overridden.body.version);
      await jobGone(slaJobId(report.id, 'resolve', override));
      await jobGone(slaJobId(report.id, 'acknowledge', new Date(res.body.staff.acknowledgeDueAt)));
    });

    it('warns the assignee shortly before the deadline, once, with a report.sla_warning event', async () => {
      const report = await file();
      const assigned = await triage(report.id, { assigneeId: staff.user.id }, report.version);
      const dueAt = new Date(Date.now() + 4000);
      await triage(report.id, { dueAt: dueAt.toISOString() }, assigned.body.version);

      const line = await eventually(async () => {
        const timeline = await staff.auth(t.http.get(`/api/v1/reports/${report.id}/timeline`)).expect(200);
        return (timeline.body as Array<{ type: string; visibility: string; data: Record<string, unknown> }>).find((l) => l.type === 'sla_warning');
      }, 'the warning on the timeline');
      expect(line).toMatchObject({ visibility: 'internal', data: { kind: 'resolve', deadline: dueAt.toISOString(), assigneeId: staff.user.id } });
      const events: Array<{ payload: Record<string, unknown> }> = await db.query(
        `SELECT payload FROM outbox_events WHERE type = 'report.sla_warning' AND aggregate_id = $1`,
        [report.id],
      );
      expect(events).toHaveLength(1);
      expect(events[0].payload).toMatchObject({ reportId: report.id, assigneeId: staff.user.id, deadline: dueAt.toISOString(), deadlineKind: 'resolve', status: 'new' });
      const publicTimeline = await t.http.get(`/api/v1/reports/${report.id}/timeline`).expect(200);
      expect(publicTimeline.body.map((l: { type: string }) => l.type)).not.toContain('sla_warning');

      // A second firing (a retried job) warns nobody twice; a moved deadline warns nobody at all.
      const sla = t.app.get(SlaWarningsService);
      await expect(sla.warn({ reportId: report.id, kind: 'resolve', deadline: dueAt.toISOString() })).resolves.toBe('already_warned');
      await expect(sla.warn({ reportId: report.id, kind: 'resolve', deadline: new Date(0).toISOString() })).resolves.toBe('moved_on');
    });

    it('flags overdue reports in views and the queue', async () => {
      const report = await file();
      await db.query(`UPDATE reports SET acknowledge_due_at = now() - interval '1 minute' WHERE id = $1`, [report.id]);
      expect((await staffView(report.id)).staff.overdue).toBe(true);
      const queue = await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/triage`).query({ overdue: 'true' })).expect(200);
      expect(queue.body.items.map((r: { id: string }) => r.id)).toContain(report.id);
      const notOverdue = await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/triage`).query({ overdue: 'false' })).expect(200);
      expect(notOverdue.body.items.map((r: { id: string }) => r.id)).not.toContain(report.id);
    });
  });

  describe('auto-close in the worker', () => {
    it('is scheduled hourly and closes, through the worker, problems resolved 30 days ago', async () => {
      const maintenance = worker.app.get<Queue>(getQueueToken(QUEUES.reportMaintenance));
      const scheduler = await eventually(() => maintenance.getJobScheduler(AUTO_CLOSE_SCHEDULER_ID), 'the auto-close scheduler');
      expect(scheduler).toMatchObject({ name: REPORT_MAINTENANCE_JOBS.autoClose, every: AUTO_CLOSE_EVERY_MS });

      const report = await file();
      let version = report.version;
      for (const status of ['acknowledged', 'in_progress', 'resolved']) version = (await triage(report.id, { status }, version)).body.version;
      await db.query(`UPDATE reports SET resolved_at = now() - interval '31 days' WHERE id = $1`, [report.id]);
      // What the scheduler does every hour, now.
      await maintenance.add(REPORT_MAINTENANCE_JOBS.autoClose, {});
      await eventually(async () => (await staffView(report.id)).status === 'closed', 'the auto-close');
      const timeline = await t.http.get(`/api/v1/reports/${report.id}/timeline`).expect(200);
      expect(timeline.body.find((l: { type: string }) => l.type === 'auto_closed')).toMatchObject({ by: 'system', toStatus: 'closed' });
    });
  });

});

import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createCategory, createReport } from '../factories/report.factory';
import { createMunicipality, grantRoles, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { CapturedMail, SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { startWorkerProcess, WorkerProcess } from '../utils/worker-process';
import { eventually, IsolatedEnv, isolatedEnv, queuesDrained } from './notification-fixtures';

// Two worker processes start per test (SWC compiles each): minutes on a loaded 2-core machine.
jest.setTimeout(180_000);

/** Reports filed and acknowledged per test: 2 notifications each (staff: new report; reporter: status). */
const REPORTS = 8;

/**
 * The delivery guarantees under failure: whatever dies (the worker, Redis's data, the SMTP server
 * for a while), every notification ends up mailed exactly once — counted by the Message-ID each
 * delivery carries — and nothing is lost. The suite has its own database and queue prefix, so it
 * can flush "Redis" (its own keys only) and count every mail.
 */
describe('notification delivery under failure', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let db: DataSource;
  const smtp = new SmtpCapture();
  let admin: Session;
  let town: TestMunicipality;
  let category: { code: string };
  let running: Array<WorkerProcess | TestWorker> = [];

  beforeAll(async () => {
    env = await isolatedEnv('notification_failures', {
      SMTP_URL: await smtp.start(),
      NOTIFICATION_DISPATCH_MS: '100',
      NOTIFICATION_SWEEP_MS: '1000',
      NOTIFICATION_SEND_TIMEOUT_MS: '2000',
      NOTIFICATION_CONCURRENCY: '4',
      NOTIFICATION_SMTP_CONNECTIONS: '2',
    });
    t = await createTestApp({ env: env.env });
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Crashville' });
    category = await createCategory(t.http, admin.accessToken, town.slug, { department: 'roads' });
  });

  afterEach(async () => {
    for (const w of running) await ('stop' in w ? w.stop() : w.close());
    running = [];
    smtp.refuse = false;
    smtp.responseDelayMs = 0;
    smtp.onData = undefined;
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const isNotification = (m: CapturedMail) => Boolean(m.headers['list-unsubscribe']);
  const messageIdOf = (notificationId: string) => `<${notificationId}.email@${new URL(t.config.publicUrl).hostname}>`;

  /** A reporter and a staff member, with REPORTS reports filed and acknowledged: 2×REPORTS notifications to mail. */
  async function workload(): Promise<string[]> {
    const reporter = await createSession(t.http, { emailPrefix: 'crash-reporter' });
    const staff = await createSession(t.http, { emailPrefix: 'crash-staff' });
    await grantRoles(t.http, admin.accessToken, town.slug, staff.user.id, ['staff'], 'roads');
    for (let i = 0; i < REPORTS; i++) {
      const report = await createReport(t.http, reporter.accessToken, town, category.code, { description: `Crash test report ${i} ${randomUUID()}` });
      await staff.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).set('If-Match', `"${report.version}"`).send({ status: 'acknowledged' }).expect(200);
    }
    return [reporter.user.id, staff.user.id];
  }

  async function emailDeliveries(userIds: string[]): Promise<Array<{ notification_id: string; status: string; attempts: number }>> {
    return db.query(
      `SELECT d.notification_id, d.status, d.attempts FROM notification_deliveries d
        WHERE d.user_id = ANY($1::uuid[]) AND d.channel = 'email' ORDER BY d.created_at`,
      [userIds],
    );
  }

  /** Every notification of these people: its email sent, and received exactly once. */
  async function expectEachMailedOnce(userIds: string[]): Promise<void> {
    const rows = await eventually(
      async () => {
        const all = await emailDeliveries(userIds);
        return all.length === 2 * REPORTS && all.every((d) => d.status === 'sent') ? all : null;
      },
      `all ${2 * REPORTS} email deliveries sent`,
      35_000,
    );
    // Late duplicates would have arrived once nothing is left to run.
    await queuesDrained(env);
    const received = new Map<string, number>();
    for (const mail of smtp.mails.filter(isNotification)) received.set(mail.headers['message-id'], (received.get(mail.headers['message-id']) ?? 0) + 1);
    for (const row of rows) expect([row.notification_id, received.get(messageIdOf(row.notification_id)) ?? 0]).toEqual([row.notification_id, 1]);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE user_id = ANY($1::uuid[])`, [userIds]);
    expect(n).toBe(2 * REPORTS);
  }

  it('delivers each mail exactly once when the worker is SIGKILLed mid-run and restarted', async () => {
    const started = Date.now();
    const people = await workload();
    // Slow replies: the worker dies with mails on the wire, not yet accepted.
    smtp.responseDelayMs = 400;
    let seen = 0;
    let midRun!: () => void;
    const reached = new Promise<void>((resolve) => (midRun = resolve));
    smtp.onData = (mail) => {
      if (isNotification(mail) && ++seen === 4) {
        // From this mail on, replies are held: what is on the wire now is never accepted.
        smtp.responseDelayMs = 20_000;
        midRun();
      }
    };
    const acceptedBefore = smtp.mails.filter(isNotification).length;
    const first = await startWorkerProcess({ env: env.env });
    running.push(first);
    await reached;
    // Killed once every mail the server accepted is recorded as sent. Between "accepted" and
    // "recorded" a crash means a second mail, by design (libs/notifications/src/delivery); a loaded
    // machine widens that window, and this test is about everything else.
    await eventually(async () => {
      const sent = (await emailDeliveries(people)).filter((d) => d.status === 'sent').length;
      return sent === smtp.mails.filter(isNotification).length - acceptedBefore;
    }, 'every accepted mail to be recorded as sent');
    first.kill('SIGKILL');
    expect(await first.exited()).toBe('SIGKILL');
    smtp.onData = undefined;
    smtp.responseDelayMs = 0;
    const before = await emailDeliveries(people);
    expect(before.filter((d) => d.status === 'sent').length).toBeLessThan(2 * REPORTS);

    const second = await startWorkerProcess({ env: env.env });
    running.push(second);
    await expectEachMailedOnce(people);
    process.stdout.write(`SIGKILL notifications test: ${Date.now() - started} ms\n`);
  });

  it('delivers each mail exactly once when Redis loses every queued job mid-run', async () => {
    const started = Date.now();
    const people = await workload();
    smtp.responseDelayMs = 300;
    const worker = await startTestWorker({ env: env.env });
    running.push(worker);
    // The rules have run (the notifications and their deliveries are in PostgreSQL) and mails are going out.
    await eventually(async () => (await emailDeliveries(people)).length === 2 * REPORTS, 'every delivery row');
    await eventually(async () => (await emailDeliveries(people)).some((d) => d.status === 'sent'), 'the first mails sent');
    // What FLUSHALL would do to this suite (only our prefix: other suites share the server).
    expect(await env.flushQueues()).toBeGreaterThan(0);
    smtp.responseDelayMs = 0;
    expect((await emailDeliveries(people)).filter((d) => d.status === 'sent').length).toBeLessThan(2 * REPORTS);
    await expectEachMailedOnce(people);
    process.stdout.write(`Redis flush notifications test: ${Date.now() - started} ms\n`);
  });

  it('delivers each mail exactly once after the SMTP server refused everything for a while', async () => {
    const started = Date.now();
    const people = await workload();
    smtp.refuse = true;
    const worker = await startTestWorker({ env: env.env });
    running.push(worker);
    // Every mail has been refused at least twice (451: try again later).
    await eventually(
      async () => {
        const rows = await emailDeliveries(people);
        return rows.length === 2 * REPORTS && rows.every((d) => d.attempts >= 2 && d.status !== 'sent');
      },
      'every delivery refused twice',
      30_000,
    );
    smtp.refuse = false;
    await expectEachMailedOnce(people);
    const rows = await emailDeliveries(people);
    // Refused at least once each before getting through (a send in flight when the server came back may pass on its 2nd try).
    expect(rows.every((d) => d.attempts >= 2)).toBe(true);
    process.stdout.write(`SMTP refusal notifications test: ${Date.now() - started} ms\n`);
  });
});

import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { platformAdminSession, Session } from '../utils/sessions';
import { CapturedMail, SmtpCapture } from '../utils/smtp-capture';
import type { TestWorker } from '../utils/test-worker';
import { startWorkerProcess, WorkerProcess } from '../utils/worker-process';
import { eventually, IsolatedEnv, isolatedEnv, sleep } from './notification-fixtures';

jest.setTimeout(300_000);

/** Residents per test: enough pages (of PAGE) that a kill lands half-way through the fan-out. */
const RESIDENTS = 1500;
const PAGE = 25;

/**
 * An announcement's fan-out under failure: a worker SIGKILLed half-way through storing the
 * audience (and with mails on the wire) — and still every resident gets one in-app copy and one
 * mail, counted by Message-ID. Redis losing the jobs is announcement-flush.e2e-spec.ts.
 */
describe('announcements under failure', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let db: DataSource;
  const smtp = new SmtpCapture();
  let staff: Session;
  let town: TestMunicipality;
  let running: Array<WorkerProcess | TestWorker> = [];

  beforeAll(async () => {
    env = await isolatedEnv('announcement_failures', {
      SMTP_URL: await smtp.start(),
      NOTIFICATION_DISPATCH_MS: '100',
      NOTIFICATION_SWEEP_MS: '1000',
      // Longer than the sink's 20 s hold: a send abandoned on timeout while the sink still holds
      // it open would be accepted later and retried too (a duplicate of another kind than the
      // kills this suite is about; CI under load met it). Stale claims still go after 32 s.
      NOTIFICATION_SEND_TIMEOUT_MS: '22000',
      QUEUE_LOCK_MS: '10000',
      NOTIFICATION_FANOUT_PAGE_SIZE: String(PAGE),
      NOTIFICATION_BULK_CONCURRENCY: '8',
      NOTIFICATION_SMTP_CONNECTIONS: '4',
      NOTIFICATION_RATE_LIMITS: 'none',
    });
    t = await createTestApp({ env: env.env });
    db = t.app.get(DataSource);
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Fanoutville' });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
  });

  afterEach(async () => {
    for (const w of running) await ('stop' in w ? w.stop() : w.close());
    running = [];
    smtp.responseDelayMs = 0;
    smtp.onData = undefined;
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const messageIdOf = (notificationId: string) => `<${notificationId}.email@${new URL(t.config.publicUrl).hostname}>`;

  /** RESIDENTS verified residents with accounts, written in one statement (the API would take minutes for a town). */
  async function residents(tag: string): Promise<void> {
    await db.query(`DELETE FROM residencies WHERE municipality_id = $1`, [town.id]);
    await db.query(
      `WITH u AS (
         INSERT INTO users (email, display_name, locale)
         SELECT 'fanout-' || $2 || '-' || i || '@test.local', 'Resident ' || i, CASE WHEN i % 2 = 0 THEN 'fr' ELSE 'en' END FROM generate_series(1, $3::int) i
         RETURNING id)
       INSERT INTO residencies (municipality_id, user_id, method) SELECT $1, id, 'staff' FROM u`,
      [town.id, tag, RESIDENTS],
    );
  }

  async function announce(subject: string): Promise<{ id: string; sourceEventId: string }> {
    const res = await staff
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/announcements`))
      .send({ audience: { kind: 'municipality.residents' }, title: { fr: subject, en: subject }, body: { fr: 'Corps', en: 'Body' }, channels: ['in_app', 'email'] })
      .expect(201);
    expect(res.body.audience.size).toBe(RESIDENTS);
    const [row] = await db.query(`SELECT source_event_id FROM announcements WHERE id = $1`, [res.body.id]);
    return { id: res.body.id, sourceEventId: row.source_event_id };
  }

  const progress = async (id: string): Promise<{ recipients: number; fanned_out: boolean }> =>
    (await db.query(`SELECT recipients, fanned_out_at IS NOT NULL AS fanned_out FROM announcements WHERE id = $1`, [id]))[0];

  /** Every resident: one notification, its email sent, and received exactly once. */
  async function expectEveryoneOnce(a: { id: string; sourceEventId: string }, subject: string): Promise<void> {
    await eventually(
      async () => {
        const [{ sent }] = await db.query(
          `SELECT count(*)::int AS sent FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id
            WHERE n.source_event_id = $1 AND d.channel = 'email' AND d.status = 'sent'`,
          [a.sourceEventId],
        );
        return sent === RESIDENTS;
      },
      `all ${RESIDENTS} mails sent`,
      // After a flush the sweeper checks pending rows' jobs one by one (1,000 per sweep): on a
      // loaded 2-core machine a few sweeps and the resends take a while.
      170_000,
    );
    // Late duplicates would arrive now.
    await sleep(1500);
    const rows: Array<{ id: string; user_id: string }> = await db.query(`SELECT id, user_id FROM notifications WHERE source_event_id = $1`, [a.sourceEventId]);
    expect(rows).toHaveLength(RESIDENTS);
    expect(new Set(rows.map((r) => r.user_id)).size).toBe(RESIDENTS);
    const received = new Map<string, number>();
    for (const mail of smtp.mails.filter((m: CapturedMail) => m.subject.includes(subject))) {
      received.set(mail.headers['message-id'], (received.get(mail.headers['message-id']) ?? 0) + 1);
    }
    const wrong = rows.filter((r) => received.get(messageIdOf(r.id)) !== 1).map((r) => [r.id, received.get(messageIdOf(r.id)) ?? 0]);
    expect(wrong).toEqual([]);
    expect([...received.values()].reduce((a, b) => a + b, 0)).toBe(RESIDENTS);
    expect(await progress(a.id)).toEqual({ recipients: RESIDENTS, fanned_out: true });
  }

  /**
   * Holds the store walk at the page of the audience's `index`-th person (by id): an uncommitted
   * copy of that person's notification makes the worker's INSERT … ON CONFLICT wait for this
   * transaction. Released (rolled back) by the returned function.
   */
  async function holdStoreAt(a: { sourceEventId: string }, index: number): Promise<() => Promise<void>> {
    const [person] = await db.query(`SELECT user_id FROM residencies WHERE municipality_id = $1 ORDER BY user_id OFFSET $2 LIMIT 1`, [town.id, index]);
    const blocker = db.createQueryRunner();
    await blocker.connect();
    await blocker.startTransaction();
    await blocker.query(
      `INSERT INTO notifications (user_id, municipality_id, type, subject_type, subject_id, source_event_id, data, in_app)
       VALUES ($1, $2, 'announcement.published', 'announcement', 'held', $3, '{}', true)`,
      [person.user_id, town.id, a.sourceEventId],
    );
    return async () => {
      await blocker.rollbackTransaction();
      await blocker.release();
    };
  }

  it('workers SIGKILLed half-way through storing the audience, then with mails on the wire: each next one resumes, nobody gets it twice', async () => {
    await residents('kill');
    const subject = `Killed ${Date.now()}`;
    const a = await announce(subject);
    const release = await holdStoreAt(a, Math.floor(RESIDENTS / 2));
    // The sweeper (every second here) adds the jobs of people already stored while the walk is
    // held: their mails stay on the wire, never accepted, when this worker dies.
    smtp.responseDelayMs = 20_000;
    const first = await startWorkerProcess({ env: env.env });
    running.push(first);
    await eventually(async () => (await progress(a.id)).recipients >= RESIDENTS / 2 - PAGE, 'half of the audience stored', 60_000);
    first.kill('SIGKILL');
    expect(await first.exited()).toBe('SIGKILL');
    await release();
    smtp.responseDelayMs = 0;
    const killedAt = await progress(a.id);
    // Half-way indeed: the fan-out had not finished.
    expect(killedAt.fanned_out).toBe(false);
    expect(killedAt.recipients).toBeLessThan(RESIDENTS);
    expect(smtp.mails.filter((m) => m.subject.includes(subject))).toHaveLength(0);

    const second = await startWorkerProcess({ env: env.env });
    running.push(second);
    await eventually(async () => smtp.mails.some((m) => m.subject.includes(subject)), 'the first mails out', 60_000);
    // From now on the sink holds its replies: the worker dies with mails on the wire, not yet
    // accepted. (A mail accepted but not yet marked sent when a worker dies is sent again — the
    // one window no pipeline closes; its Message-ID makes it recognisable. Not what this tests.)
    smtp.responseDelayMs = 20_000;
    await eventually(async () => {
      const acceptedBefore = smtp.mails.filter((m) => m.subject.includes(subject)).length;
      const [{ sent }] = await db.query(
        `SELECT count(*)::int AS sent FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id
          WHERE n.source_event_id = $1 AND d.status = 'sent'`,
        [a.sourceEventId],
      );
      // Read again after the query: a reply timed before the delay changed can still go out while
      // it runs, and a mail accepted then but not yet marked would be sent again after the kill
      // (the window this test does not test) — CI caught exactly that twice.
      const acceptedAfter = smtp.mails.filter((m) => m.subject.includes(subject)).length;
      return sent === acceptedBefore && acceptedAfter === acceptedBefore;
    }, 'every accepted mail marked sent');
    second.kill('SIGKILL');
    expect(await second.exited()).toBe('SIGKILL');
    smtp.responseDelayMs = 0;
    expect(smtp.mails.filter((m) => m.subject.includes(subject)).length).toBeLessThan(RESIDENTS);

    const third = await startWorkerProcess({ env: env.env });
    running.push(third);
    await expectEveryoneOnce(a, subject);
  });
});

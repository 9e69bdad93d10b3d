import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { platformAdminSession, Session } from '../utils/sessions';
import { CapturedMail, SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import type { WorkerProcess } from '../utils/worker-process';
import { eventually, IsolatedEnv, isolatedEnv, sleep } from './notification-fixtures';

jest.setTimeout(300_000);

/** Residents per test: enough pages (of PAGE) that a kill lands half-way through the fan-out. */
const RESIDENTS = 1500;
const PAGE = 25;

/**
 * An announcement's fan-out when Redis loses the bulk lane's jobs half-way: still every resident
 * gets one in-app copy and one mail, counted by Message-ID. A suite (and database) of its own:
 * run after the SIGKILL test in one file, it waited on that test's leftovers and timed out in CI.
 */
describe('announcements under failure: Redis flushed', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let db: DataSource;
  const smtp = new SmtpCapture();
  let staff: Session;
  let town: TestMunicipality;
  let running: Array<WorkerProcess | TestWorker> = [];

  beforeAll(async () => {
    env = await isolatedEnv('announcement_flush', {
      SMTP_URL: await smtp.start(),
      NOTIFICATION_DISPATCH_MS: '100',
      NOTIFICATION_SWEEP_MS: '1000',
      // A send that outlives its deadline is retried while it may still reach the server, so a
      // starved 2-core machine (load 20) turned 2 s into duplicates; no test here needs a timeout.
      NOTIFICATION_SEND_TIMEOUT_MS: '10000',
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

  it('Redis losing the bulk lane’s jobs half-way: the sweeper puts them back, nobody gets it twice', async () => {
    await residents('flush');
    const subject = `Flushed ${Date.now()}`;
    smtp.responseDelayMs = 50;
    const a = await announce(subject);
    const worker = await startTestWorker({ env: env.env });
    running.push(worker);
    await eventually(async () => smtp.mails.filter((m) => m.subject.includes(subject)).length >= 50, 'the first mails out', 60_000);
    expect(await env.flushQueues()).toBeGreaterThan(0);
    smtp.responseDelayMs = 0;
    await expectEveryoneOnce(a, subject);
  });
});

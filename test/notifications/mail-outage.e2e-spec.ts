import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createCategory, createReport } from '../factories/report.factory';
import { createMunicipality, grantRoles, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { CapturedMail, SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { eventually, IsolatedEnv, isolatedEnv, queuesDrained } from './notification-fixtures';

jest.setTimeout(60_000);

interface Town {
  town: TestMunicipality;
  category: string;
  admin: Session;
  staff: Session;
}

/**
 * A long SMTP outage: deliveries are retried for a window of time (MAIL_RETRY_WINDOW_HOURS), not
 * ten attempts; once the window has passed they are failed, and a town's admins see and retry
 * their own town's (one by one or all at once). Time is driven by configuration: a retry cap of
 * 200 ms, and a window of a few seconds for the give-up case (the 48 h walk is in
 * libs/notifications/src/delivery/retry-policy.spec.ts, on an explicit clock).
 */
describe('notification mail through a long SMTP outage', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let db: DataSource;
  const smtp = new SmtpCapture();
  let platformAdmin: Session;
  let a: Town;
  let b: Town;
  let worker: TestWorker | null = null;

  beforeAll(async () => {
    env = await isolatedEnv('mail_outage', {
      SMTP_URL: await smtp.start(),
      NOTIFICATION_DISPATCH_MS: '100',
      NOTIFICATION_SWEEP_MS: '1000',
      NOTIFICATION_SEND_TIMEOUT_MS: '2000',
      MAIL_RETRY_MAX_DELAY_MS: '200',
    });
    t = await createTestApp({ env: env.env });
    db = t.app.get(DataSource);
    platformAdmin = await platformAdminSession(t.http);
    const town = async (name: string): Promise<Town> => {
      const m = await createMunicipality(t.http, platformAdmin.accessToken, { name });
      const category = (await createCategory(t.http, platformAdmin.accessToken, m.slug, { department: 'roads' })).code;
      const admin = await memberSession(t.http, platformAdmin.accessToken, m.slug, ['admin']);
      const staff = await createSession(t.http, { emailPrefix: `outage-staff-${m.slug}` });
      await grantRoles(t.http, platformAdmin.accessToken, m.slug, staff.user.id, ['staff'], 'roads');
      return { town: m, category, admin, staff };
    };
    a = await town('Outageville');
    b = await town('Otherville');
  });

  afterEach(async () => {
    await worker?.close();
    worker = null;
    smtp.refuse = false;
  });

  afterAll(async () => {
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const messageIdOf = (notificationId: string) => `<${notificationId}.email@${new URL(t.config.publicUrl).hostname}>`;
  const received = (notificationId: string) => smtp.mails.filter((m: CapturedMail) => m.headers['message-id'] === messageIdOf(notificationId)).length;

  /** `count` reports filed in the town: each mails its staff member (report.new_in_department). */
  async function fileReports(town: Town, count: number): Promise<void> {
    const reporter = await createSession(t.http, { emailPrefix: 'outage-reporter' });
    for (let i = 0; i < count; i++) await createReport(t.http, reporter.accessToken, town.town, town.category, { description: `Outage ${i} ${randomUUID()}` });
  }

  async function staffDeliveries(town: Town): Promise<Array<{ id: string; notification_id: string; status: string; attempts: number }>> {
    return db.query(
      `SELECT id, notification_id, status, attempts FROM notification_deliveries WHERE user_id = $1 AND channel = 'email' ORDER BY created_at`,
      [town.staff.user.id],
    );
  }

  it('keeps retrying past the ten attempts that used to give up, then delivers each mail exactly once', async () => {
    smtp.refuse = true;
    await fileReports(a, 2);
    worker = await startTestWorker({ env: { ...env.env, MAIL_RETRY_WINDOW_HOURS: '1' } });
    await eventually(
      async () => {
        const rows = await staffDeliveries(a);
        return rows.length === 2 && rows.every((d) => d.attempts >= 12 && d.status !== 'failed');
      },
      'every delivery refused twelve times and still pending',
      30_000,
    );
    smtp.refuse = false;
    const rows = await eventually(async () => {
      const all = await staffDeliveries(a);
      return all.every((d) => d.status === 'sent') ? all : null;
    }, 'every delivery sent');
    await queuesDrained(env);
    for (const row of rows) expect([row.notification_id, received(row.notification_id)]).toEqual([row.notification_id, 1]);
  });

  it("fails deliveries once the window has passed; a town's admins see and retry only their own", async () => {
    smtp.refuse = true;
    await fileReports(a, 3);
    await fileReports(b, 1);
    // A window of 2.5 seconds: the outage outlasts it.
    worker = await startTestWorker({ env: { ...env.env, MAIL_RETRY_WINDOW_HOURS: String(2.5 / 3600) } });
    const failed = async (town: Town) => (await staffDeliveries(town)).filter((d) => d.status === 'failed');
    await eventually(async () => (await failed(a)).length === 3 && (await failed(b)).length === 1, 'the deliveries failed after the window', 30_000);
    const aFailed = await failed(a);
    const bFailed = await failed(b);
    expect(aFailed.every((d) => d.attempts > 1)).toBe(true);

    // Each admin sees their own town's, not the other's.
    const listA = await a.admin.auth(t.http.get(`/api/v1/municipalities/${a.town.slug}/notifications/failed?limit=100`)).expect(200);
    expect(listA.body.items.map((i: { id: string }) => i.id).sort()).toEqual(aFailed.map((d) => d.id).sort());
    expect(listA.body.items[0]).toMatchObject({ channel: 'email', type: 'report.new_in_department', municipalityId: a.town.id, lastError: expect.stringContaining('451') });
    const listB = await b.admin.auth(t.http.get(`/api/v1/municipalities/${b.town.slug}/notifications/failed`)).expect(200);
    expect(listB.body.items.map((i: { id: string }) => i.id)).toEqual(bFailed.map((d) => d.id));

    // Nobody else: anonymous, an erased admin, a citizen, the town's staff, the other town's admin.
    const citizen = await createSession(t.http, { emailPrefix: 'outage-citizen' });
    const aBase = `/api/v1/municipalities/${a.town.slug}/notifications/failed`;
    await t.http.get(aBase).expect(401);
    await t.http.post(`${aBase}/retry-all`).expect(401);
    const erased = await memberSession(t.http, platformAdmin.accessToken, a.town.slug, ['admin'], { emailPrefix: 'outage-erased-admin' });
    await erased.auth(t.http.get(aBase)).expect(200);
    await erased.auth(t.http.delete('/api/v1/me')).send({ password: erased.user.password }).expect(204);
    await erased.auth(t.http.get(aBase)).expect(401);
    await erased.auth(t.http.post(`${aBase}/retry-all`)).expect(401);
    for (const outsider of [citizen, a.staff, b.admin]) {
      await outsider.auth(t.http.get(aBase)).expect(403);
      await outsider.auth(t.http.post(`${aBase}/retry-all`)).expect(403);
      await outsider.auth(t.http.post(`${aBase}/${aFailed[0].id}/retry`)).expect(403);
    }
    // Another town's delivery through one's own town: not found, and untouched.
    await b.admin.auth(t.http.post(`/api/v1/municipalities/${b.town.slug}/notifications/failed/${aFailed[0].id}/retry`)).expect(404, /DELIVERY_NOT_FOUND/);
    await a.admin.auth(t.http.get('/api/v1/municipalities/no-such-town/notifications/failed')).expect(404);
    await a.admin.auth(t.http.post(`${aBase}/not-a-uuid/retry`)).expect(400);
    await a.admin.auth(t.http.get('/api/v1/admin/notifications/failed')).expect(403);
    await a.admin.auth(t.http.post('/api/v1/admin/notifications/failed/retry-all')).expect(403);

    // The relay is back: one retried alone, then the rest of the town at once.
    smtp.refuse = false;
    await a.admin.auth(t.http.post(`${aBase}/${aFailed[0].id}/retry`)).expect(204);
    await eventually(async () => (await staffDeliveries(a)).find((d) => d.id === aFailed[0].id)!.status === 'sent', 'the one retried sent');
    const all = await a.admin.auth(t.http.post(`${aBase}/retry-all`)).expect(200);
    expect(all.body).toEqual({ retried: 2 });
    await eventually(async () => (await staffDeliveries(a)).every((d) => d.status === 'sent'), "every delivery of the town's sent");
    // The other town's still wait for their admin (or the platform's).
    expect((await failed(b)).map((d) => d.id)).toEqual(bFailed.map((d) => d.id));
    const platformAll = await platformAdmin.auth(t.http.post('/api/v1/admin/notifications/failed/retry-all')).expect(200);
    expect(platformAll.body.retried).toBeGreaterThanOrEqual(1);
    await eventually(async () => (await staffDeliveries(b)).every((d) => d.status === 'sent'), "the other town's sent");

    await queuesDrained(env);
    for (const row of [...aFailed, ...bFailed]) expect([row.notification_id, received(row.notification_id)]).toEqual([row.notification_id, 1]);
    const audit = await db.query(
      `SELECT action, municipality_id, actor_id FROM audit_log WHERE action IN ('notification.delivery_retried', 'notification.deliveries_retried') AND actor_id = ANY($1::uuid[]) ORDER BY id`,
      [[a.admin.user.id, platformAdmin.user.id]],
    );
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'notification.delivery_retried', municipality_id: a.town.id, actor_id: a.admin.user.id },
        { action: 'notification.deliveries_retried', municipality_id: a.town.id, actor_id: a.admin.user.id },
        { action: 'notification.deliveries_retried', municipality_id: null, actor_id: platformAdmin.user.id },
      ]),
    );
  });
});

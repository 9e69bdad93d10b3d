import { DataSource } from 'typeorm';
import { DeliveryBusyError, DeliveryService } from '../../libs/notifications/src/delivery/delivery.service';
import { createCategory, createReport } from '../factories/report.factory';
import { createMunicipality, grantRoles, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { eventually, IsolatedEnv, isolatedEnv } from './notification-fixtures';

jest.setTimeout(60_000);

/**
 * "Each notification is delivered once per channel", without racing anything: a delivery is sent
 * only by whoever claims it, and a row that is sent, failed, skipped or being sent by a live
 * sender can never be claimed again — however often its job runs. The worker's own
 * DeliveryService is called the way a repeated or replayed job calls it.
 */
describe('notification deliveries: claimed at most once', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let db: DataSource;
  const smtp = new SmtpCapture();
  let admin: Session;
  let town: TestMunicipality;
  let category: { code: string };

  beforeAll(async () => {
    env = await isolatedEnv('delivery_claims', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100' });
    t = await createTestApp({ env: env.env });
    worker = await startTestWorker({ env: env.env });
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Onceville' });
    category = await createCategory(t.http, admin.accessToken, town.slug, { department: 'roads' });
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const deliveries = () => worker.app.get(DeliveryService);

  /** A reporter whose report staff acknowledged: one status-change email delivery, sent. */
  async function sentDelivery(): Promise<{ id: string; notificationId: string }> {
    const reporter = await createSession(t.http, { emailPrefix: 'once-reporter' });
    const staff = await createSession(t.http, { emailPrefix: 'once-staff' });
    await grantRoles(t.http, admin.accessToken, town.slug, staff.user.id, ['staff'], 'roads');
    const report = await createReport(t.http, reporter.accessToken, town, category.code);
    await staff.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).set('If-Match', `"${report.version}"`).send({ status: 'acknowledged' }).expect(200);
    const row = await eventually(async () => {
      const [found]: Array<{ id: string; notification_id: string; status: string }> = await db.query(
        `SELECT id, notification_id, status FROM notification_deliveries WHERE user_id = $1 AND channel = 'email'`,
        [reporter.user.id],
      );
      return found?.status === 'sent' ? found : null;
    }, "the reporter's email delivery to be sent");
    return { id: row.id, notificationId: row.notification_id };
  }

  /** Mails of this notification (its Message-ID), not the account's other mail (verification). */
  const mailsOf = (notificationId: string) =>
    smtp.mails.filter((m) => m.headers['message-id'] === `<${notificationId}.email@${new URL(t.config.publicUrl).hostname}>`).length;
  const statusOf = async (id: string) => ((await db.query(`SELECT status, attempts FROM notification_deliveries WHERE id = $1`, [id])) as Array<{ status: string; attempts: number }>)[0];

  it("never claims a 'sent' delivery again: a repeated job sends nothing", async () => {
    const delivery = await sentDelivery();
    expect(mailsOf(delivery.notificationId)).toBe(1);
    const before = await statusOf(delivery.id);

    await expect(deliveries().deliver(delivery.id, { finalAttempt: false })).resolves.toBe('already_sent');
    await expect(deliveries().deliver(delivery.id, { finalAttempt: true })).resolves.toBe('already_sent');

    // Both calls returned: a send they started would have been recorded and received by now.
    expect(await statusOf(delivery.id)).toEqual(before);
    expect(mailsOf(delivery.notificationId)).toBe(1);
  });

  it("never claims a failed or skipped delivery, and leaves a live 'sending' claim to its sender", async () => {
    const delivery = await sentDelivery();
    for (const status of ['failed', 'skipped'] as const) {
      await db.query(`UPDATE notification_deliveries SET status = $2 WHERE id = $1`, [delivery.id, status]);
      await expect(deliveries().deliver(delivery.id, { finalAttempt: false })).resolves.toBe(`already_${status}`);
    }
    await db.query(`UPDATE notification_deliveries SET status = 'sending', claimed_at = now() WHERE id = $1`, [delivery.id]);
    await expect(deliveries().deliver(delivery.id, { finalAttempt: false })).rejects.toBeInstanceOf(DeliveryBusyError);
    expect(mailsOf(delivery.notificationId)).toBe(1);
  });

  it('claims a pending delivery exactly once when two jobs ask for it at the same moment', async () => {
    const delivery = await sentDelivery();
    await db.query(`UPDATE notification_deliveries SET status = 'pending', claimed_at = NULL WHERE id = $1`, [delivery.id]);
    const outcomes = await Promise.allSettled([1, 2].map(() => deliveries().deliver(delivery.id, { finalAttempt: false })));
    const sent = outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'sent');
    const refused = outcomes.filter((o) => o.status === 'rejected' || (o.status === 'fulfilled' && o.value !== 'sent'));
    expect([sent.length, refused.length]).toEqual([1, 1]);
    await eventually(async () => mailsOf(delivery.notificationId) === 2, 'the one resend to arrive');
    expect((await statusOf(delivery.id)).status).toBe('sent');
  });
});

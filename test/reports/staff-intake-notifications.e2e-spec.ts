import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, near } from '../factories/report.factory';
import { eventually, IsolatedEnv, isolatedEnv, queuesDrained } from '../notifications/notification-fixtures';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session, uniqueEmail } from '../utils/sessions';
import { SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';

jest.setTimeout(90_000);

/**
 * A report filed for someone at the counter tells that person of its progress by e-mail, through
 * the notification pipeline (outbox → rules → deliveries → worker → SMTP) like anyone's.
 */
describe('Staff-assisted intake: the contact hears by e-mail', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let db: DataSource;
  const smtp = new SmtpCapture();
  let admin: Session;
  let town: TestMunicipality;
  let staff: Session;
  let category: string;

  beforeAll(async () => {
    env = await isolatedEnv('staff_intake', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100', NOTIFICATION_SWEEP_MS: '1000' });
    t = await createTestApp({ env: env.env });
    worker = await startTestWorker({ env: env.env });
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Guichetville', locale: 'fr' });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
    category = (await createCategory(t.http, admin.accessToken, town.slug)).code;
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const fileFor = async (contact: Record<string, string>) =>
    (
      await staff
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/reports/assisted`))
        .send({ kind: 'problem', categoryCode: category, description: 'Trottoir défoncé', location: near(town), channel: 'counter', contact })
        .expect(201)
    ).body as { id: string; number: string; version: number };

  it('mails status changes and public updates to the contact, in the town’s language, never internal notes', async () => {
    const email = uniqueEmail('guichet');
    const report = await fileFor({ name: 'Mme Leroy', email });
    await staff.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).send({ version: report.version, status: 'acknowledged' }).expect(200);
    const status = await smtp.waitFor((m) => m.to.includes(email) && m.text.includes('pris en compte'));
    expect(status.subject).toContain('Guichetville');
    expect(status.text).toContain('Bonjour Mme Leroy');
    expect(status.text).toContain(`/reports/${report.id}`);
    // No account, no preferences: no unsubscribe link, the mail says why it came.
    expect(status.headers['list-unsubscribe']).toBeUndefined();
    expect(status.text).toContain('la commune a enregistré ce signalement pour vous');

    await staff.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'Note interne : devis demandé', visibility: 'internal' }).expect(201);
    await staff.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'Une équipe passe jeudi', visibility: 'public' }).expect(201);
    await smtp.waitFor((m) => m.to.includes(email) && m.text.includes('Une équipe passe jeudi'));
    await queuesDrained(env);
    expect(smtp.to(email).some((m) => m.text.includes('devis'))).toBe(false);
    expect(smtp.to(email)).toHaveLength(2);

    const rows = await db.query(
      `SELECT n.user_id, n.in_app, d.channel, d.status FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id WHERE n.contact_email = $1`,
      [email],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row).toEqual({ user_id: null, in_app: false, channel: 'email', status: 'sent' });

    // The person later has an account with that (verified) address and erases it: the mails
    // sent to them as a contact go too, with the report's contact.
    const person = await createSession(t.http, { email });
    await db.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [person.user.id]);
    await person.auth(t.http.delete('/api/v1/me')).send({ password: person.user.password }).expect(204);
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE contact_email = $1`, [email]);
    expect(n).toBe(0);
    const [report2] = await db.query(`SELECT contact_email, contact_name FROM reports WHERE id = $1`, [report.id]);
    expect(report2).toEqual({ contact_email: null, contact_name: null });
  });

  it('mails nobody when the person gave only a phone', async () => {
    const report = await fileFor({ name: 'M. Petit', phone: '0320000000' });
    await staff.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).send({ version: report.version, status: 'acknowledged' }).expect(200);
    // Once the rules consumer has taken the event, whatever it would store is stored.
    await eventually(
      async () =>
        (
          await db.query(
            `SELECT 1 FROM event_consumptions c JOIN outbox_events e ON e.id = c.event_id
              WHERE c.consumer = 'notification-rules' AND e.aggregate_id = $1 AND e.type = 'report.status_changed'`,
            [report.id],
          )
        ).length > 0,
      'the status change consumed by the notification rules',
    );
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM notifications WHERE subject_id = $1`, [report.id]);
    expect(n).toBe(0);
  });
});

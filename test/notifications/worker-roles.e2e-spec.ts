import { DataSource } from 'typeorm';
import { AudienceRegistry, NotificationRuleRegistry } from '@app/notifications';
import { AnnouncementFanoutRunner } from '../../apps/worker/src/notifications/announcement-fanout.runner';
import { OutboxRelayService } from '../../apps/worker/src/outbox/outbox-relay.service';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { eventually, IsolatedEnv, isolatedEnv } from './notification-fixtures';

jest.setTimeout(120_000);

/**
 * The worker split as `npm start` and compose run it (WORKER_ROLE=main + WORKER_ROLE=bulk): the
 * bulk process knows every rule and audience the API knows (it walks audiences and renders
 * mails) but runs no outbox relay; the main one runs no fan-out; together they deliver an
 * announcement and a password reset.
 */
describe('worker roles', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let main: TestWorker;
  let bulk: TestWorker;
  const smtp = new SmtpCapture();
  let staff: Session;
  let town: TestMunicipality;
  const has = (w: TestWorker, token: unknown) => {
    try {
      w.app.get(token as never, { strict: false });
      return true;
    } catch {
      return false;
    }
  };

  beforeAll(async () => {
    env = await isolatedEnv('worker_roles', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100', NOTIFICATION_FANOUT_PAGE_SIZE: '3', NOTIFICATION_RATE_LIMITS: 'none' });
    t = await createTestApp({ env: env.env });
    main = await startTestWorker({ env: { ...env.env, WORKER_ROLE: 'main' } });
    bulk = await startTestWorker({ env: { ...env.env, WORKER_ROLE: 'bulk' } });
    const admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Splitville' });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
  });

  afterAll(async () => {
    await bulk?.close();
    await main?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  it('the bulk process knows every rule and audience the API knows, and runs only the bulk lane', () => {
    expect(bulk.app.get(AudienceRegistry).kinds().sort()).toEqual(t.app.get(AudienceRegistry).kinds().sort());
    expect(bulk.app.get(NotificationRuleRegistry).types().sort()).toEqual(t.app.get(NotificationRuleRegistry).types().sort());
    expect([has(bulk, AnnouncementFanoutRunner), has(bulk, OutboxRelayService)]).toEqual([true, false]);
    expect([has(main, AnnouncementFanoutRunner), has(main, OutboxRelayService)]).toEqual([false, true]);
  });

  it('main and bulk together deliver an announcement to every resident once, and a password reset', async () => {
    const residents: Session[] = [];
    for (let i = 0; i < 7; i++) residents.push(await createSession(t.http, { emailPrefix: `split-resident-${i}` }));
    for (const r of residents) await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${r.user.id}`)).expect(201);
    const subject = `Split ${Date.now()}`;
    const res = await staff
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/announcements`))
      .send({ audience: { kind: 'municipality.residents' }, title: { fr: subject, en: subject }, body: { fr: 'Corps', en: 'Body' }, channels: ['in_app', 'email'] })
      .expect(201);
    await t.http.post('/api/v1/auth/forgot-password').send({ email: residents[0].user.email }).expect(202);
    await eventually(async () => smtp.mails.filter((m) => m.subject.includes(subject)).length >= residents.length, 'every announcement mail', 60_000);
    await eventually(async () => smtp.mails.some((m) => m.to.includes(residents[0].user.email) && !m.subject.includes(subject)), 'the reset mail', 60_000);
    for (const r of residents) expect(smtp.mails.filter((m) => m.subject.includes(subject) && m.to.includes(r.user.email))).toHaveLength(1);
    const [row] = await t.app.get(DataSource).query(`SELECT status, jobs_queued_at IS NOT NULL AS started FROM announcements WHERE id = $1`, [res.body.id]);
    expect(row).toEqual({ status: 'sent', started: true });
  });
});

import { createTestApp, TestApp } from '../utils/create-test-app';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { SmtpCapture } from '../utils/smtp-capture';
import { LiveClient } from './live-client';

type Report = { id: string; version: number };

describe('live channel: triage presence and per-connection limits', () => {
  // A database, queue prefix and SMTP of the suite's own: its worker takes no other suite's jobs.
  let env: IsolatedEnv;
  const smtp = new SmtpCapture();
  let t: TestApp;
  let worker: TestWorker;
  let url: string;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let alpha: Session;
  let beta: Session;
  let otherStaff: Session;
  let citizen: Session;
  let category: { code: string };
  const clients: LiveClient[] = [];

  const connect = async (token?: string) => {
    const client = await LiveClient.connect(url, token);
    clients.push(client);
    return client;
  };
  const board = () => `municipality:${town.slug}:triage`;
  const file = (description = 'Presence pothole') => createReport(t.http, citizen.accessToken, town, category.code, { description }) as Promise<Report>;

  beforeAll(async () => {
    env = await isolatedEnv('presence_limits', { SMTP_URL: await smtp.start() });
    t = await createTestApp({ env: env.env, listen: true });
    url = t.url!;
    worker = await startTestWorker({ env: env.env });
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Claimtown' });
    other = await createMunicipality(t.http, admin.accessToken, { name: 'Othertown' });
    alpha = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Alpha' });
    beta = await memberSession(t.http, admin.accessToken, town.slug, ['admin'], { displayName: 'Agent Beta' });
    otherStaff = await memberSession(t.http, admin.accessToken, other.slug, ['staff']);
    citizen = await createSession(t.http);
    category = await createCategory(t.http, admin.accessToken, town.slug);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  describe('presence on the triage board', () => {
    it('lets one agent claim a report, tells the board, refuses a second claimer and shows the claim on the queue and staff view', async () => {
      const report = await file();
      const a = await connect(alpha.accessToken);
      const b = await connect(beta.accessToken);
      await a.mustSubscribe(board());
      await b.mustSubscribe(board());

      const claimed = (await a.request('claim', { reportId: report.id })) as { ok: boolean; claim: { expiresAt: string; claimedAt: string } };
      expect(claimed).toMatchObject({ ok: true, claim: { userId: alpha.user.id, name: 'Agent Alpha' } });
      const expiresIn = Date.parse(claimed.claim.expiresAt) - Date.now();
      expect(expiresIn).toBeGreaterThan(4 * 60_000);
      expect(expiresIn).toBeLessThanOrEqual(5 * 60_000);
      await expect(b.waitForPresence((p) => p.subjectId === report.id && p.action === 'claimed')).resolves.toMatchObject({
        topic: board(),
        by: { userId: alpha.user.id, name: 'Agent Alpha' },
      });

      const conflict = await b.request('claim', { reportId: report.id });
      expect(conflict).toMatchObject({ ok: false, error: { code: 'CLAIMED_BY_OTHER', meta: { claimedBy: { userId: alpha.user.id, name: 'Agent Alpha' } } } });
      expect((conflict as { error: { message: string } }).error.message).toContain('Agent Alpha');
      await expect(b.request('release', { reportId: report.id })).resolves.toMatchObject({ ok: false, error: { code: 'CLAIMED_BY_OTHER' } });

      // Claiming again renews it, keeping the original claim time.
      const renewed = await a.request('claim', { reportId: report.id });
      expect(renewed).toMatchObject({ ok: true, claim: { claimedAt: claimed.claim.claimedAt } });

      const staffView = await beta.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200);
      expect(staffView.body.staff.claimedBy).toMatchObject({ userId: alpha.user.id, name: 'Agent Alpha' });
      const queue = await beta.auth(t.http.get(`/api/v1/municipalities/${town.slug}/triage`)).expect(200);
      const row = (queue.body.items as Array<{ id: string; staff: { claimedBy: unknown } }>).find((r) => r.id === report.id);
      expect(row?.staff.claimedBy).toMatchObject({ userId: alpha.user.id });
      const publicView = await t.http.get(`/api/v1/reports/${report.id}`).expect(200);
      expect(publicView.body).not.toHaveProperty('staff');

      await expect(a.request('release', { reportId: report.id })).resolves.toEqual({ ok: true, released: true });
      await expect(b.waitForPresence((p) => p.subjectId === report.id && p.action === 'released')).resolves.toMatchObject({ by: { userId: alpha.user.id }, expiresAt: null });
      await expect(a.request('release', { reportId: report.id })).resolves.toEqual({ ok: true, released: false });
      await expect(b.request('claim', { reportId: report.id })).resolves.toMatchObject({ ok: true, claim: { userId: beta.user.id } });
      const after = await beta.auth(t.http.get(`/api/v1/reports/${report.id}`)).expect(200);
      expect(after.body.staff.claimedBy).toMatchObject({ userId: beta.user.id, name: 'Agent Beta' });
    });

    it('tells the board who is looking at a report', async () => {
      const report = await file();
      const a = await connect(alpha.accessToken);
      const b = await connect(beta.accessToken);
      await a.mustSubscribe(board());
      await b.mustSubscribe(board());
      await expect(a.request('viewing', { reportId: report.id })).resolves.toMatchObject({ ok: true, expiresAt: expect.any(String) });
      await expect(b.waitForPresence((p) => p.subjectId === report.id && p.action === 'viewing')).resolves.toMatchObject({ by: { name: 'Agent Alpha' } });
    });

    it('needs a triage board subscription, and keeps each municipality to its own board', async () => {
      const report = await file();
      const outsider = await connect(otherStaff.accessToken);
      await expect(outsider.request('claim', { reportId: report.id })).resolves.toMatchObject({ ok: false, error: { code: 'PRESENCE_TOPIC_REQUIRED' } });
      await expect(outsider.request('claim', { topic: board(), reportId: report.id })).resolves.toMatchObject({ ok: false, error: { code: 'NOT_SUBSCRIBED' } });
      await outsider.mustSubscribe(`municipality:${other.slug}:triage`);
      // A claim on its own board never blocks the report's own municipality.
      await expect(outsider.request('claim', { reportId: report.id })).resolves.toMatchObject({ ok: true });
      const a = await connect(alpha.accessToken);
      await a.mustSubscribe(board());
      await expect(a.request('claim', { reportId: report.id })).resolves.toMatchObject({ ok: true, claim: { userId: alpha.user.id } });

      const anonymous = await connect();
      await anonymous.mustSubscribe(`municipality:${town.slug}:reports`);
      await expect(anonymous.request('claim', { topic: `municipality:${town.slug}:reports`, reportId: report.id })).resolves.toMatchObject({
        ok: false,
        error: { code: 'PRESENCE_TOPIC_REQUIRED' },
      });
      await expect(a.request('claim', { reportId: 'not an id!' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    });
  });

  describe('limits', () => {
    it('refuses subscriptions beyond 50 per connection', async () => {
      const reports: Report[] = [];
      for (let i = 0; i < 51; i += 10) reports.push(...(await Promise.all(Array.from({ length: Math.min(10, 51 - i) }, () => file('Limit report')))));
      const client = await connect();
      for (const r of reports.slice(0, 50)) {
        await client.mustSubscribe(`report:${r.id}`);
        await new Promise((resolve) => setTimeout(resolve, 55)); // paced below the message rate, not a wait for an outcome
      }
      await expect(client.subscribe(`report:${reports[50].id}`)).resolves.toMatchObject({ ok: false, error: { code: 'TOO_MANY_SUBSCRIPTIONS' } });
      // Subscribing again to one it has is still fine, and unsubscribing frees a place.
      await expect(client.subscribe(`report:${reports[0].id}`)).resolves.toMatchObject({ ok: true });
      await expect(client.request('unsubscribe', { topic: `report:${reports[0].id}` })).resolves.toMatchObject({ ok: true });
      await expect(client.subscribe(`report:${reports[50].id}`)).resolves.toMatchObject({ ok: true });
    });

    it('tells a client that bursts a little to slow down, without cutting it off', async () => {
      const client = await connect();
      // 38 at once: over the burst of 20, under burst + the 20 refusals that would count as abuse,
      // whatever the pace a loaded machine sends them at. The exact token arithmetic is driven
      // by the clock in libs/realtime/src/limits/connection-limits.spec.ts.
      const acks = await Promise.all(Array.from({ length: 38 }, () => client.subscribe(`municipality:${town.slug}:reports`)));
      const refused = acks.filter((a) => !a.ok).map((a) => (a as { error: { code: string } }).error.code);
      expect(acks.filter((a) => a.ok).length).toBeGreaterThanOrEqual(20);
      expect(refused.length).toBeGreaterThanOrEqual(1);
      expect(new Set(refused)).toEqual(new Set(['RATE_LIMITED']));
      expect(client.socket.connected).toBe(true);
      // Tokens refill (about one every 50 ms): within a few seconds it is let through again.
      await eventually(async () => (await client.subscribe(`municipality:${town.slug}:reports`)).ok, 'a subscription after the burst', 5000);
    });

    it('disconnects a flooding client while a well-behaved one on the same instance keeps receiving', async () => {
      const calm = await connect();
      await calm.mustSubscribe(`municipality:${town.slug}:reports`);
      const flooder = await connect();
      const cutOff = new Promise<string>((resolve) => flooder.socket.once('disconnect', resolve));
      for (let i = 0; i < 500; i++) flooder.socket.emit('unsubscribe', { topic: 'report:x' });
      await expect(cutOff).resolves.toBe('io server disconnect');

      const report = await file('After the flood');
      await calm.waitForEvent((e) => e.type === 'report.created' && e.data.report?.id === report.id);
      expect(calm.socket.connected).toBe(true);
    });

    it('closes a connection that sends an oversized message, and only that one', async () => {
      const calm = await connect();
      await calm.mustSubscribe(`municipality:${town.slug}:reports`);
      const big = await connect();
      const cutOff = new Promise<string>((resolve) => big.socket.once('disconnect', resolve));
      big.socket.emit('subscribe', { topic: 'x'.repeat(20 * 1024) });
      await expect(cutOff).resolves.toBe('transport close');

      const report = await file('After the big message');
      await calm.waitForEvent((e) => e.type === 'report.created' && e.data.report?.id === report.id);
      expect(calm.socket.connected).toBe(true);
    });
  });
});

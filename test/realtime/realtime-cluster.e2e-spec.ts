import { createTestApp, TestApp } from '../utils/create-test-app';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { createSession, login, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { SmtpCapture } from '../utils/smtp-capture';
import { LiveClient, refusedConnection } from './live-client';

type Report = { id: string; version: number };

/**
 * Two API instances sharing Redis through the socket.io streams adapter, and one worker: an
 * event caused on one instance reaches clients of the other, and a client that drops recovers
 * what it missed — on the same instance or on the other one.
 */
describe('live updates across API instances', () => {
  // A database, queue prefix and SMTP of the suite's own: its worker takes no other suite's jobs.
  let env: IsolatedEnv;
  const smtp = new SmtpCapture();
  let a: TestApp;
  let b: TestApp;
  let worker: TestWorker;
  let admin: Session;
  let town: TestMunicipality;
  let staff: Session;
  let citizen: Session;
  let category: { code: string };
  const clients: LiveClient[] = [];

  const connect = async (url: string, token?: string, options: { reconnection?: boolean } = {}) => {
    const client = await LiveClient.connect(url, token, options);
    clients.push(client);
    return client;
  };
  const file = (via: TestApp, description = 'Cluster pothole') =>
    createReport(via.http, citizen.accessToken, town, category.code, { description }) as Promise<Report>;
  const feed = () => `municipality:${town.slug}:reports`;
  const created = (report: Report) => (e: { type: string; data: { report?: { id: string } } }) => e.type === 'report.created' && e.data.report?.id === report.id;

  beforeAll(async () => {
    env = await isolatedEnv('realtime_cluster', { SMTP_URL: await smtp.start() });
    [a, b] = await Promise.all([createTestApp({ env: env.env, listen: true }), createTestApp({ env: env.env, listen: true })]);
    worker = await startTestWorker({ env: env.env });
    admin = await platformAdminSession(a.http);
    town = await createMunicipality(a.http, admin.accessToken, { name: 'Twin towns' });
    staff = await memberSession(a.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Twin' });
    citizen = await createSession(a.http, { displayName: 'Clara Citizen' });
    category = await createCategory(a.http, admin.accessToken, town.slug);
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
  });
  afterAll(async () => {
    await worker?.close();
    await Promise.all([a?.close(), b?.close()]);
    await smtp.stop();
    await env?.teardown();
  });

  it('delivers an event caused through instance A to a client of instance B', async () => {
    const onB = await connect(b.url!);
    const onA = await connect(a.url!);
    await onB.mustSubscribe(feed());
    await onA.mustSubscribe(feed());
    const report = await file(a);
    const [fromB, fromA] = await Promise.all([onB.waitForEvent(created(report)), onA.waitForEvent(created(report))]);
    expect(fromB.id).toBe(fromA.id);
    expect(fromB.data).toEqual(fromA.data);
    // Exactly once per client, although two servers and a worker share the stream: a later
    // event reaching both clients comes after any duplicate of the first.
    const later = await file(b, 'Cluster pothole, later');
    await Promise.all([onB.waitForEvent(created(later)), onA.waitForEvent(created(later))]);
    expect(onB.eventsFor(report.id)).toHaveLength(1);
    expect(onA.eventsFor(report.id)).toHaveLength(1);
  });

  it('shares presence between staff on different instances', async () => {
    const report = await file(a);
    const agentA = await connect(a.url!, staff.accessToken);
    const colleague = await memberSession(a.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Other' });
    const agentB = await connect(b.url!, colleague.accessToken);
    await agentA.mustSubscribe(`municipality:${town.slug}:triage`);
    await agentB.mustSubscribe(`municipality:${town.slug}:triage`);
    await expect(agentA.request('claim', { reportId: report.id })).resolves.toMatchObject({ ok: true });
    await expect(agentB.waitForPresence((p) => p.subjectId === report.id && p.action === 'claimed')).resolves.toMatchObject({ by: { userId: staff.user.id, name: 'Agent Twin' } });
    await expect(agentB.request('claim', { reportId: report.id })).resolves.toMatchObject({ ok: false, error: { code: 'CLAIMED_BY_OTHER' } });
  });

  it('recovers what a client missed while it was away, on the same instance', async () => {
    const watcher = await connect(a.url!);
    const dropper = await connect(a.url!, citizen.accessToken);
    await watcher.mustSubscribe(feed());
    await dropper.mustSubscribe(feed());
    // Recovery starts from the last event received: get one first.
    const before = await file(a, 'Before the drop');
    await dropper.waitForEvent(created(before));

    const gone = new Promise<void>((resolve) => dropper.socket.once('disconnect', () => resolve()));
    dropper.socket.io.engine.close();
    await gone;
    const missed = await file(b, 'While away');
    await watcher.waitForEvent(created(missed));

    const back = new Promise<void>((resolve) => dropper.socket.once('connect', () => resolve()));
    dropper.socket.connect();
    await back;
    expect(dropper.socket.recovered).toBe(true);
    const recovered = await dropper.waitForEvent(created(missed));
    expect(recovered.topic).toBe(feed());
    // Its subscriptions came back too: later events keep arriving without subscribing again.
    const after = await file(a, 'After the return');
    await dropper.waitForEvent(created(after));
  });

  it('recovers missed events when the client comes back on the other instance', async () => {
    const dropper = await connect(a.url!, staff.accessToken);
    await dropper.mustSubscribe(feed());
    await dropper.mustSubscribe(`municipality:${town.slug}:triage`);
    const before = await file(a, 'Before moving');
    await dropper.waitFor(() => dropper.eventsFor(before.id).length === 2, 15_000, 'both copies of the first event');

    const gone = new Promise<void>((resolve) => dropper.socket.once('disconnect', () => resolve()));
    dropper.socket.io.engine.close();
    await gone;
    const watcher = await connect(b.url!);
    await watcher.mustSubscribe(feed());
    const missed = await file(a, 'Missed while moving');
    await watcher.waitForEvent(created(missed));

    dropper.retarget(b.url!);
    const back = new Promise<void>((resolve) => dropper.socket.once('connect', () => resolve()));
    dropper.socket.connect();
    await back;
    expect(dropper.socket.recovered).toBe(true);
    // Both the public and the staff copy of the missed event, from instance B's replay.
    await dropper.waitFor(() => dropper.eventsFor(missed.id).length === 2, 15_000, 'both copies of the missed event');
    expect(dropper.eventsFor(missed.id).map((e) => e.topic).sort()).toEqual([feed(), `municipality:${town.slug}:triage`]);
    // The recovered connection is still the staff member's: presence works on instance B.
    await expect(dropper.request('viewing', { reportId: missed.id })).resolves.toMatchObject({ ok: true });
  });

  it('does not let another person take over a dropped connection', async () => {
    const dropper = await connect(a.url!, staff.accessToken);
    await dropper.mustSubscribe(`municipality:${town.slug}:triage`);
    const before = await file(a, 'Before the takeover');
    await dropper.waitForEvent(created(before));
    const gone = new Promise<void>((resolve) => dropper.socket.once('disconnect', () => resolve()));
    dropper.socket.io.engine.close();
    await gone;

    // Same recovery id and offset, another person's token.
    dropper.socket.auth = { token: citizen.accessToken };
    const refused = new Promise<Error & { data?: { code: string } }>((resolve) => dropper.socket.once('connect_error', resolve));
    dropper.socket.connect();
    await expect(refused).resolves.toMatchObject({ data: { code: 'SESSION_MISMATCH' } });
  });

  it('lets a recovered anonymous connection come back signed in, keeping what it missed', async () => {
    const dropper = await connect(a.url!);
    await dropper.mustSubscribe(feed());
    const before = await file(a, 'Before signing in');
    await dropper.waitForEvent(created(before));
    const gone = new Promise<void>((resolve) => dropper.socket.once('disconnect', () => resolve()));
    dropper.socket.io.engine.close();
    await gone;
    const watcher = await connect(b.url!);
    await watcher.mustSubscribe(feed());
    const missed = await file(a, 'Missed before signing in');
    await watcher.waitForEvent(created(missed));

    dropper.socket.auth = { token: citizen.accessToken };
    dropper.retarget(b.url!);
    const back = new Promise<void>((resolve) => dropper.socket.once('connect', () => resolve()));
    dropper.socket.connect();
    await back;
    expect(dropper.socket.recovered).toBe(true);
    await dropper.waitForEvent((e) => e.topic === feed() && e.data.report?.id === missed.id);
    // Now signed in: the citizen's own topic was joined on the way back.
    const mine = await file(b, 'Mine after signing in');
    await dropper.waitForEvent((e) => e.topic === `user:${citizen.user.id}` && e.data.report?.id === mine.id);
  });

  it('disconnects the sockets of a session signed out through another instance, on every instance', async () => {
    const leaving = await memberSession(a.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Leaving' });
    const staying = await login(a.http, leaving.user.email, leaving.user.password);
    const onA = await connect(a.url!, leaving.accessToken);
    const onB = await connect(b.url!, leaving.accessToken);
    await onB.mustSubscribe(`municipality:${town.slug}:triage`);
    const otherSessionOnB = await connect(b.url!, staying.accessToken);

    await leaving.auth(a.http.post('/api/v1/auth/logout')).expect(204);
    expect(await onB.waitForDisconnect()).toBe('io server disconnect');
    expect(await onA.waitForDisconnect()).toBe('io server disconnect');
    expect((await refusedConnection(b.url!, leaving.accessToken)).data).toEqual({ code: 'SESSION_REVOKED' });
    // The other session still hears its own topic after the sign-out was handled everywhere.
    const own = (await createReport(b.http, staying.accessToken, town, category.code, { description: 'Filed by the staying session' })) as Report;
    await otherSessionOnB.waitForEvent((e) => e.topic === `user:${leaving.user.id}` && e.data.report?.id === own.id);
    expect(otherSessionOnB.socket.connected).toBe(true);
    expect(otherSessionOnB.disconnects).toEqual([]);
  });
});

import { JwtService } from '@nestjs/jwt';
import sharp from 'sharp';
import { DataSource } from 'typeorm';
import { DomainEvent } from '@app/common';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { bearer, createSession, login, platformAdminSession, Session } from '../utils/sessions';
import { createMunicipality, grantRoles, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { SmtpCapture, tokenFrom } from '../utils/smtp-capture';
import { NotificationsLiveConsumer } from '../../apps/worker/src/notifications/notifications-live.consumer';
import { ReportsRealtimeConsumer } from '../../libs/reports/src/realtime/reports-realtime.consumer';
import { eventually } from '../notifications/notification-fixtures';
import { LiveClient, refusedConnection } from './live-client';

type Report = { id: string; number: string; status: string; version: number };

/**
 * In a database and queue prefix of this suite's own, with its own SMTP capture: its worker must
 * not take (and fail) other suites' jobs, nor they its.
 */
describe('live updates over socket.io', () => {
  let env: IsolatedEnv;
  const smtp = new SmtpCapture();
  let t: TestApp;
  let worker: TestWorker;
  let url: string;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: Session;
  let otherStaff: Session;
  let citizen: Session;
  let category: { code: string };
  const clients: LiveClient[] = [];

  const connect = async (token?: string) => {
    const client = await LiveClient.connect(url, token);
    clients.push(client);
    return client;
  };
  const triage = (s: Session, id: string, body: Record<string, unknown>, version: number) =>
    s.auth(t.http.patch(`/api/v1/reports/${id}/triage`)).set('If-Match', `"${version}"`).send(body);
  const file = (by: Session = citizen, overrides: { anonymous?: boolean; description?: string } = {}) =>
    createReport(t.http, by.accessToken, town, category.code, overrides) as Promise<Report>;

  /** The same session's token, re-signed to expire in `seconds`. */
  const shortLived = (s: Session, seconds: number) => {
    const claims = JSON.parse(Buffer.from(s.accessToken.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
    return new JwtService({ secret: process.env.JWT_SECRET }).sign({ ...claims, exp: Math.floor(Date.now() / 1000) + seconds }, { algorithm: 'HS256' });
  };

  beforeAll(async () => {
    env = await isolatedEnv('realtime', { SMTP_URL: await smtp.start() });
    t = await createTestApp({ env: env.env, listen: true });
    url = t.url!;
    worker = await startTestWorker({ env: env.env });
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Liveville' });
    other = await createMunicipality(t.http, admin.accessToken, { name: 'Elsewhere' });
    staff = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Alpha' });
    otherStaff = await memberSession(t.http, admin.accessToken, other.slug, ['staff']);
    citizen = await createSession(t.http, { displayName: 'Rita Reporter' });
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

  describe('connecting', () => {
    it('lets an anonymous client follow public topics, and refuses the triage board with a reason', async () => {
      const client = await connect();
      await expect(client.subscribe(`municipality:${town.slug}:reports`)).resolves.toEqual({ ok: true, topic: `municipality:${town.slug}:reports`, presence: false });
      const report = await file();
      await expect(client.subscribe(`report:${report.id}`)).resolves.toMatchObject({ ok: true });
      await expect(client.subscribe(`municipality:${town.slug}:triage`)).resolves.toEqual({
        ok: false,
        error: { code: 'UNAUTHENTICATED', message: expect.stringMatching(/sign in/i), details: [] },
      });
    });

    it('refuses a bad token and an expired one with a clear connect error, never as anonymous', async () => {
      const garbage = await refusedConnection(url, 'not-a-jwt');
      expect(garbage.message).toBe('Invalid access token');
      expect(garbage.data).toEqual({ code: 'INVALID_TOKEN' });

      const forged = await refusedConnection(url, new JwtService({ secret: 'x'.repeat(40) }).sign({ sub: citizen.user.id, sid: citizen.user.id }));
      expect(forged.data).toEqual({ code: 'INVALID_TOKEN' });

      const claims = JSON.parse(Buffer.from(citizen.accessToken.split('.')[1], 'base64url').toString('utf8')) as { sub: string; sid: string };
      const expiredToken = new JwtService({ secret: process.env.JWT_SECRET }).sign(
        { sub: claims.sub, sid: claims.sid, iat: Math.floor(Date.now() / 1000) - 3600, exp: Math.floor(Date.now() / 1000) - 60 },
        { algorithm: 'HS256' },
      );
      const expired = await refusedConnection(url, expiredToken);
      expect(expired.message).toBe('Access token expired');
      expect(expired.data).toEqual({ code: 'TOKEN_EXPIRED' });
    });

    it('refuses a token whose session was signed out', async () => {
      const s = await createSession(t.http);
      await s.auth(t.http.post('/api/v1/auth/logout')).send({ refreshToken: s.refreshToken }).expect(204);
      const refused = await refusedConnection(url, s.accessToken);
      expect(refused.data).toEqual({ code: 'SESSION_REVOKED' });
    });

    it('answers malformed and unknown topics with their own codes', async () => {
      const client = await connect();
      await expect(client.subscribe('report:not a topic')).resolves.toMatchObject({ ok: false, error: { code: 'TOPIC_INVALID' } });
      await expect(client.subscribe('planet:123')).resolves.toMatchObject({ ok: false, error: { code: 'TOPIC_UNKNOWN' } });
      await expect(client.subscribe('report:00000000-0000-4000-8000-000000000000')).resolves.toMatchObject({ ok: false, error: { code: 'REPORT_NOT_FOUND' } });
      await expect(client.subscribe('municipality:no-such-town:reports')).resolves.toMatchObject({ ok: false, error: { code: 'MUNICIPALITY_NOT_FOUND' } });
      await expect(client.request('subscribe', { topic: 'report:x', extra: 1 })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
      await expect(client.request('subscribe', 'report:x')).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_MESSAGE' } });
    });

    it("refuses staff of another municipality the triage board, and someone else's user topic", async () => {
      const client = await connect(otherStaff.accessToken);
      await expect(client.subscribe(`municipality:${town.slug}:triage`)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      await expect(client.subscribe(`municipality:${other.slug}:triage`)).resolves.toMatchObject({ ok: true, presence: true });
      await expect(client.subscribe(`user:${citizen.user.id}`)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      await expect(client.subscribe(`user:${otherStaff.user.id}`)).resolves.toMatchObject({ ok: true });
    });
  });

  describe('events after commit', () => {
    it('gives the map feed the public view and the triage board the staff view', async () => {
      const anonymous = await connect();
      await anonymous.mustSubscribe(`municipality:${town.slug}:reports`);
      const board = await connect(staff.accessToken);
      await board.mustSubscribe(`municipality:${town.slug}:triage`);

      const report = await file(citizen, { anonymous: true, description: 'Anonymous pothole' });

      const pub = await anonymous.waitForEvent((e) => e.type === 'report.created' && e.data.report?.id === report.id);
      expect(pub).toMatchObject({ topic: `municipality:${town.slug}:reports`, data: { report: { id: report.id, status: 'new', reporterName: null, isMine: false } } });
      expect(pub.id).toMatch(/^\d+$/);
      expect(new Date(pub.occurredAt).toISOString()).toBe(pub.occurredAt);
      expect(pub.data.report).not.toHaveProperty('staff');
      expect(pub.data.report).not.toHaveProperty('attributes');
      expect(JSON.stringify(pub)).not.toContain('Rita Reporter');
      expect(JSON.stringify(pub)).not.toContain(citizen.user.email);

      const staffCopy = await board.waitForEvent((e) => e.type === 'report.created' && e.data.report?.id === report.id);
      expect(staffCopy.id).toBe(pub.id);
      expect(staffCopy.topic).toBe(`municipality:${town.slug}:triage`);
      expect(staffCopy.data.report.staff).toMatchObject({ reporter: { id: citizen.user.id, name: 'Rita Reporter' }, anonymous: true, claimedBy: null });

      // The same as the REST API gives each audience.
      const restPublic = await t.http.get(`/api/v1/reports/${report.id}`).expect(200);
      expect(pub.data.report).toEqual(restPublic.body);
    });

    it("tells the reporter on their own topic when their report's status changes, and not other citizens", async () => {
      const mine = await connect(citizen.accessToken);
      const stranger = await connect((await createSession(t.http)).accessToken);
      const report = await file();
      await mine.waitForEvent((e) => e.type === 'report.created' && e.data.report?.id === report.id);
      expect(mine.eventsFor(report.id)[0]).toMatchObject({ topic: `user:${citizen.user.id}`, data: { report: { isMine: true } } });

      await triage(staff, report.id, { status: 'acknowledged' }, report.version).expect(200);
      const changed = await mine.waitForEvent((e) => e.type === 'report.status_changed' && e.data.report?.id === report.id);
      expect(changed).toMatchObject({ topic: `user:${citizen.user.id}`, data: { report: { status: 'acknowledged', isMine: true } } });
      expect(changed.data.report).not.toHaveProperty('staff');
      expect(stranger.events.filter((e) => e.data.report)).toEqual([]);
    });

    it('gives each audience its own view of every report when the events come as one batch', async () => {
      const second = await createSession(t.http, { displayName: 'Sam Second' });
      const [a, b] = [await file(citizen), await file(second)];
      const mineA = await connect(citizen.accessToken);
      const mineB = await connect(second.accessToken);
      const anonymous = await connect();
      await anonymous.mustSubscribe(`municipality:${town.slug}:reports`);
      const board = await connect(staff.accessToken);
      await board.mustSubscribe(`municipality:${town.slug}:triage`);
      // Both reports' events in one transaction (a bulk triage): the consumer may take them as one batch.
      await staff
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/triage/bulk`))
        .send({ items: [a, b].map(({ id, version }) => ({ id, version })), changes: { status: 'acknowledged' } })
        .expect(200);
      for (const [client, own, report] of [
        [mineA, citizen, a],
        [mineB, second, b],
      ] as const) {
        const changed = await client.waitForEvent((e) => e.type === 'report.status_changed' && e.data.report?.id === report.id);
        expect(changed).toMatchObject({ topic: `user:${own.user.id}`, data: { report: { id: report.id, status: 'acknowledged', isMine: true } } });
        // Nobody hears of the other's report on their own topic.
        expect(client.events.filter((e) => e.topic === `user:${own.user.id}` && e.data.report && e.data.report.id !== report.id && e.type === 'report.status_changed')).toEqual([]);
        const pub = await anonymous.waitForEvent((e) => e.type === 'report.status_changed' && e.data.report?.id === report.id);
        expect(pub.data.report).toEqual((await t.http.get(`/api/v1/reports/${report.id}`).expect(200)).body);
        const staffCopy = await board.waitForEvent((e) => e.type === 'report.status_changed' && e.data.report?.id === report.id);
        expect(staffCopy.data.report.staff).toMatchObject({ reporter: { id: own.user.id } });
      }
      // The consumer handed both events at once (as when they wait together): each audience's
      // messages again, under the same ids, with the same views.
      const rows: Array<{ id: string; type: string; occurred_at: Date; aggregate_type: string; aggregate_id: string; municipality_id: string; actor_id: string; payload: Record<string, unknown> }> =
        await t.app
          .get(DataSource)
          .query(`SELECT id, type, occurred_at, aggregate_type, aggregate_id, municipality_id, actor_id, payload FROM outbox_events WHERE type = 'report.status_changed' AND aggregate_id = ANY($1) ORDER BY id`, [[a.id, b.id]]);
      expect(rows).toHaveLength(2);
      const before = { a: mineA.events.length, b: mineB.events.length, pub: anonymous.events.length, board: board.events.length };
      const consumer = worker.app.get(ReportsRealtimeConsumer, { strict: false });
      await worker.app.get(DataSource).transaction((manager) =>
        consumer.handleBatch(
          rows.map((r) => ({ id: String(r.id), type: r.type, occurredAt: r.occurred_at, aggregateType: r.aggregate_type, aggregateId: r.aggregate_id, municipalityId: r.municipality_id, actorId: r.actor_id, payload: r.payload }) as DomainEvent),
          manager,
        ),
      );
      const again = (client: LiveClient, from: number, n: number) => eventually(async () => client.events.length >= from + n, 'the batch messages', 10_000).then(() => client.events.slice(from));
      const [ownA, ownB, pubs, boards] = await Promise.all([again(mineA, before.a, 1), again(mineB, before.b, 1), again(anonymous, before.pub, 2), again(board, before.board, 2)]);
      expect(ownA.map((e) => [e.topic, e.data.report.id, e.data.report.isMine])).toEqual([[`user:${citizen.user.id}`, a.id, true]]);
      expect(ownB.map((e) => [e.topic, e.data.report.id, e.data.report.isMine])).toEqual([[`user:${second.user.id}`, b.id, true]]);
      // In the events' order, each with its own event's id.
      const reporterOf = (reportId: string) => (reportId === a.id ? citizen.user.id : second.user.id);
      expect(pubs.map((e) => [e.id, e.data.report.id])).toEqual(rows.map((r) => [String(r.id), r.aggregate_id]));
      expect(boards.map((e) => (e.data.report.staff as { reporter: { id: string } }).reporter.id)).toEqual(rows.map((r) => reporterOf(r.aggregate_id)));
    });

    it('sends each in-app notification of a batch of events to its own recipient, several events read at once', async () => {
      const second = await createSession(t.http, { displayName: 'Nina Next', locale: 'en' });
      const [a, b] = [await file(citizen), await file(second)];
      const inboxA = await connect(citizen.accessToken);
      const inboxB = await connect(second.accessToken);
      await staff
        .auth(t.http.post(`/api/v1/municipalities/${town.slug}/triage/bulk`))
        .send({ items: [a, b].map(({ id, version }) => ({ id, version })), changes: { status: 'acknowledged' } })
        .expect(200);
      const db = t.app.get(DataSource);
      const stored = async (who: Session) =>
        (await db.query(`SELECT id FROM notifications WHERE user_id = $1 AND subject_id = ANY($2) AND in_app`, [who.user.id, [a.id, b.id]])).map((r: { id: string }) => r.id);
      const [mineA, mineB] = [await eventually(() => stored(citizen).then((x) => (x.length ? x : null)), 'A notified'), await eventually(() => stored(second).then((x) => (x.length ? x : null)), 'B notified')];
      const created = await eventually(async () => {
        const rows: Array<{ id: string; occurred_at: Date; payload: { notifications: Array<{ notificationId: string }> } }> = await db.query(
          `SELECT id, occurred_at, payload FROM outbox_events WHERE type = 'notification.created' AND payload->'notifications' @> ANY(ARRAY[$1::jsonb, $2::jsonb]) ORDER BY id`,
          [JSON.stringify([{ notificationId: mineA[0] }]), JSON.stringify([{ notificationId: mineB[0] }])],
        );
        return rows.length >= 2 ? rows : null;
      }, 'both notification.created events');
      await eventually(async () => inboxA.events.some((e) => e.id === mineA[0]) && inboxB.events.some((e) => e.id === mineB[0]), 'the live in-app messages');
      // Both events at once, as when they wait together: one read for the two lists.
      const [fromA, fromB] = [inboxA.events.length, inboxB.events.length];
      const consumer = worker.app.get(NotificationsLiveConsumer, { strict: false });
      await consumer.handleBatch(created.map((r) => ({ id: String(r.id), type: 'notification.created', occurredAt: r.occurred_at, aggregateType: 'notification', aggregateId: '', municipalityId: town.id, actorId: null, payload: r.payload }) as unknown as DomainEvent));
      await eventually(async () => inboxA.events.length > fromA && inboxB.events.length > fromB, 'the batch messages', 10_000);
      const [gotA, gotB] = [inboxA.events.slice(fromA), inboxB.events.slice(fromB)];
      expect(gotA.map((e) => [e.topic, e.id])).toEqual(mineA.map((id: string) => [`user:${citizen.user.id}`, id]));
      expect(gotB.map((e) => [e.topic, e.id])).toEqual(mineB.map((id: string) => [`user:${second.user.id}`, id]));
      // Each in the recipient's own language.
      const inbox = async (who: Session) => (await who.auth(t.http.get('/api/v1/me/notifications')).expect(200)).body.items as Array<{ id: string }>;
      expect(gotB[0].data).toEqual((await inbox(second)).find((n) => n.id === mineB[0]));
      expect(gotA[0].data).toEqual((await inbox(citizen)).find((n) => n.id === mineA[0]));
    });

    it('shows a photo added to a report to those following it live, with the views they are entitled to', async () => {
      const report = await file();
      const watcher = await connect();
      await watcher.mustSubscribe(`report:${report.id}`);
      const board = await connect(staff.accessToken);
      await board.mustSubscribe(`municipality:${town.slug}:triage`);
      const photo = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#336699' } }).jpeg().toBuffer();
      await citizen
        .auth(t.http.post(`/api/v1/reports/${report.id}/photos`))
        .attach('photo', photo, { filename: 'pothole.jpg', contentType: 'image/jpeg' })
        .expect(201);
      const seen = await watcher.waitForEvent((e) => e.type === 'report.photos_changed' && e.data.report?.id === report.id);
      expect(seen.data.report).toMatchObject({ photoCount: 1, photos: [expect.objectContaining({ id: expect.any(String) })] });
      expect(seen.data.report).not.toHaveProperty('staff');
      const staffSeen = await board.waitForEvent((e) => e.type === 'report.photos_changed' && e.data.report?.id === report.id);
      expect(staffSeen.data.report).toMatchObject({ photoCount: 1, staff: expect.any(Object) });
    });

    it('emits nothing for a change that rolled back', async () => {
      const board = await connect(staff.accessToken);
      await board.mustSubscribe(`municipality:${town.slug}:triage`);
      const report = await file();
      await board.waitForEvent((e) => e.type === 'report.created' && e.data.report?.id === report.id);

      // new → closed is illegal for a problem: 409, the transaction rolls back with its outbox row.
      await triage(staff, report.id, { status: 'closed' }, report.version).expect(409);
      // An invalid filing rolls back too: nothing is created, nothing announced.
      await t.http
        .post(`/api/v1/municipalities/${town.slug}/reports`)
        .set('Authorization', `Bearer ${citizen.accessToken}`)
        .send({ kind: 'problem', categoryCode: 'no-such-category', description: 'Rolled back report', location: { lat: town.center[1], lng: town.center[0] } })
        .expect(422);

      // A later, committed change does arrive — and is the only status change of the report.
      await triage(staff, report.id, { status: 'acknowledged' }, report.version).expect(200);
      await board.waitForEvent((e) => e.type === 'report.status_changed' && e.data.report?.id === report.id);
      const changes = board.eventsFor(report.id).filter((e) => e.type === 'report.status_changed');
      expect(changes.map((e) => e.data.report.status)).toEqual(['acknowledged']);
      expect(board.events.some((e) => e.data.report?.description === 'Rolled back report')).toBe(false);
    });

    it('keeps internal updates and triage details on the staff board only', async () => {
      const follower = await connect();
      const board = await connect(staff.accessToken);
      const mine = await connect(citizen.accessToken);
      const report = await file();
      await follower.mustSubscribe(`report:${report.id}`);
      await board.mustSubscribe(`municipality:${town.slug}:triage`);

      await staff.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'Internal: ask the roads team', visibility: 'internal' }).expect(201);
      await triage(staff, report.id, { priority: 'urgent' }, report.version).expect(200);
      await staff.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'We are on it', visibility: 'public' }).expect(201);

      const publicUpdate = await follower.waitForEvent((e) => e.type === 'report.updated');
      expect(publicUpdate).toMatchObject({ topic: `report:${report.id}`, data: { update: { visibility: 'public', message: 'We are on it' } } });
      await mine.waitForEvent((e) => e.type === 'report.updated' && e.data.report?.id === report.id);
      await board.waitFor(() => board.eventsFor(report.id).filter((e) => e.type === 'report.updated').length === 2, 15_000, 'both updates on the board');
      await board.waitForEvent((e) => e.type === 'report.triaged' && e.data.report?.id === report.id && e.data.report.staff?.priority === 'urgent');

      for (const client of [follower, mine]) {
        expect(JSON.stringify(client.events)).not.toContain('Internal: ask the roads team');
        expect(client.events.some((e) => e.type === 'report.triaged' || e.type === 'report.assigned')).toBe(false);
      }
    });
  });

  describe('when the session ends', () => {
    /** Report events reach `user:{id}` of the reporter: proof that a socket still hears its private topic. */
    const hearsOwnTopic = async (client: LiveClient, reporter: Session) => {
      const report = await file(reporter);
      await client.waitForEvent((e) => e.topic === `user:${reporter.user.id}` && e.data.report?.id === report.id);
    };

    it("disconnects the sign-out session's sockets, private and staff topics with them, and refuses that token afterwards", async () => {
      const person = await memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Leaving' });
      const elsewhere = await login(t.http, person.user.email, person.user.password);
      const board = await connect(person.accessToken);
      await board.mustSubscribe(`municipality:${town.slug}:triage`);
      const second = await connect(person.accessToken);
      const otherDevice = await connect(elsewhere.accessToken);
      await hearsOwnTopic(board, person);

      await person.auth(t.http.post('/api/v1/auth/logout')).expect(204);
      expect(await board.waitForDisconnect()).toBe('io server disconnect');
      expect(await second.waitForDisconnect()).toBe('io server disconnect');
      const refused = await refusedConnection(url, person.accessToken);
      expect(refused.data).toEqual({ code: 'SESSION_REVOKED' });

      // Another session of the same person is not signed out, and keeps hearing its topic.
      await hearsOwnTopic(otherDevice, { ...person, ...elsewhere, auth: bearer(elsewhere.accessToken) });
      expect(otherDevice.disconnects).toEqual([]);
      expect(otherDevice.socket.connected).toBe(true);
    });

    it('disconnects a connection that moved to a new session when that one ends, not when the old one does', async () => {
      const s = await createSession(t.http);
      const fresh = await login(t.http, s.user.email, s.user.password);
      const client = await connect(s.accessToken);
      await expect(client.request('authenticate', { token: fresh.accessToken })).resolves.toMatchObject({ ok: true });
      // A socket that stayed on the old session: its disconnection shows the sign-out was handled.
      const stayedOnOld = await connect(s.accessToken);
      await s.auth(t.http.post('/api/v1/auth/logout')).expect(204);
      expect(await stayedOnOld.waitForDisconnect()).toBe('io server disconnect');
      expect(client.socket.connected).toBe(true);
      await bearer(fresh.accessToken)(t.http.post('/api/v1/auth/logout')).expect(204);
      expect(await client.waitForDisconnect()).toBe('io server disconnect');
    });

    it('disconnects every socket of a person who reset their password, on every session', async () => {
      const s = await createSession(t.http, { locale: 'en' });
      const other = await login(t.http, s.user.email, s.user.password);
      const clientsOfPerson = [await connect(s.accessToken), await connect(other.accessToken)];
      const stranger = await connect(citizen.accessToken);
      await t.http.post('/api/v1/auth/forgot-password').send({ email: s.user.email }).expect(202);
      const mail = await smtp.waitFor((m) => m.to.includes(s.user.email) && /Reset your password/.test(m.subject), 20_000);
      await t.http.post('/api/v1/auth/reset-password').send({ token: tokenFrom(mail), password: 'Brand-new-harbour-password-8' }).expect(204);
      for (const client of clientsOfPerson) expect(await client.waitForDisconnect()).toBe('io server disconnect');
      expect(stranger.socket.connected).toBe(true);
      expect((await refusedConnection(url, other.accessToken)).data).toEqual({ code: 'SESSION_REVOKED' });
    });

    it('disconnects every socket of a person whose account is deleted (signed out everywhere)', async () => {
      const s = await createSession(t.http);
      const other = await login(t.http, s.user.email, s.user.password);
      const clientsOfPerson = [await connect(s.accessToken), await connect(other.accessToken)];
      const stranger = await connect(citizen.accessToken);
      await s.auth(t.http.delete('/api/v1/me')).send({ password: s.user.password }).expect(204);
      for (const client of clientsOfPerson) expect(await client.waitForDisconnect()).toBe('io server disconnect');
      expect(stranger.socket.connected).toBe(true);
      expect((await refusedConnection(url, other.accessToken)).data).toEqual({ code: 'SESSION_REVOKED' });
    });

    it('still disconnects a session revoked while no announcement could reach the instance', async () => {
      const s = await createSession(t.http);
      const client = await connect(s.accessToken);
      const db = t.app.get(DataSource);
      const sid = (JSON.parse(Buffer.from(s.accessToken.split('.')[1], 'base64url').toString('utf8')) as { sid: string }).sid;
      // Revoked without the trigger's announcement (replica mode skips triggers, for this transaction only).
      await db.transaction(async (manager) => {
        await manager.query(`SET LOCAL session_replication_role = replica`);
        await manager.query(`UPDATE auth_sessions SET revoked_at = now(), revoked_reason = 'logout' WHERE id = $1`, [sid]);
      });
      // A sign-out committed after it, announced: once its socket is gone, the instance has
      // handled every announcement up to then, and the silent revocation was not among them.
      const later = await createSession(t.http);
      const laterClient = await connect(later.accessToken);
      await later.auth(t.http.post('/api/v1/auth/logout')).expect(204);
      expect(await laterClient.waitForDisconnect()).toBe('io server disconnect');
      expect(client.socket.connected).toBe(true);
      // The instances' listening connections drop; reconnected, each checks the sessions of its sockets.
      await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'civic-session-revocations' AND datname = current_database()`);
      expect(await client.waitForDisconnect()).toBe('io server disconnect');
    });
  });

  describe('roles changing under an open connection', () => {
    it('takes a staff member off the triage board as soon as the role is taken away, and keeps their own topic', async () => {
      const agent = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
      const client = await connect(agent.accessToken);
      await client.mustSubscribe(`municipality:${town.slug}:triage`);
      await grantRoles(t.http, admin.accessToken, town.slug, agent.user.id, []);
      await client.waitFor(() => client.unsubscribed.length === 1, 10_000, 'an unsubscribed notice');
      expect(client.unsubscribed).toEqual([{ topic: `municipality:${town.slug}:triage`, error: { code: 'FORBIDDEN', message: expect.any(String) } }]);
      await client.mustSubscribe(`municipality:${town.slug}:reports`);
      const board = await connect(staff.accessToken);
      await board.mustSubscribe(`municipality:${town.slug}:triage`);
      const report = await file();
      // Heard on the public feed by this socket, and on the board by a colleague: a triage event
      // for this socket would have come with them.
      await client.waitForEvent((e) => e.topic === `municipality:${town.slug}:reports` && e.data.report?.id === report.id);
      await board.waitForEvent((e) => e.topic === `municipality:${town.slug}:triage` && e.data.report?.id === report.id);
      expect(client.eventsFor(report.id).map((e) => e.topic)).toEqual([`municipality:${town.slug}:reports`]);
      await expect(client.subscribe(`municipality:${town.slug}:triage`)).resolves.toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
      expect(client.socket.connected).toBe(true);
    });

    it('re-checks every signed-in socket when announcements may have been missed', async () => {
      const agent = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
      const client = await connect(agent.accessToken);
      await client.mustSubscribe(`municipality:${town.slug}:triage`);
      const db = t.app.get(DataSource);
      // The role goes without the trigger's announcement (replica mode skips triggers, for this transaction only)…
      await db.transaction(async (manager) => {
        await manager.query(`SET LOCAL session_replication_role = replica`);
        await manager.query(`DELETE FROM municipality_members WHERE user_id = $1`, [agent.user.id]);
      });
      // A role taken away after it, announced: once that socket hears, the instance has handled
      // every announcement up to then, and the silent change was not among them.
      const witness = await memberSession(t.http, admin.accessToken, town.slug, ['staff']);
      const witnessClient = await connect(witness.accessToken);
      await witnessClient.mustSubscribe(`municipality:${town.slug}:triage`);
      await grantRoles(t.http, admin.accessToken, town.slug, witness.user.id, []);
      await witnessClient.waitFor(() => witnessClient.unsubscribed.length === 1, 10_000, "the witness's unsubscribed notice");
      expect(client.unsubscribed).toEqual([]);
      // …and is noticed once the instance's listening connection comes back.
      await db.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'civic-principal-changes' AND datname = current_database()`);
      await client.waitFor(() => client.unsubscribed.length === 1, 10_000, 'an unsubscribed notice');
      expect(client.unsubscribed[0]).toMatchObject({ topic: `municipality:${town.slug}:triage`, error: { code: 'FORBIDDEN' } });
    });
  });

  describe('token lifetime', () => {
    it('drops the private topics when the token expires, and keeps the public ones', async () => {
      // Four seconds: time enough to connect and subscribe on a loaded machine before it expires.
      const client = await connect(shortLived(staff, 4));
      await client.mustSubscribe(`municipality:${town.slug}:triage`);
      await client.mustSubscribe(`municipality:${town.slug}:reports`);
      await client.waitFor(() => client.unsubscribed.length === 2, 10_000, 'two unsubscribed notices');
      expect(client.unsubscribed.map((u) => [u.topic, u.error.code]).sort()).toEqual([
        [`municipality:${town.slug}:triage`, 'TOKEN_EXPIRED'],
        [`user:${staff.user.id}`, 'TOKEN_EXPIRED'],
      ]);
      const board = await connect(staff.accessToken);
      await board.mustSubscribe(`municipality:${town.slug}:triage`);
      const report = await file();
      await client.waitForEvent((e) => e.type === 'report.created' && e.data.report?.id === report.id);
      await board.waitForEvent((e) => e.topic === `municipality:${town.slug}:triage` && e.data.report?.id === report.id);
      expect(client.eventsFor(report.id).map((e) => e.topic)).toEqual([`municipality:${town.slug}:reports`]);
      // Presence needs the staff identity it no longer has.
      await expect(client.request('claim', { reportId: report.id })).resolves.toMatchObject({ ok: false, error: { code: 'PRESENCE_TOPIC_REQUIRED' } });
    });

    it('keeps a connection signed in when the client sends a refreshed token in time', async () => {
      const client = await connect(shortLived(staff, 4));
      await client.mustSubscribe(`municipality:${town.slug}:triage`);
      // A second connection with a token of the same lifetime, not renewed: its expiry is the
      // signal that the first one's old token has expired too.
      const unrenewed = await connect(shortLived(staff, 4));
      await unrenewed.mustSubscribe(`municipality:${town.slug}:triage`);
      const renewed = await client.request('authenticate', { token: staff.accessToken });
      expect(renewed).toMatchObject({ ok: true, expiresAt: expect.any(String) });
      expect(Date.parse((renewed as unknown as { expiresAt: string }).expiresAt)).toBeGreaterThan(Date.now() + 60_000);
      await unrenewed.waitFor(() => unrenewed.unsubscribed.length === 2, 15_000, 'the unrenewed token to expire');
      expect(client.unsubscribed).toEqual([]);
      const report = await file();
      await client.waitForEvent((e) => e.topic === `municipality:${town.slug}:triage` && e.data.report?.id === report.id);
    });

    it('lets an anonymous connection sign in, but never become someone else', async () => {
      const client = await connect();
      await expect(client.request('authenticate', { token: citizen.accessToken })).resolves.toMatchObject({ ok: true });
      const report = await file();
      await client.waitForEvent((e) => e.topic === `user:${citizen.user.id}` && e.data.report?.id === report.id);
      await expect(client.request('authenticate', { token: staff.accessToken })).resolves.toMatchObject({ ok: false, error: { code: 'SESSION_MISMATCH' } });
      await expect(client.request('authenticate', { token: 'garbage' })).resolves.toMatchObject({ ok: false, error: { code: 'INVALID_TOKEN' } });
    });
  });
});

import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createCategory, createReport } from '../factories/report.factory';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createPanel, smallPanelBody } from '../factories/panel.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { CapturedMail, SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { LiveClient } from '../realtime/live-client';
import { eventually, IsolatedEnv, isolatedEnv } from './notification-fixtures';

jest.setTimeout(90_000);

const body = (overrides: Record<string, unknown> = {}) => ({
  audience: { kind: 'municipality.residents' },
  title: { fr: 'Le vote est ouvert', en: 'Voting is open' },
  body: { fr: 'Votez pour les projets de votre quartier.', en: 'Vote for the projects of your neighbourhood.' },
  channels: ['in_app', 'email'],
  ...overrides,
});

/**
 * Staff announcements end to end: the real API and worker (in-process) on a database and queue
 * prefix of their own and a real SMTP capture; every kind of viewer and hostile input.
 */
describe('announcements', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let db: DataSource;
  const smtp = new SmtpCapture();
  let platform: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: Session;
  let townAdmin: Session;
  let otherStaff: Session;
  let citizen: Session;
  let erased: Session;
  let residents: Session[];
  let digestResident: Session;
  let emailOffResident: Session;

  const url = (slug = town.slug) => `/api/v1/municipalities/${slug}/announcements`;
  const mailsTo = (s: Session, subject?: string) => smtp.mails.filter((m: CapturedMail) => m.to.includes(s.user.email) && (!subject || m.subject.includes(subject)));

  beforeAll(async () => {
    env = await isolatedEnv('announcements', {
      SMTP_URL: await smtp.start(),
      NOTIFICATION_DISPATCH_MS: '100',
      NOTIFICATION_SWEEP_MS: '1000',
      NOTIFICATION_SEND_TIMEOUT_MS: '3000',
      NOTIFICATION_FANOUT_PAGE_SIZE: '2',
    });
    t = await createTestApp({ env: env.env, listen: true });
    db = t.app.get(DataSource);
    worker = await startTestWorker({ env: env.env });
    platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Annonceville' });
    other = await createMunicipality(t.http, platform.accessToken, { name: 'Elsewhere' });
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    townAdmin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    otherStaff = await memberSession(t.http, platform.accessToken, other.slug, ['staff']);
    citizen = await createSession(t.http, { emailPrefix: 'ann-citizen' });
    erased = await memberSession(t.http, platform.accessToken, town.slug, ['staff'], { emailPrefix: 'ann-erased' });
    residents = [];
    for (let i = 0; i < 5; i++) residents.push(await createSession(t.http, { emailPrefix: `ann-resident-${i}` }));
    [digestResident, emailOffResident] = residents.slice(3);
    for (const r of residents) await staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${r.user.id}`)).expect(201);
    await digestResident.auth(t.http.put('/api/v1/me/notification-preferences')).send({ emailMode: 'daily_digest' }).expect(200);
    await emailOffResident
      .auth(t.http.put('/api/v1/me/notification-preferences'))
      .send({ preferences: [{ type: 'announcement.published', channel: 'email', enabled: false }] })
      .expect(200);
    await erased.auth(t.http.delete('/api/v1/me')).send({ password: erased.user.password }).expect(204);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  describe('who may', () => {
    const who: Array<[string, () => Session | undefined, number, string]> = [
      ['nobody signed in', () => undefined, 401, 'UNAUTHENTICATED'],
      ['a citizen', () => citizen, 403, 'FORBIDDEN'],
      ['staff of another town', () => otherStaff, 403, 'FORBIDDEN'],
      ['an erased account (staff of the town before)', () => erased, 401, 'SESSION_REVOKED'],
    ];
    it.each(who)('%s cannot preview, send, list, read or cancel', async (_, session, status, code) => {
      const s = session();
      const call = (req: ReturnType<TestApp['http']['get']>) => (s ? s.auth(req) : req);
      const [any] = (await db.query(`SELECT id FROM announcements LIMIT 1`)) as Array<{ id: string }>;
      const id = any?.id ?? randomUUID();
      const before = Number((await db.query(`SELECT count(*) AS n FROM announcements`))[0].n);
      for (const res of [
        await call(t.http.post(`${url()}/preview`)).send({ audience: { kind: 'municipality.residents' } }),
        await call(t.http.get(`${url()}/audiences`)),
        await call(t.http.post(url())).send(body()),
        await call(t.http.get(url())),
        await call(t.http.get(`${url()}/${id}`)),
        await call(t.http.post(`${url()}/${id}/cancel`)),
      ]) {
        expect([res.status, res.body.code]).toEqual([status, code]);
      }
      expect(Number((await db.query(`SELECT count(*) AS n FROM announcements`))[0].n)).toBe(before);
    });

    it('an unknown town answers 404', async () => {
      const res = await staff.auth(t.http.post(`${url('no-such-town')}/preview`)).send({ audience: { kind: 'municipality.residents' } }).expect(404);
      expect(res.body.code).toBe('MUNICIPALITY_NOT_FOUND');
    });
  });

  describe('hostile input', () => {
    it.each([
      ['an unknown field', body({ sneaky: true }), 400, 'VALIDATION_FAILED'],
      ['no title', { ...body(), title: undefined }, 400, 'VALIDATION_FAILED'],
      ['an empty English body', body({ body: { fr: 'x', en: '' } }), 400, 'VALIDATION_FAILED'],
      ['a title too long', body({ title: { fr: 'x'.repeat(201), en: 'x' } }), 400, 'VALIDATION_FAILED'],
      ['a text that is not a string', body({ title: { fr: ['x'], en: 'x' } }), 400, 'VALIDATION_FAILED'],
      ['no channel', body({ channels: [] }), 400, 'VALIDATION_FAILED'],
      ['an unknown channel', body({ channels: ['sms'] }), 400, 'VALIDATION_FAILED'],
      ['a channel twice', body({ channels: ['email', 'email'] }), 400, 'VALIDATION_FAILED'],
      ['an audience kind of the wrong shape', body({ audience: { kind: "x'; DROP TABLE users;--" } }), 400, 'VALIDATION_FAILED'],
      ['an unknown audience', body({ audience: { kind: 'everyone.everywhere' } }), 400, 'UNKNOWN_AUDIENCE'],
      ['a target the town-wide audience does not take', body({ audience: { kind: 'municipality.residents', target: 'abc' } }), 422, 'AUDIENCE_TARGET_INVALID'],
      ['a panel audience without its panel', body({ audience: { kind: 'panel.volunteers' } }), 422, 'AUDIENCE_TARGET_INVALID'],
      ['a panel that does not exist', body({ audience: { kind: 'panel.volunteers', target: randomUUID() } }), 422, 'AUDIENCE_TARGET_INVALID'],
      ['followers of a malformed subject', body({ audience: { kind: 'subject.followers', target: 'report:1' } }), 422, 'AUDIENCE_TARGET_INVALID'],
      ['followers of an unknown subject type', body({ audience: { kind: 'subject.followers', target: `spaceship:${randomUUID()}` } }), 422, 'AUDIENCE_TARGET_INVALID'],
    ])('%s is refused and nothing is sent', async (_, payload, status, code) => {
      const before = Number((await db.query(`SELECT count(*) AS n FROM announcements`))[0].n);
      const res = await staff.auth(t.http.post(url())).send(payload).expect(status);
      expect(res.body).toMatchObject({ statusCode: status, code });
      expect(Array.isArray(res.body.details)).toBe(true);
      expect(Number((await db.query(`SELECT count(*) AS n FROM announcements`))[0].n)).toBe(before);
    });

    it("another town's panel or report is no audience here", async () => {
      const panel = await createPanel(t.http, platform, other.slug, smallPanelBody());
      const category = await createCategory(t.http, platform.accessToken, other.slug);
      const report = await createReport(t.http, citizen.accessToken, other, category.code, { description: 'Elsewhere pothole' });
      for (const audience of [
        { kind: 'panel.volunteers', target: panel.id },
        { kind: 'subject.followers', target: `report:${report.id}` },
      ]) {
        const res = await staff.auth(t.http.post(`${url()}/preview`)).send({ audience }).expect(422);
        expect(res.body.code).toBe('AUDIENCE_TARGET_INVALID');
      }
    });

    it('a malformed id answers 400, an unknown or foreign one 404', async () => {
      await staff.auth(t.http.get(`${url()}/not-a-uuid`)).expect(400);
      await staff.auth(t.http.post(`${url()}/not-a-uuid/cancel`)).expect(400);
      expect((await staff.auth(t.http.get(`${url()}/${randomUUID()}`)).expect(404)).body.code).toBe('ANNOUNCEMENT_NOT_FOUND');
      const foreign = await otherStaff.auth(t.http.post(url(other.slug))).send(body({ channels: ['in_app'] })).expect(201);
      await staff.auth(t.http.get(`${url()}/${foreign.body.id}`)).expect(404);
      await staff.auth(t.http.post(`${url()}/${foreign.body.id}/cancel`)).expect(404);
    });
  });

  it('lists the audiences every library registers, with their target and labels', async () => {
    const res = await staff.auth(t.http.get(`${url()}/audiences`)).expect(200);
    const kinds = res.body.map((a: { kind: string }) => a.kind);
    expect(kinds).toEqual(expect.arrayContaining(['municipality.residents', 'district.residents', 'subject.followers', 'panel.volunteers', 'panel.members', 'workshop.session_attendees', 'budget.eligible']));
    expect(res.body.find((a: { kind: string }) => a.kind === 'municipality.residents')).toEqual({
      kind: 'municipality.residents',
      target: null,
      label: { fr: 'Tous les habitants vérifiés de la commune', en: 'Every verified resident of the town' },
    });
    expect(res.body.find((a: { kind: string }) => a.kind === 'district.residents').target).toBe('<district id>');
  });

  it("previews a subject's followers", async () => {
    const category = await createCategory(t.http, platform.accessToken, town.slug);
    const report = await createReport(t.http, citizen.accessToken, town, category.code, { description: 'A pothole to follow' });
    await residents[0].auth(t.http.put(`/api/v1/reports/${report.id}/follow`)).expect((res) => expect([200, 201, 204]).toContain(res.status));
    const res = await staff.auth(t.http.post(`${url()}/preview`)).send({ audience: { kind: 'subject.followers', target: `report:${report.id}` } }).expect(200);
    // The reporter follows their own report; and the resident.
    expect(res.body.size).toBeGreaterThanOrEqual(2);
  });

  it("reaches every resident under each one's preferences, in the bulk lane, audited", async () => {
    const preview = await townAdmin.auth(t.http.post(`${url()}/preview`)).send({ audience: { kind: 'municipality.residents' } }).expect(200);
    expect(preview.body).toEqual({ audience: { kind: 'municipality.residents', target: null }, size: residents.length });

    const subject = `Vote ${randomUUID().slice(0, 8)}`;
    const sent = await staff.auth(t.http.post(url())).send(body({ title: { fr: subject, en: subject } })).expect(201);
    expect(sent.body).toMatchObject({ status: 'sending', audience: { kind: 'municipality.residents', target: null, size: residents.length }, channels: ['in_app', 'email'] });

    // In-app: everyone (pages of 2 people: three transactions).
    for (const r of residents) {
      await eventually(async () => {
        const inbox = await r.auth(t.http.get('/api/v1/me/notifications')).expect(200);
        return inbox.body.items.find((n: { type: string; title: string }) => n.type === 'announcement.published' && n.title === subject);
      }, `the in-app copy for ${r.user.email}`);
    }
    // Email: those in immediate mode with email on, once each; the digest one waits for the digest.
    const immediate = residents.filter((r) => r !== digestResident && r !== emailOffResident);
    await eventually(async () => immediate.every((r) => mailsTo(r, subject).length === 1), 'every immediate mail', 20_000);
    const detail = await eventually(async () => {
      const res = await staff.auth(t.http.get(`${url()}/${sent.body.id}`)).expect(200);
      return res.body.progress.sent === immediate.length ? res.body : null;
    }, 'the detail to show the mails sent');
    expect(detail).toMatchObject({ status: 'sent', recipients: residents.length, progress: { pending: 1, sending: 0, failed: 0 } });
    const mail = mailsTo(immediate[0], subject)[0];
    expect(mail.headers['list-unsubscribe']).toMatch(/unsubscribe\?token=/);
    expect(mailsTo(emailOffResident, subject)).toHaveLength(0);
    const lanes = await db.query(
      `SELECT d.lane, d.digest_at IS NOT NULL AS digest, n.user_id FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id
        WHERE n.data->>'announcementId' = $1`,
      [sent.body.id],
    );
    expect(lanes.every((l: { lane: string }) => l.lane === 'bulk')).toBe(true);
    expect(lanes.find((l: { user_id: string }) => l.user_id === digestResident.user.id)).toMatchObject({ digest: true });
    const audit = await db.query(`SELECT actor_id, action FROM audit_log WHERE target_type = 'announcement' AND target_id = $1`, [sent.body.id]);
    expect(audit).toEqual([{ actor_id: staff.user.id, action: 'announcement.sent' }]);

    const list = await staff.auth(t.http.get(url())).query({ limit: 1 }).expect(200);
    expect(list.body.items[0].id).toBe(sent.body.id);
  });

  it('pushes each in-app copy live to its own recipient only, each page named by its range, not listed', async () => {
    const inbox = residents;
    const clients = await Promise.all(inbox.map((r) => LiveClient.connect(t.url!, r.accessToken)));
    try {
      for (const [i, client] of clients.entries()) await client.mustSubscribe(`user:${inbox[i].user.id}`);
      const subject = `Live ${randomUUID().slice(0, 8)}`;
      const sent = await staff.auth(t.http.post(url())).send(body({ title: { fr: subject, en: subject }, channels: ['in_app'] })).expect(201);
      const mine = (client: LiveClient) =>
        client.events.filter((e) => e.type === 'notification.created' && (e.data as unknown as { title: string }).title === subject);
      for (const [i, client] of clients.entries()) {
        await client.waitFor(() => mine(client).length > 0, 20_000, `the live copy for resident ${i}`);
        expect(mine(client)[0]).toMatchObject({ topic: `user:${inbox[i].user.id}`, data: { type: 'announcement.published', title: subject } });
      }
      // Pages of 2: three small events whose ranges cover the town; a redelivered one would resend
      // the same ids (clients dedupe), never another person's.
      const [row] = await db.query(`SELECT source_event_id FROM announcements WHERE id = $1`, [sent.body.id]);
      const events: Array<{ payload: { notifications: unknown[]; range: { count: number; lastUserId: string } } }> = await db.query(
        `SELECT payload FROM outbox_events WHERE type = 'notification.created' AND payload->>'sourceEventId' = $1 ORDER BY id`,
        [String(row.source_event_id)],
      );
      expect(events.map((e) => e.payload.notifications)).toEqual([[], [], []]);
      expect(events.map((e) => e.payload.range.count).reduce((a, b) => a + b, 0)).toBe(residents.length);
      // Everyone's live copy has come (one each, none twice): a stray one would be in by now.
      const ids = await db.query(`SELECT id, user_id FROM notifications WHERE source_event_id = $1`, [row.source_event_id]);
      for (const [i, client] of clients.entries()) {
        expect(mine(client).map((e) => e.id)).toEqual([ids.find((n: { user_id: string }) => n.user_id === inbox[i].user.id).id]);
      }
    } finally {
      for (const client of clients) client.close();
    }
  });

  it('cancelled while going out: what has not gone out is dropped, audited, and cannot be cancelled twice', async () => {
    smtp.refuse = true;
    try {
      const subject = `Cancelled ${randomUUID().slice(0, 8)}`;
      const sent = await staff.auth(t.http.post(url())).send(body({ title: { fr: subject, en: subject } })).expect(201);
      await eventually(async () => {
        const [row] = await db.query(`SELECT status FROM announcements WHERE id = $1`, [sent.body.id]);
        return row.status === 'sent';
      }, 'the fan-out to finish');
      const cancelled = await townAdmin.auth(t.http.post(`${url()}/${sent.body.id}/cancel`)).expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelledAt: expect.any(String) });
      expect(cancelled.body.dropped).toBeGreaterThan(0);
      const again = await townAdmin.auth(t.http.post(`${url()}/${sent.body.id}/cancel`)).expect(409);
      expect(again.body.code).toBe('ANNOUNCEMENT_CANCELLED');
      // An attempt already on its way when the cancel came finishes (refused, so dropped): the relay
      // takes mail again only once none is left, or one still in flight would be accepted.
      await eventually(async () => {
        const [{ n }] = await db.query(
          `SELECT count(*)::int AS n FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id
            WHERE n.data->>'announcementId' = $1 AND d.status IN ('pending', 'sending')`,
          [sent.body.id],
        );
        return n === 0;
      }, 'no delivery of the cancelled one left to send');
      smtp.refuse = false;
      // A later announcement's mails arrive: by then the dropped ones would have too.
      const marker = `After ${randomUUID().slice(0, 8)}`;
      await staff.auth(t.http.post(url())).send(body({ title: { fr: marker, en: marker } })).expect(201);
      await eventually(async () => mailsTo(residents[0], marker).length === 1, 'the later announcement');
      for (const r of residents) expect(mailsTo(r, subject)).toHaveLength(0);
      const audit = await db.query(`SELECT action FROM audit_log WHERE target_type = 'announcement' AND target_id = $1 ORDER BY id`, [sent.body.id]);
      expect(audit.map((a: { action: string }) => a.action)).toEqual(['announcement.sent', 'announcement.cancelled']);
    } finally {
      smtp.refuse = false;
    }
  });

  it('reaches a panel’s volunteers', async () => {
    const panel = await createPanel(t.http, townAdmin, town.slug, smallPanelBody());
    const volunteer = { consentVersion: 'v1', features: { gender: 'f', age: 'young' }, address: '12, rue de la Gare', contact: { email: true, post: false } };
    await residents[1].auth(t.http.post(`/api/v1/panels/${panel.id}/volunteers`)).send(volunteer).expect(201);
    const res = await staff.auth(t.http.post(`${url()}/preview`)).send({ audience: { kind: 'panel.volunteers', target: panel.id } }).expect(200);
    expect(res.body.size).toBe(1);
    const subject = `Panel ${randomUUID().slice(0, 8)}`;
    await staff.auth(t.http.post(url())).send(body({ audience: { kind: 'panel.volunteers', target: panel.id }, title: { fr: subject, en: subject } })).expect(201);
    await eventually(async () => mailsTo(residents[1], subject).length === 1, "the volunteer's mail");
    // The later announcement is out, so a mail to anyone else would have been too.
    for (const r of residents.filter((x) => x !== residents[1])) expect(mailsTo(r, subject)).toHaveLength(0);
  });

  it('lists the town’s announcements newest first, in keyset pages, for staff and admins', async () => {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM announcements a JOIN municipalities m ON m.id = a.municipality_id WHERE m.slug = $1`, [town.slug]);
    expect(n).toBeGreaterThanOrEqual(3);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await townAdmin.auth(t.http.get(url())).query({ limit: 2, ...(cursor ? { cursor } : {}) }).expect(200);
      seen.push(...page.body.items.map((a: { id: string }) => a.id));
      cursor = page.body.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen).size).toBe(n);
    expect((await staff.auth(t.http.get(url())).query({ cursor: 'garbage' })).status).toBe(400);
  });
});

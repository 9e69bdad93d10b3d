import { randomUUID } from 'node:crypto';
import { DomainEvent, OutboxEventEntity, toDomainEvent } from '@app/common';
import { DigestService, NotificationFanoutService } from '@app/notifications';
import { DataSource } from 'typeorm';
import { FollowersNotificationRule } from '../../libs/reports/src/notifications/report-notification-rules';
import { createCategory, createReport } from '../factories/report.factory';
import { createMunicipality, grantRoles, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { CapturedMail, SmtpCapture, tokenFrom } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { browserKeys, eventually, FakePushService, IsolatedEnv, isolatedEnv, vapidEnv } from './notification-fixtures';

// `testTimeout` in a Jest project entry is not applied; these tests wait on a real worker.
jest.setTimeout(90_000);

interface Report {
  id: string;
  number: string;
  version: number;
  status: string;
}

interface InboxItem {
  id: string;
  type: string;
  subjectId: string;
  title: string;
  body: string;
  url: string;
  data: Record<string, unknown>;
  readAt: string | null;
}

/**
 * Notifications end to end: the real API and worker (in-process) on a database and queue prefix
 * of their own, a real SMTP capture and a stand-in push service on 127.0.0.1.
 */
describe('notifications', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let db: DataSource;
  const smtp = new SmtpCapture();
  const push = new FakePushService();
  let admin: Session;
  let town: TestMunicipality;
  let category: { code: string };
  let staffRoads: Session;
  let staffParks: Session;
  let generalist: Session;

  beforeAll(async () => {
    env = await isolatedEnv('notifications', {
      ...vapidEnv(),
      SMTP_URL: await smtp.start(),
      NOTIFICATION_DISPATCH_MS: '100',
      NOTIFICATION_SWEEP_MS: '1000',
      NOTIFICATION_SEND_TIMEOUT_MS: '3000',
    });
    await push.start();
    t = await createTestApp({ env: env.env });
    worker = await startTestWorker({ env: env.env });
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: `Lillebonne ${randomUUID().slice(0, 6)}`, locale: 'fr' });
    category = await createCategory(t.http, admin.accessToken, town.slug, { department: 'roads' });
    staffRoads = await staff('roads', 'Agent Roads');
    staffParks = await staff('parks', 'Agent Parks');
    generalist = await staff(undefined, 'Agent General');
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await push.stop();
    await env?.teardown();
  });

  async function staff(department: string | undefined, displayName: string): Promise<Session> {
    const s = await createSession(t.http, { displayName, emailPrefix: 'staff' });
    await grantRoles(t.http, admin.accessToken, town.slug, s.user.id, ['staff'], department);
    return s;
  }

  const file = (by: Session) => createReport(t.http, by.accessToken, town, category.code) as Promise<Report>;

  async function triage(by: Session, report: Report, body: Record<string, unknown>): Promise<Report> {
    const res = await by.auth(t.http.patch(`/api/v1/reports/${report.id}/triage`)).set('If-Match', `"${report.version}"`).send(body);
    if (res.status !== 200) throw new Error(`triage answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body as Report;
  }

  async function inbox(s: Session, query = ''): Promise<{ items: InboxItem[]; nextCursor: string | null; unreadCount: number }> {
    const res = await s.auth(t.http.get(`/api/v1/me/notifications${query}`)).expect(200);
    return res.body;
  }

  /** Waits for a notification of `type` about `subjectId` in the person's inbox. */
  const notified = (s: Session, type: string, subjectId: string) =>
    eventually(async () => (await inbox(s, '?limit=100')).items.find((n) => n.type === type && n.subjectId === subjectId), `${type} for ${s.user.email}`);

  /** Notification mails only (they carry List-Unsubscribe); sign-up also sends a verification mail. */
  const isNotification = (m: CapturedMail) => Boolean(m.headers['list-unsubscribe']);
  const mailsTo = (s: Session) => smtp.to(s.user.email).filter(isNotification);
  const mailTo = (s: Session, predicate: (m: CapturedMail) => boolean = () => true) =>
    smtp.waitFor((m) => m.to.includes(s.user.email) && isNotification(m) && predicate(m));

  /**
   * The positive signal before "and no other mail": none of the person's email deliveries is
   * still waiting to be sent or being sent (digest rows, held for their hour, aside).
   */
  const emailsSettled = (userId: string) =>
    eventually(async () => {
      const [{ open }] = await db.query(
        `SELECT count(*)::int AS open FROM notification_deliveries
          WHERE user_id = $1 AND channel = 'email' AND digest_at IS NULL AND status IN ('pending', 'sending')`,
        [userId],
      );
      return open === 0;
    }, 'the email deliveries to be settled');

  /** Every notification of the event is written in one transaction: once one shows, all have. */
  async function notificationsOf(userId: string, subjectId: string): Promise<Array<{ type: string }>> {
    return db.query(`SELECT type FROM notifications WHERE user_id = $1 AND subject_id = $2 ORDER BY created_at`, [userId, subjectId]);
  }

  describe('rules', () => {
    it('tells the staff of the report’s department and generalists of a new report, not other departments nor the reporter', async () => {
      const reporter = await createSession(t.http, { locale: 'en' });
      const report = await file(reporter);
      const roads = await notified(staffRoads, 'report.new_in_department', report.id);
      expect(roads.title).toBe(`Nouveau signalement n°${report.number} : Nid de poule`);
      expect(roads.body).toContain('Street light broken');
      await notified(generalist, 'report.new_in_department', report.id);
      expect(await notificationsOf(staffParks.user.id, report.id)).toEqual([]);
      expect(await notificationsOf(reporter.user.id, report.id)).toEqual([]);
      // The new-report mail, in French (the staff member's locale), from the municipality.
      const mail = await mailTo(staffRoads, (m) => m.subject.includes(`n°${report.number}`));
      expect(mail.subject).toBe(`${town.name} · Nouveau signalement n°${report.number} : Nid de poule`);
    });

    it('tells the reporter of a status change by staff, in their language by email, and never the staff member who made it', async () => {
      const reporter = await createSession(t.http, { locale: 'en', displayName: 'Rita Reporter' });
      const report = await file(reporter);
      await triage(staffRoads, report, { status: 'acknowledged' });
      const item = await notified(reporter, 'report.status_changed', report.id);
      expect(item).toMatchObject({ title: `Your report #${report.number} is acknowledged`, data: { from: 'new', to: 'acknowledged' }, readAt: null });
      expect(item.url).toBe(`${t.config.publicUrl}/reports/${report.id}`);

      const mail = await mailTo(reporter);
      expect(mail.subject).toBe(`${town.name} · Your report #${report.number} is acknowledged`);
      expect(mail.text).toContain('Hello Rita Reporter,');
      expect(mail.text).toContain(`${town.name} — Civic platform`);
      const token = tokenFrom(mail);
      expect(mail.headers['list-unsubscribe']).toBe(`<${t.config.publicUrl}/api/v1/notifications/unsubscribe?token=${token}>`);
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      expect(mailsTo(reporter)).toHaveLength(1);

      // The acting staff member hears nothing of it.
      expect((await notificationsOf(staffRoads.user.id, report.id)).map((n) => n.type)).toEqual(['report.new_in_department']);
    });

    it('tells the reporter of public messages only, not of internal notes', async () => {
      const reporter = await createSession(t.http);
      const report = await file(reporter);
      await staffRoads.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'Internal: send the night crew', visibility: 'internal' }).expect(201);
      await staffRoads.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'A crew comes on Monday.', visibility: 'public' }).expect(201);
      const item = await notified(reporter, 'report.public_update', report.id);
      expect(item.body).toBe('A crew comes on Monday.');
      expect(item.title).toBe(`Nouveau message sur votre signalement n°${report.number}`);
      expect(await notificationsOf(reporter.user.id, report.id)).toHaveLength(1);
    });

    it('tells supporters of the resolution and the reporter of the status change', async () => {
      const reporter = await createSession(t.http);
      const supporter = await createSession(t.http, { locale: 'en' });
      let report = await file(reporter);
      await supporter.auth(t.http.post(`/api/v1/reports/${report.id}/support`)).expect(200);
      for (const status of ['acknowledged', 'in_progress', 'resolved']) report = await triage(staffRoads, report, { status });
      const followed = await notified(supporter, 'report.resolved_followed', report.id);
      expect(followed.title).toBe(`Report #${report.number} you follow is resolved`);
      await eventually(async () => (await notificationsOf(reporter.user.id, report.id)).length === 3, 'three status changes for the reporter');
      expect((await notificationsOf(reporter.user.id, report.id)).map((n) => n.type)).toEqual(['report.status_changed', 'report.status_changed', 'report.status_changed']);
      // Supporters hear of the resolution only.
      expect((await notificationsOf(supporter.user.id, report.id)).map((n) => n.type)).toEqual(['report.resolved_followed']);
    });

    it('reads the followers of a batch of events at once, each event telling its own report’s', async () => {
      const [reporterA, reporterB, fanA, fanB, fanBoth] = [await createSession(t.http), await createSession(t.http), await createSession(t.http), await createSession(t.http), await createSession(t.http)];
      const [a, b] = [await file(reporterA), await file(reporterB)];
      for (const [who, report] of [
        [fanA, a],
        [fanB, b],
        [fanBoth, a],
        [fanBoth, b],
      ] as const)
        await who.auth(t.http.post(`/api/v1/reports/${report.id}/support`)).expect(200);
      const event = (report: Report, to: string, reporterId: string) =>
        ({ id: '0', type: 'report.status_changed', occurredAt: new Date(), aggregateType: 'report', aggregateId: report.id, municipalityId: town.id, actorId: null, payload: { reportId: report.id, number: report.number, reporterId, from: 'in_progress', to } }) as unknown as DomainEvent;
      const rule = worker.app.get(FollowersNotificationRule, { strict: false });
      const drafts = await rule.recipientsMany([event(a, 'resolved', reporterA.user.id), event(b, 'acknowledged', reporterB.user.id), event(b, 'resolved', reporterB.user.id)], db.manager);
      const people = drafts.map((list) => list.map((d) => d.userId).sort());
      // Supporting follows; the reporter (who follows their own report) hears of it as a status change instead.
      expect(people).toEqual([[fanA.user.id, fanBoth.user.id].sort(), [], [fanB.user.id, fanBoth.user.id].sort()]);
      expect(drafts[2].every((d) => d.type === 'report.resolved_followed' && String((d.data as { number: unknown }).number) === String(b.number))).toBe(true);
      // The same as one event at a time.
      expect((await rule.recipients(event(b, 'resolved', reporterB.user.id), db.manager)).map((d) => d.userId).sort()).toEqual(people[2]);
    });

    it('tells the assignee a report was given to them', async () => {
      const reporter = await createSession(t.http);
      const report = await file(reporter);
      await triage(staffRoads, report, { assigneeId: staffParks.user.id });
      const item = await notified(staffParks, 'report.assigned_to_you', report.id);
      expect(item.title).toBe(`Le signalement n°${report.number} vous est attribué`);
    });

    it('stores one notification per (event, person, type) however many times the event is consumed', async () => {
      const reporter = await createSession(t.http);
      const report = await file(reporter);
      await triage(staffRoads, report, { status: 'acknowledged' });
      await notified(reporter, 'report.status_changed', report.id);
      // Forget that the rules consumed the event, and deliver it again.
      const [{ id }] = await db.query(`SELECT id FROM outbox_events WHERE type = 'report.status_changed' AND aggregate_id = $1`, [report.id]);
      await db.query(`DELETE FROM event_consumptions WHERE consumer = 'notification-rules' AND event_id = $1`, [id]);
      const { DomainEventsProcessor } = await import('../../apps/worker/src/outbox/domain-events.processor');
      await worker.app.get(DomainEventsProcessor).process({ data: { eventId: id, consumer: 'notification-rules', type: 'report.status_changed' } } as never);
      expect(await notificationsOf(reporter.user.id, report.id)).toHaveLength(1);
    });
    it('stores the notifications of events consumed together in one go, each event with its own notification.created', async () => {
      const reporters = [await createSession(t.http), await createSession(t.http), await createSession(t.http)];
      const reports: Report[] = [];
      for (const reporter of reporters) {
        const report = await file(reporter);
        await triage(staffRoads, report, { status: 'acknowledged' });
        await notified(reporter, 'report.status_changed', report.id);
        reports.push(report);
      }
      // The worker consumes events that wait together in one transaction (one fan-out call); do
      // that again here for the three status changes, in a transaction rolled back afterwards.
      const rollback = new Error('rollback');
      await db
        .transaction(async (manager) => {
          const rows = await manager
            .getRepository(OutboxEventEntity)
            .createQueryBuilder('e')
            .where(`e.type = 'report.status_changed' AND e.aggregate_id IN (:...ids)`, { ids: reports.map((r) => r.id) })
            .orderBy('e.id')
            .getMany();
          const eventIds = rows.map((r) => String(r.id));
          await manager.query(`DELETE FROM notifications WHERE source_event_id = ANY($1::bigint[])`, [eventIds]);
          const [{ last }] = await manager.query(`SELECT coalesce(max(id), 0)::text AS last FROM outbox_events`);
          expect(await t.app.get(NotificationFanoutService).fromEvents(rows.map(toDomainEvent), manager)).toEqual({ notifications: 3, deliveries: 3 });
          const stored: Array<{ id: string; user_id: string; source_event_id: string; channels: string[] }> = await manager.query(
            `SELECT n.id, n.user_id, n.source_event_id::text, array_agg(d.channel) AS channels
               FROM notifications n JOIN notification_deliveries d ON d.notification_id = n.id
              WHERE n.source_event_id = ANY($1::bigint[]) GROUP BY n.id ORDER BY n.source_event_id`,
            [eventIds],
          );
          expect(stored.map((n) => [n.source_event_id, n.user_id, n.channels])).toEqual(eventIds.map((id, i) => [id, reporters[i].user.id, ['email']]));
          const created: Array<{ aggregate_id: string; payload: { notifications: Array<{ notificationId: string }> } }> = await manager.query(
            `SELECT aggregate_id, payload FROM outbox_events WHERE type = 'notification.created' AND id > $1 ORDER BY id`,
            [last],
          );
          expect(created.map((e) => [e.aggregate_id, e.payload.notifications.map((n) => n.notificationId)])).toEqual(stored.map((n) => [n.source_event_id, [n.id]]));
          throw rollback;
        })
        .catch((error: unknown) => {
          if (error !== rollback) throw error;
        });
    });
  });

  describe('inbox', () => {
    let reader: Session;
    beforeAll(async () => {
      reader = await createSession(t.http);
      for (let i = 0; i < 3; i++) {
        const report = await file(reader);
        await triage(staffRoads, report, { status: 'acknowledged' });
      }
      await eventually(async () => (await inbox(reader)).items.length === 3, 'three notifications');
    });

    it('lists newest first with keyset pages and the unread count', async () => {
      const first = await inbox(reader, '?limit=2');
      expect(first.items).toHaveLength(2);
      expect(first.unreadCount).toBe(3);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await inbox(reader, `?limit=2&cursor=${first.nextCursor}`);
      expect(second.items).toHaveLength(1);
      expect(second.nextCursor).toBeNull();
      const all = [...first.items, ...second.items];
      expect(new Set(all.map((n) => n.id)).size).toBe(3);
      const ids = (await db.query(`SELECT id FROM notifications WHERE user_id = $1 ORDER BY created_at DESC, id DESC`, [reader.user.id])).map((r: { id: string }) => r.id);
      expect(all.map((n) => n.id)).toEqual(ids);
    });

    it('marks one read (idempotently), filters unread, then marks all read', async () => {
      const { items } = await inbox(reader);
      const res = await reader.auth(t.http.post(`/api/v1/me/notifications/${items[0].id}/read`)).expect(200);
      expect(res.body.readAt).toEqual(expect.any(String));
      const again = await reader.auth(t.http.post(`/api/v1/me/notifications/${items[0].id}/read`)).expect(200);
      expect(again.body.readAt).toBe(res.body.readAt);
      const unread = await inbox(reader, '?unread=true');
      expect(unread.items.map((n) => n.id)).toEqual(items.slice(1).map((n) => n.id));
      expect(unread.unreadCount).toBe(2);
      const all = await reader.auth(t.http.post('/api/v1/me/notifications/read-all')).expect(200);
      expect(all.body).toEqual({ updated: 2 });
      expect((await inbox(reader)).unreadCount).toBe(0);
      expect((await inbox(reader, '?unread=true')).items).toEqual([]);
    });

    it("refuses someone else's notification, bad ids, bad queries and anonymous callers", async () => {
      const { items } = await inbox(reader);
      const stranger = await createSession(t.http);
      await stranger.auth(t.http.post(`/api/v1/me/notifications/${items[0].id}/read`)).expect(404, /NOTIFICATION_NOT_FOUND/);
      await stranger.auth(t.http.post(`/api/v1/me/notifications/${randomUUID()}/read`)).expect(404);
      await reader.auth(t.http.post('/api/v1/me/notifications/not-a-uuid/read')).expect(400, /VALIDATION_FAILED/);
      for (const query of ['?limit=0', '?limit=101', '?limit=x', '?unread=maybe', '?cursor=garbage', `?cursor=${'a'.repeat(600)}`, '?extra=1']) {
        await reader.auth(t.http.get(`/api/v1/me/notifications${query}`)).expect(400);
      }
      await t.http.get('/api/v1/me/notifications').expect(401);
      await t.http.post(`/api/v1/me/notifications/${items[0].id}/read`).expect(401);
      await t.http.post('/api/v1/me/notifications/read-all').expect(401);
    });
  });

  describe('email unsubscribe', () => {
    it('works without signing in, by one-click POST or by GET, and stops further mails of that type only', async () => {
      const reporter = await createSession(t.http, { locale: 'en' });
      let report = await file(reporter);
      report = await triage(staffRoads, report, { status: 'acknowledged' });
      const mail = await mailTo(reporter);
      const token = tokenFrom(mail);
      const url = new URL(mail.headers['list-unsubscribe'].slice(1, -1));

      // What a mail client does with List-Unsubscribe-Post (RFC 8058): no cookie, no token header.
      const res = await t.http.post(url.pathname + url.search).type('form').send('List-Unsubscribe=One-Click').expect(200);
      expect(res.body).toEqual({ unsubscribed: true, type: 'report.status_changed', channel: 'email' });
      const page = await t.http.get(`/api/v1/notifications/unsubscribe?token=${token}`).expect(200);
      expect(page.headers['content-type']).toMatch(/text\/html/);
      expect(page.text).toContain('report.status_changed');

      const prefs = await reporter.auth(t.http.get('/api/v1/me/notification-preferences')).expect(200);
      expect(prefs.body.types.find((p: { type: string }) => p.type === 'report.status_changed').channels).toEqual({ in_app: true, email: false, push: true });

      // The next status change still lands in the inbox, but sends no mail.
      report = await triage(staffRoads, report, { status: 'in_progress' });
      await eventually(async () => (await inbox(reporter)).items.length === 2, 'the second notification');
      await staffRoads.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'Other types still mail', visibility: 'public' }).expect(201);
      await mailTo(reporter, (m) => m.text.includes('Other types still mail'));
      expect(mailsTo(reporter)).toHaveLength(2);
      const [{ n }] = await db.query(
        `SELECT count(*)::int AS n FROM notification_deliveries d JOIN notifications x ON x.id = d.notification_id
          WHERE x.user_id = $1 AND x.type = 'report.status_changed' AND d.channel = 'email'`,
        [reporter.user.id],
      );
      expect(n).toBe(1);
    });

    it('refuses forged or malformed tokens', async () => {
      const reporter = await createSession(t.http);
      const report = await file(reporter);
      await triage(staffRoads, report, { status: 'acknowledged' });
      const token = tokenFrom(await mailTo(reporter));
      const forged = token.slice(0, 43) + Buffer.from(`${reporter.user.id}|*|email`).toString('base64url');
      await t.http.get(`/api/v1/notifications/unsubscribe?token=${forged}`).expect(400, /INVALID_UNSUBSCRIBE_TOKEN/);
      await t.http.post(`/api/v1/notifications/unsubscribe?token=${forged}`).expect(400, /INVALID_UNSUBSCRIBE_TOKEN/);
      await t.http.get('/api/v1/notifications/unsubscribe').expect(400, /VALIDATION_FAILED/);
      await t.http.post(`/api/v1/notifications/unsubscribe?token=${token}`).type('form').send('other=1').expect(400, /VALIDATION_FAILED/);
    });
  });

  describe('preferences', () => {
    it('lists every type with every channel on by default', async () => {
      const s = await createSession(t.http);
      const res = await s.auth(t.http.get('/api/v1/me/notification-preferences')).expect(200);
      expect(res.body.emailMode).toBe('immediate');
      expect(res.body.pushAvailable).toBe(true);
      expect(res.body.types.map((p: { type: string }) => p.type)).toEqual([
        'announcement.published',
        'budget.project_reviewed',
        'budget.results_published',
        'budget.voting_opened',
        'comment.replied',
        'moderation.approved',
        'moderation.rejected',
        'panels.member_invited',
        'panels.member_term_started',
        'proposal.answer_overdue',
        'proposal.answered',
        'proposal.coauthor_invited',
        'proposal.expired',
        'proposal.implemented',
        'proposal.published',
        'proposal.threshold_reached',
        'report.assigned_to_you',
        'report.commented',
        'report.merged',
        'report.new_in_department',
        'report.public_update',
        'report.resolved_followed',
        'report.sla_warning',
        'report.status_changed',
        'survey.reminder',
        'workshop.offer_expired',
        'workshop.reminder',
        'workshop.seat_offered',
        'workshop.session_cancelled',
        'workshop.session_moved',
      ]);
      for (const p of res.body.types) expect(p.channels).toEqual({ in_app: true, email: true, push: true });
    });

    it('respects a channel turned off: no email, and nothing in the inbox when in-app is off too', async () => {
      const reporter = await createSession(t.http);
      const put = await reporter
        .auth(t.http.put('/api/v1/me/notification-preferences'))
        .send({ preferences: [{ type: 'report.status_changed', channel: 'email', enabled: false }, { type: 'report.public_update', channel: 'in_app', enabled: false }] })
        .expect(200);
      expect(put.body.types.find((p: { type: string }) => p.type === 'report.status_changed').channels.email).toBe(false);
      const report = await file(reporter);
      await triage(staffRoads, report, { status: 'acknowledged' });
      await staffRoads.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'By mail only', visibility: 'public' }).expect(201);
      await notified(reporter, 'report.status_changed', report.id);
      await mailTo(reporter, (m) => m.text.includes('By mail only'));
      await emailsSettled(reporter.user.id);
      expect(mailsTo(reporter)).toHaveLength(1);
      expect((await inbox(reporter)).items.map((n) => n.type)).toEqual(['report.status_changed']);
    });

    it('refuses unknown types, channels and modes, and anonymous callers', async () => {
      const s = await createSession(t.http);
      const put = (body: unknown) => s.auth(t.http.put('/api/v1/me/notification-preferences')).send(body as object);
      await put({ preferences: [{ type: 'report.nothing_like_it', channel: 'email', enabled: false }] }).expect(400, /UNKNOWN_NOTIFICATION_TYPE/);
      await put({ preferences: [{ type: 'report.status_changed', channel: 'pigeon', enabled: false }] }).expect(400, /VALIDATION_FAILED/);
      await put({ preferences: [{ type: 'report.status_changed', channel: 'email', enabled: 'no' }] }).expect(400);
      await put({ preferences: [{ type: 'NOT A TYPE', channel: 'email', enabled: false }] }).expect(400);
      await put({ preferences: 'all' }).expect(400);
      await put({ emailMode: 'weekly' }).expect(400);
      await put({ preferences: Array.from({ length: 301 }, () => ({ type: 'report.merged', channel: 'email', enabled: true })) }).expect(400);
      await t.http.get('/api/v1/me/notification-preferences').expect(401);
      await t.http.put('/api/v1/me/notification-preferences').send({ emailMode: 'immediate' }).expect(401);
    });
  });

  describe('daily digest', () => {
    it('gathers the day’s emails into one digest mail at the digest hour, sent once', async () => {
      const reporter = await createSession(t.http, { locale: 'en' });
      await reporter.auth(t.http.put('/api/v1/me/notification-preferences')).send({ emailMode: 'daily_digest' }).expect(200);
      let report = await file(reporter);
      report = await triage(staffRoads, report, { status: 'acknowledged' });
      report = await triage(staffRoads, report, { status: 'in_progress' });
      await staffRoads.auth(t.http.post(`/api/v1/reports/${report.id}/updates`)).send({ message: 'Digest me', visibility: 'public' }).expect(201);
      await eventually(async () => (await inbox(reporter)).items.length === 3, 'three notifications');
      const rows: Array<{ digest_at: Date; status: string }> = await db.query(
        `SELECT d.digest_at, d.status FROM notification_deliveries d WHERE d.user_id = $1 AND d.channel = 'email'`,
        [reporter.user.id],
      );
      expect(rows).toHaveLength(3);
      // 08:00 in the municipality's zone (Europe/Paris), within the next day.
      for (const row of rows) {
        expect(row.status).toBe('pending');
        expect(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', hour: '2-digit', minute: '2-digit' }).format(row.digest_at)).toBe('08:00');
        expect(row.digest_at.getTime() - Date.now()).toBeLessThanOrEqual(24 * 3600 * 1000);
      }
      // Someone on immediate mail, told after them, is mailed: the dispatcher has been by.
      const immediate = await createSession(t.http, { locale: 'en' });
      const theirs = await file(immediate);
      await triage(staffRoads, theirs, { status: 'acknowledged' });
      await mailTo(immediate);
      expect(mailsTo(reporter)).toHaveLength(0);

      const digests = worker.app.get(DigestService);
      const tomorrow = new Date(Date.now() + 25 * 3600 * 1000);
      expect(await digests.sendFor(reporter.user.id, tomorrow)).toBe(3);
      const mail = await mailTo(reporter);
      expect(mail.subject).toBe(`${town.name} · Your daily summary: 3 notifications`);
      expect(mail.text).toContain(`* Your report #${report.number} is acknowledged`);
      expect(mail.text).toContain('Digest me');
      expect(mail.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
      // A second run finds nothing left for them.
      expect(await digests.sendFor(reporter.user.id, tomorrow)).toBe(0);
      expect(mailsTo(reporter)).toHaveLength(1);
      const [{ sent }] = await db.query(`SELECT count(*)::int AS sent FROM notification_deliveries WHERE user_id = $1 AND status = 'sent'`, [reporter.user.id]);
      expect(sent).toBe(3);

      // The digest's link turns every notification email off.
      await t.http.post(`/api/v1/notifications/unsubscribe?token=${tokenFrom(mail)}`).expect(200, { unsubscribed: true, type: '*', channel: 'email' });
      const prefs = await reporter.auth(t.http.get('/api/v1/me/notification-preferences')).expect(200);
      for (const p of prefs.body.types) expect(p.channels.email).toBe(false);
    });
  });

  describe('web push', () => {
    const endpoint = () => `${push.url}/push/${randomUUID()}`;

    it('sends the encrypted notification to the subscribed browser', async () => {
      const reporter = await createSession(t.http, { locale: 'en' });
      const url = endpoint();
      const res = await reporter.auth(t.http.post('/api/v1/me/push-subscriptions')).send({ endpoint: url, keys: browserKeys() }).expect(201);
      expect(res.body).toMatchObject({ id: expect.any(String), endpoint: url });
      const report = await file(reporter);
      await triage(staffRoads, report, { status: 'acknowledged' });
      const path = new URL(url).pathname;
      const [request] = await eventually(async () => (push.to(path).length ? push.to(path) : null), 'a push request');
      expect(request.headers['content-encoding']).toBe('aes128gcm');
      expect(request.headers.authorization).toMatch(/^vapid t=.+, k=.+$/);
      expect(request.headers.ttl).toBe(String(24 * 3600));
      // Encrypted: the title is nowhere in clear.
      expect(request.body.length).toBeGreaterThan(100);
      expect(request.body.toString('latin1')).not.toContain('acknowledged');
      await eventually(
        async () => (await db.query(`SELECT status FROM notification_deliveries WHERE user_id = $1 AND channel = 'push'`, [reporter.user.id]))[0]?.status === 'sent',
        'the push delivery sent',
      );
    });

    it('removes a subscription the push service reports gone (410)', async () => {
      const reporter = await createSession(t.http);
      const url = endpoint();
      const path = new URL(url).pathname;
      push.status = (p) => (p === path ? 410 : 201);
      await reporter.auth(t.http.post('/api/v1/me/push-subscriptions')).send({ endpoint: url, keys: browserKeys() }).expect(201);
      const report = await file(reporter);
      await triage(staffRoads, report, { status: 'acknowledged' });
      await eventually(async () => push.to(path).length > 0, 'the push attempt');
      await eventually(async () => (await db.query(`SELECT 1 FROM push_subscriptions WHERE endpoint = $1`, [url])).length === 0, 'the subscription removed');
      const [delivery] = await eventually(
        async () => {
          const rows = await db.query(`SELECT status, last_error FROM notification_deliveries WHERE user_id = $1 AND channel = 'push' AND status <> 'sending' AND status <> 'pending'`, [reporter.user.id]);
          return rows.length ? rows : null;
        },
        'the push delivery settled',
      );
      expect(delivery).toEqual({ status: 'skipped', last_error: 'every push subscription is gone' });
      push.status = () => 201;
    });

    it('validates subscriptions, moves an endpoint to whoever registers it, and deletes only your own', async () => {
      const a = await createSession(t.http);
      const b = await createSession(t.http);
      const url = endpoint();
      const post = (s: Session, body: unknown) => s.auth(t.http.post('/api/v1/me/push-subscriptions')).send(body as object);
      await post(a, { endpoint: 'ftp://127.0.0.1/x', keys: browserKeys() }).expect(400, /endpoint/);
      await post(a, { endpoint: 'not a url', keys: browserKeys() }).expect(400);
      await post(a, { endpoint: url }).expect(400, /keys/);
      await post(a, { endpoint: url, keys: { p256dh: 'short', auth: 'x' } }).expect(400);
      await post(a, { endpoint: url, keys: { ...browserKeys(), auth: 'not base64!!!!!!!!' } }).expect(400);
      await post(a, { endpoint: 'x'.repeat(2049), keys: browserKeys() }).expect(400);
      await t.http.post('/api/v1/me/push-subscriptions').send({ endpoint: url, keys: browserKeys() }).expect(401);

      await post(a, { endpoint: url, keys: browserKeys() }).expect(201);
      await post(b, { endpoint: url, keys: browserKeys() }).expect(201);
      expect(await db.query(`SELECT user_id FROM push_subscriptions WHERE endpoint = $1`, [url])).toEqual([{ user_id: b.user.id }]);
      // A's delete does nothing to B's browser; B's removes it.
      await a.auth(t.http.delete('/api/v1/me/push-subscriptions')).send({ endpoint: url }).expect(204);
      expect(await db.query(`SELECT 1 FROM push_subscriptions WHERE endpoint = $1`, [url])).toHaveLength(1);
      await b.auth(t.http.delete('/api/v1/me/push-subscriptions')).send({ endpoint: url }).expect(204);
      expect(await db.query(`SELECT 1 FROM push_subscriptions WHERE endpoint = $1`, [url])).toHaveLength(0);
      await b.auth(t.http.delete('/api/v1/me/push-subscriptions')).send({}).expect(400);
      await t.http.delete('/api/v1/me/push-subscriptions').send({ endpoint: url }).expect(401);
    });

    it('publishes the VAPID public key without sign-in', async () => {
      const res = await t.http.get('/api/v1/notifications/push-key').expect(200);
      expect(res.body).toEqual({ publicKey: t.config.notifications.vapid!.publicKey });
    });
  });

  describe('failed deliveries (platform admins)', () => {
    it('lists a delivery that gave up, and sends it when an admin retries it', async () => {
      const reporter = await createSession(t.http);
      const url = endpoint();
      const path = new URL(url).pathname;
      // The push service refuses this message for good (400): no retry, straight to failed.
      push.status = (p) => (p === path ? 400 : 201);
      await reporter.auth(t.http.post('/api/v1/me/push-subscriptions')).send({ endpoint: url, keys: browserKeys() }).expect(201);
      const report = await file(reporter);
      await triage(staffRoads, report, { status: 'acknowledged' });
      const failed = await eventually(async () => {
        const res = await admin.auth(t.http.get('/api/v1/admin/notifications/failed?limit=100')).expect(200);
        return (res.body.items as Array<{ id: string; userId: string; channel: string; lastError: string; attempts: number; type: string }>).find(
          (d) => d.userId === reporter.user.id,
        );
      }, 'the failed delivery in the admin list');
      expect(failed).toMatchObject({ channel: 'push', type: 'report.status_changed', attempts: 1, lastError: expect.stringContaining('400') });

      const citizen = await createSession(t.http);
      await citizen.auth(t.http.get('/api/v1/admin/notifications/failed')).expect(403);
      await citizen.auth(t.http.post(`/api/v1/admin/notifications/${failed.id}/retry`)).expect(403);
      await t.http.get('/api/v1/admin/notifications/failed').expect(401);
      await t.http.post(`/api/v1/admin/notifications/${failed.id}/retry`).expect(401);
      await admin.auth(t.http.get('/api/v1/admin/notifications/failed?cursor=nope')).expect(400);
      await admin.auth(t.http.post('/api/v1/admin/notifications/nope/retry')).expect(400);
      await admin.auth(t.http.post(`/api/v1/admin/notifications/${randomUUID()}/retry`)).expect(404, /DELIVERY_NOT_FOUND/);

      push.status = () => 201;
      const before = push.to(path).length;
      await admin.auth(t.http.post(`/api/v1/admin/notifications/${failed.id}/retry`)).expect(204);
      await eventually(async () => push.to(path).length > before, 'the retried push');
      await eventually(async () => (await db.query(`SELECT status FROM notification_deliveries WHERE id = $1`, [failed.id]))[0].status === 'sent', 'sent');
      await admin.auth(t.http.post(`/api/v1/admin/notifications/${failed.id}/retry`)).expect(409, /DELIVERY_NOT_FAILED/);
      const [audit] = await db.query(`SELECT actor_id FROM audit_log WHERE action = 'notification.delivery_retried' AND target_id = $1`, [failed.id]);
      expect(audit).toEqual({ actor_id: admin.user.id });
    });

    function endpoint(): string {
      return `${push.url}/push/${randomUUID()}`;
    }
  });

  describe('queue visibility', () => {
    it('gives platform admins job counts per state and queue', async () => {
      const res = await admin.auth(t.http.get('/api/v1/admin/queues')).expect(200);
      const names = res.body.map((q: { name: string }) => q.name);
      expect(names).toEqual(expect.arrayContaining(['domain-events', 'notification-deliveries', 'notification-digests']));
      const deliveries = res.body.find((q: { name: string }) => q.name === 'notification-deliveries');
      expect(deliveries.counts).toEqual(expect.objectContaining({ waiting: expect.any(Number), active: expect.any(Number), completed: expect.any(Number), failed: expect.any(Number) }));
      expect(deliveries.counts.completed).toBeGreaterThan(0);
      await staffRoads.auth(t.http.get('/api/v1/admin/queues')).expect(403);
      await t.http.get('/api/v1/admin/queues').expect(401);
    });

    it('serves Bull Board at /admin/queues to platform admins only, by bearer header or a token moved into a cookie', async () => {
      await t.http.get('/admin/queues').expect(401);
      await t.http.get('/admin/queues?access_token=not.a.jwt').expect(401);
      await t.http.get(`/admin/queues?access_token=${staffRoads.accessToken}`).expect(403);
      await staffRoads.auth(t.http.get('/admin/queues/api/queues')).expect(403);

      const page = await admin.auth(t.http.get('/admin/queues')).expect(200);
      expect(page.text).toMatch(/<html/i);
      const api = await admin.auth(t.http.get('/admin/queues/api/queues?activeQueue=notification-deliveries&page=1')).expect(200);
      expect(api.body.queues.map((q: { name: string }) => q.name)).toEqual(expect.arrayContaining(['notification-deliveries']));

      // A browser: the token comes once in the URL, then lives in an HttpOnly cookie for this path.
      const redirect = await t.http.get(`/admin/queues?access_token=${admin.accessToken}`).expect(303);
      expect(redirect.headers.location).toBe('/admin/queues');
      const cookie = (redirect.headers['set-cookie'] as unknown as string[])[0];
      expect(cookie).toMatch(/^civic_queues_token=.+; Max-Age=\d+; Path=\/admin\/queues; .*HttpOnly; SameSite=Strict/);
      await t.http.get('/admin/queues/api/queues').set('Cookie', cookie.split(';')[0]).expect(200);
    });
  });

  describe('personal data', () => {
    it('exports notifications, preferences and push subscriptions, and erases them with the account', async () => {
      const reporter = await createSession(t.http);
      await reporter.auth(t.http.put('/api/v1/me/notification-preferences')).send({ preferences: [{ type: 'report.merged', channel: 'push', enabled: false }] }).expect(200);
      const url = `${push.url}/push/${randomUUID()}`;
      await reporter.auth(t.http.post('/api/v1/me/push-subscriptions')).send({ endpoint: url, keys: browserKeys() }).expect(201);
      const report = await file(reporter);
      await triage(staffRoads, report, { status: 'acknowledged' });
      await notified(reporter, 'report.status_changed', report.id);

      const res = await reporter.auth(t.http.get('/api/v1/me/export')).expect(200);
      const section = res.body.sections.notifications;
      expect(section.notifications).toEqual([expect.objectContaining({ type: 'report.status_changed', subjectId: report.id, deliveries: expect.any(Array) })]);
      expect(section.preferences).toEqual([expect.objectContaining({ type: 'report.merged', channel: 'push', enabled: false })]);
      expect(section.pushSubscriptions).toEqual([expect.objectContaining({ endpoint: url })]);

      await reporter.auth(t.http.delete('/api/v1/me')).send({ password: reporter.user.password }).expect(204);
      for (const table of ['notifications', 'notification_preferences', 'push_subscriptions', 'notification_deliveries']) {
        expect(await db.query(`SELECT 1 FROM ${table} WHERE user_id = $1`, [reporter.user.id])).toEqual([]);
      }
    });
  });
});

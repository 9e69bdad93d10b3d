import { getQueueToken } from '@nestjs/bullmq';
import { QUEUES, WorkshopOfferJobData, WorkshopReminderJobData } from '@app/common';
import { offerJobId, reminderJobId } from '@app/workshops';
import { Queue } from 'bullmq';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createVenue, createWorkshop, localTime, registerFor, TestVenue, workshopBody } from '../factories/workshop.factory';
import { eventually, IsolatedEnv, isolatedEnv } from '../notifications/notification-fixtures';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';

jest.setTimeout(180_000);

/**
 * Waitlist offers and reminders end to end: the worker schedules them as delayed jobs from
 * session events; time is moved by promoting a delayed job (what its time arriving does); people
 * hear of it by mail. In a database and queue prefix of its own, so no other suite's worker takes
 * our jobs or mails.
 */
describe('workshops: waitlist offers, reminders, moves and cancellations', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let offers: Queue<WorkshopOfferJobData>;
  let reminders: Queue<WorkshopReminderJobData>;
  const smtp = new SmtpCapture();
  let town: TestMunicipality;
  let staff: Session;
  let venue: TestVenue;

  beforeAll(async () => {
    env = await isolatedEnv('workshop_jobs', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100' });
    t = await createTestApp({ env: env.env });
    worker = await startTestWorker({ env: env.env });
    offers = worker.app.get(getQueueToken(QUEUES.workshopOffers));
    reminders = worker.app.get(getQueueToken(QUEUES.workshopReminders));
    const platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { timezone: 'Europe/Paris' });
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    venue = await createVenue(t.http, staff, town.slug);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  const mailTo = (who: Session, subject: RegExp) => smtp.waitFor((m) => m.to.includes(who.user.email) && subject.test(m.subject), 30000);
  const registration = async (who: Session, id: string) => (await who.auth(t.http.get(`/api/v1/registrations/${id}`)).expect(200)).body;
  const oneSeat = async (days: number) =>
    (await createWorkshop(t.http, staff, town.slug, workshopBody({ offerHours: 12, sessions: [{ startsAt: localTime(days, 10), endsAt: localTime(days, 12), venueId: venue.id, capacity: 1 }] }))).sessions[0].id;

  it('a freed seat is offered to the first waiting person; unanswered, it expires to the next; accepted, it is theirs', async () => {
    const sessionId = await oneSeat(4);
    const [first, second, third] = await Promise.all([createSession(t.http, { locale: 'en' }), createSession(t.http, { locale: 'en' }), createSession(t.http, { locale: 'fr' })]);
    const held = await registerFor(t.http, first, sessionId);
    const waitingB = await registerFor(t.http, second, sessionId);
    const waitingC = await registerFor(t.http, third, sessionId);
    expect([held.status, waitingB.status, waitingB.waitlistPosition, waitingC.waitlistPosition]).toEqual(['registered', 'waitlisted', 1, 2]);

    await first.auth(t.http.post(`/api/v1/registrations/${held.id}/cancel`)).expect(200);
    const offered = await registration(second, waitingB.id);
    expect(offered.status).toBe('offered');
    const expiresAt = new Date(offered.offerExpiresAt);
    expect(Math.abs(expiresAt.getTime() - (Date.now() + 12 * 3600_000))).toBeLessThan(60_000);
    expect((await registration(third, waitingC.id)).waitlistPosition).toBe(1);
    // Nobody can jump the queue while the seat is held.
    const late = await createSession(t.http);
    expect((await registerFor(t.http, late, sessionId)).status).toBe('waitlisted');

    const mail = await mailTo(second, /seat is free/i);
    expect(mail.text).toContain('Mobility workshop');
    const job = await eventually(() => offers.getJob(offerJobId(waitingB.id, expiresAt)), 'the offer expiry job');
    expect(await job.isDelayed()).toBe(true);

    // Time moves to the expiry: the offer lapses and the seat goes to the next person.
    await job.promote();
    await eventually(async () => (await registration(second, waitingB.id)).status === 'cancelled', 'the offer to expire');
    const next = await eventually(async () => {
      const r = await registration(third, waitingC.id);
      return r.status === 'offered' ? r : null;
    }, 'the seat offered to the next person');
    await mailTo(second, /seat not taken/i);
    const offerFr = await mailTo(third, /place s'est libérée/i);
    expect(offerFr.text).toContain('Atelier mobilité');

    // Accepting after the first offer's job ran: it is the new offer's own job that counts.
    const accepted = await third.auth(t.http.post(`/api/v1/registrations/${waitingC.id}/offer/accept`)).expect(200);
    expect(accepted.body).toMatchObject({ status: 'registered', offerExpiresAt: null });
    const nextJob = await eventually(() => offers.getJob(offerJobId(waitingC.id, new Date(next.offerExpiresAt))), 'the second offer job');
    await nextJob.promote();
    await eventually(async () => (await nextJob.getState()) === 'completed', 'the stale expiry to run');
    expect((await registration(third, waitingC.id)).status).toBe('registered');
    await third.auth(t.http.post(`/api/v1/registrations/${waitingC.id}/offer/decline`)).expect(409);
    // Someone else's registration is not theirs to read or answer.
    await second.auth(t.http.get(`/api/v1/registrations/${waitingC.id}`)).expect(404);
    await second.auth(t.http.post(`/api/v1/registrations/${waitingC.id}/cancel`)).expect(404);
  });

  it('a declined offer goes to the next person at once', async () => {
    const sessionId = await oneSeat(5);
    const [a, b, c] = await Promise.all([createSession(t.http), createSession(t.http), createSession(t.http)]);
    const ra = await registerFor(t.http, a, sessionId);
    const rb = await registerFor(t.http, b, sessionId);
    const rc = await registerFor(t.http, c, sessionId);
    await a.auth(t.http.post(`/api/v1/registrations/${ra.id}/cancel`)).expect(200);
    await b.auth(t.http.post(`/api/v1/registrations/${rb.id}/offer/decline`)).expect(200);
    expect((await registration(b, rb.id)).status).toBe('cancelled');
    expect((await registration(c, rc.id)).status).toBe('offered');
  });

  it('schedules reminders 24 h and 1 h before, moves them with the session, tells people of the move, and reminds with the door code', async () => {
    const sessionId = await oneSeat(3);
    const [registered, waiting] = await Promise.all([createSession(t.http, { locale: 'en' }), createSession(t.http, { locale: 'en' })]);
    const reg = await registerFor(t.http, registered, sessionId);
    await registerFor(t.http, waiting, sessionId);
    const start = new Date((await t.http.get(`/api/v1/sessions/${sessionId}`).expect(200)).body.startsAt);
    const day = await eventually(() => reminders.getJob(reminderJobId(sessionId, '24h', start)), 'the 24 h reminder');
    const hour = await eventually(() => reminders.getJob(reminderJobId(sessionId, '1h', start)), 'the 1 h reminder');
    expect(day.timestamp + (day.opts.delay ?? 0)).toBeCloseTo(start.getTime() - 24 * 3600_000, -4);
    expect(hour.timestamp + (hour.opts.delay ?? 0)).toBeCloseTo(start.getTime() - 3600_000, -4);

    const moved = await staff.auth(t.http.patch(`/api/v1/sessions/${sessionId}`)).send({ startsAt: localTime(3, 14), endsAt: localTime(3, 16) }).expect(200);
    expect(moved.body).toMatchObject({ localStartsAt: localTime(3, 14), sequence: 1 });
    const newStart = new Date(moved.body.startsAt);
    await eventually(async () => !(await reminders.getJob(reminderJobId(sessionId, '24h', start))), 'the old reminder removed');
    await eventually(async () => !(await reminders.getJob(reminderJobId(sessionId, '1h', start))), 'the old reminder removed');
    const newDay = await eventually(() => reminders.getJob(reminderJobId(sessionId, '24h', newStart)), 'the moved reminder');
    await eventually(() => reminders.getJob(reminderJobId(sessionId, '1h', newStart)), 'the moved reminder');
    for (const who of [registered, waiting]) expect((await mailTo(who, /session moved/i)).text).toMatch(/now takes place/);

    await newDay.promote();
    const reminder = await mailTo(registered, /reminder/i);
    expect(reminder.text).toContain(reg.code);
    expect(smtp.to(waiting.user.email).some((m) => /reminder/i.test(m.subject))).toBe(false);

    await staff.auth(t.http.post(`/api/v1/sessions/${sessionId}/cancel`)).expect(200);
    await eventually(async () => !(await reminders.getJob(reminderJobId(sessionId, '1h', newStart))), 'the reminder removed on cancellation');
    for (const who of [registered, waiting]) await mailTo(who, /session cancelled/i);
    await registered.auth(t.http.post(`/api/v1/sessions/${sessionId}/registrations`)).expect(409);
  });
});

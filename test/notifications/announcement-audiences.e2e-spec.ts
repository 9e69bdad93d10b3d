import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, squareAround, TestMunicipality } from '../factories/municipality.factory';
import { createPanel, smallPanelBody, volunteer } from '../factories/panel.factory';
import { createVenue, createWorkshop, localTime, registerFor, workshopBody } from '../factories/workshop.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';
import { CapturedMail, SmtpCapture } from '../utils/smtp-capture';
import { startTestWorker, TestWorker } from '../utils/test-worker';
import { eventually, IsolatedEnv, isolatedEnv } from './notification-fixtures';

jest.setTimeout(120_000);

const PROFILES = [
  { gender: 'f', age: 'young' },
  { gender: 'f', age: 'old' },
  { gender: 'm', age: 'young' },
  { gender: 'm', age: 'old' },
];

/**
 * The audiences of issue 18 beyond the town's residents: a district's residents, a panel's
 * sitting members, a workshop session's registered and waiting people, a proposal's followers.
 * For each, from outside: the preview's size, who the announcement reaches (once the fan-out says
 * it is done: the positive signal before "nobody else"), and another town's target refused.
 */
describe('announcement audiences', () => {
  let env: IsolatedEnv;
  let t: TestApp;
  let worker: TestWorker;
  let db: DataSource;
  const smtp = new SmtpCapture();
  let platform: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let admin: Session;
  let staff: Session;
  let otherAdmin: Session;

  const url = (slug = town.slug) => `/api/v1/municipalities/${slug}/announcements`;
  const verify = (who: Session, body: Record<string, unknown> = {}) =>
    staff.auth(t.http.put(`/api/v1/municipalities/${town.slug}/residents/${who.user.id}`)).send(body).expect((res) => expect([200, 201]).toContain(res.status));
  const preview = async (audience: { kind: string; target?: string }) => (await staff.auth(t.http.post(`${url()}/preview`)).send({ audience }).expect(200)).body.size as number;
  const refused = async (audience: { kind: string; target?: string }) => {
    const res = await staff.auth(t.http.post(`${url()}/preview`)).send({ audience }).expect(422);
    expect(res.body).toMatchObject({ code: 'AUDIENCE_TARGET_INVALID', details: [expect.objectContaining({ field: 'audience.target' })] });
  };

  /** Sends to `audience` and, once the fan-out has stored everyone, returns who got the in-app copy. */
  async function announceTo(audience: { kind: string; target: string }, channels = ['in_app']): Promise<{ subject: string; reached: string[] }> {
    const subject = `${audience.kind} ${randomUUID().slice(0, 8)}`;
    const sent = await staff
      .auth(t.http.post(url()))
      .send({ audience, title: { fr: subject, en: subject }, body: { fr: 'Bonjour.', en: 'Hello.' }, channels })
      .expect(201);
    await eventually(async () => {
      const [row] = await db.query(`SELECT status FROM announcements WHERE id = $1`, [sent.body.id]);
      return row.status === 'sent';
    }, `the fan-out of ${audience.kind}`);
    const rows: Array<{ user_id: string }> = await db.query(`SELECT user_id FROM notifications WHERE data->>'announcementId' = $1 ORDER BY user_id`, [sent.body.id]);
    return { subject, reached: rows.map((r) => r.user_id) };
  }
  const ids = (people: Session[]) => people.map((p) => p.user.id).sort();

  beforeAll(async () => {
    env = await isolatedEnv('announcement_audiences', { SMTP_URL: await smtp.start(), NOTIFICATION_DISPATCH_MS: '100', NOTIFICATION_FANOUT_PAGE_SIZE: '2' });
    t = await createTestApp({ env: env.env });
    db = t.app.get(DataSource);
    worker = await startTestWorker({ env: env.env });
    platform = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, platform.accessToken, { name: 'Audienceville' });
    other = await createMunicipality(t.http, platform.accessToken, { name: 'Ailleurs' });
    admin = await memberSession(t.http, platform.accessToken, town.slug, ['admin']);
    staff = await memberSession(t.http, platform.accessToken, town.slug, ['staff']);
    otherAdmin = await memberSession(t.http, platform.accessToken, other.slug, ['admin']);
  });

  afterAll(async () => {
    await worker?.close();
    await t?.close();
    await smtp.stop();
    await env?.teardown();
  });

  it("reaches a district's verified residents, and only them, in pages", async () => {
    const district = (code: string, by: Session, m: TestMunicipality, dx: number) =>
      by
        .auth(t.http.post(`/api/v1/municipalities/${m.slug}/districts`))
        .send({ code, nameFr: code, nameEn: code, boundary: squareAround([m.center[0] + dx, m.center[1]], 0.002) })
        .expect(201)
        .then((res) => res.body.id as string);
    const north = await district('NORD', admin, town, -0.005);
    const south = await district('SUD', admin, town, 0.005);
    const foreign = await district('NORD', otherAdmin, other, 0);
    const people = await Promise.all(Array.from({ length: 5 }, (_, i) => createSession(t.http, { emailPrefix: `district-${i}` })));
    const [n1, n2, n3, s1, nowhere] = people;
    for (const p of [n1, n2, n3]) await verify(p, { districtId: north });
    await verify(s1, { districtId: south });
    await verify(nowhere);

    expect(await preview({ kind: 'district.residents', target: north })).toBe(3);
    expect(await preview({ kind: 'district.residents', target: south })).toBe(1);
    await refused({ kind: 'district.residents' });
    await refused({ kind: 'district.residents', target: 'north' });
    await refused({ kind: 'district.residents', target: foreign });
    await refused({ kind: 'district.residents', target: randomUUID() });

    // Pages of 2: the third resident of the north is on the second page.
    const { subject, reached } = await announceTo({ kind: 'district.residents', target: north }, ['in_app', 'email']);
    expect(reached).toEqual(ids([n1, n2, n3]));
    await eventually(async () => [n1, n2, n3].every((p) => smtp.mails.filter((m: CapturedMail) => m.to.includes(p.user.email) && m.subject.includes(subject)).length === 1), 'the district mails');
    expect(smtp.mails.filter((m: CapturedMail) => m.subject.includes(subject))).toHaveLength(3);
  });

  it("reaches a panel's sitting members, not its other volunteers nor those drawn who have not confirmed", async () => {
    const panel = await createPanel(t.http, admin, town.slug, smallPanelBody());
    const people: Array<{ session: Session; profileId: string }> = [];
    for (let i = 0; i < 2; i += 1) for (const features of PROFILES) people.push(await volunteer(t.http, town.slug, admin, panel.id, features));
    await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/pool/close`)).expect(200);
    const drawn = await admin.auth(t.http.post(`/api/v1/panels/${panel.id}/selections`)).send({ seed: 'audience-1' }).expect(201);
    const chosen = people.filter((p) => drawn.body.members.includes(p.profileId));
    expect(chosen).toHaveLength(4);

    // Drawn but not confirmed: volunteers still, members not yet.
    expect(await preview({ kind: 'panel.volunteers', target: panel.id })).toBe(8);
    expect(await preview({ kind: 'panel.members', target: panel.id })).toBe(0);
    for (const p of chosen) await p.session.auth(t.http.post(`/api/v1/panels/${panel.id}/members/me/confirm`)).expect(200);
    expect(await preview({ kind: 'panel.members', target: panel.id })).toBe(4);

    const foreignPanel = await createPanel(t.http, otherAdmin, other.slug, smallPanelBody());
    await refused({ kind: 'panel.members' });
    await refused({ kind: 'panel.members', target: foreignPanel.id });

    const { reached } = await announceTo({ kind: 'panel.members', target: panel.id });
    expect(reached).toEqual(ids(chosen.map((p) => p.session)));
  });

  it("reaches a workshop session's registered and waiting people, not those who cancelled", async () => {
    const sessionAt = async (by: Session, m: TestMunicipality, capacity: number) => {
      const venue = await createVenue(t.http, by, m.slug);
      return createWorkshop(t.http, by, m.slug, workshopBody({ sessions: [{ startsAt: localTime(7, 18), endsAt: localTime(7, 20), venueId: venue.id, capacity }] }));
    };
    // One seat: the second person waits.
    const workshop = await sessionAt(staff, town, 1);
    const session = workshop.sessions[0].id;
    const [seated, waiting, leaver] = await Promise.all(Array.from({ length: 3 }, (_, i) => createSession(t.http, { emailPrefix: `session-${i}` })));
    expect((await registerFor(t.http, seated, session)).status).toBe('registered');
    expect((await registerFor(t.http, waiting, session)).status).toBe('waitlisted');
    const left = await registerFor(t.http, leaver, session);
    await leaver.auth(t.http.post(`/api/v1/registrations/${left.id}/cancel`)).expect((res) => expect([200, 201]).toContain(res.status));

    expect(await preview({ kind: 'workshop.session_attendees', target: session })).toBe(2);
    const foreign = await sessionAt(otherAdmin, other, 10);
    await refused({ kind: 'workshop.session_attendees' });
    await refused({ kind: 'workshop.session_attendees', target: foreign.sessions[0].id });
    await refused({ kind: 'workshop.session_attendees', target: workshop.id });

    const { reached } = await announceTo({ kind: 'workshop.session_attendees', target: session });
    expect(reached).toEqual(ids([seated, waiting]));
  });

  it("reaches a proposal's followers through subject.followers", async () => {
    const topic = await admin.auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposal-topics`)).send({ code: 'parks', nameFr: 'Parcs', nameEn: 'Parks' }).expect(201);
    const author = await createSession(t.http, { emailPrefix: 'proposal-author' });
    await verify(author);
    const created = await author
      .auth(t.http.post(`/api/v1/municipalities/${town.slug}/proposals`))
      .send({ title: 'Un jardin partagé rue des Écoles', body: 'Un terrain vague pourrait devenir un jardin partagé pour le quartier.', topicId: topic.body.id })
      .expect(201);
    const proposal = created.body.id as string;
    await author.auth(t.http.post(`/api/v1/proposals/${proposal}/publish`)).expect(200);
    const fan = await createSession(t.http, { emailPrefix: 'proposal-fan' });
    await fan.auth(t.http.put(`/api/v1/proposals/${proposal}/follow`)).expect((res) => expect([200, 201, 204]).toContain(res.status));
    const followers: Array<{ user_id: string }> = await db.query(`SELECT user_id FROM follows WHERE subject_type = 'proposal' AND subject_id = $1 ORDER BY user_id`, [proposal]);
    expect(followers.map((f) => f.user_id)).toContain(fan.user.id);

    expect(await preview({ kind: 'subject.followers', target: `proposal:${proposal}` })).toBe(followers.length);
    await refused({ kind: 'subject.followers', target: `proposal:${randomUUID()}` });

    const { reached } = await announceTo({ kind: 'subject.followers', target: `proposal:${proposal}` });
    expect(reached).toEqual(followers.map((f) => f.user_id));
  });
});


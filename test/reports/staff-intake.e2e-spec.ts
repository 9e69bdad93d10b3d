import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createCategory, near } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session, uniqueEmail } from '../utils/sessions';

jest.setTimeout(90_000);

/** Staff-assisted intake: a report filed at the counter, on the phone, from a letter or at a third place. */
describe('Staff-assisted intake', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: Session;
  let staffOfOther: Session;
  let citizen: Session;
  let category: string;

  const url = () => `/api/v1/municipalities/${town.slug}/reports/assisted`;
  const body = (contact: Record<string, string>, channel = 'counter') => ({
    kind: 'problem',
    categoryCode: category,
    description: 'Lampadaire éteint rue des Postes, signalé au guichet',
    location: near(town),
    channel,
    contact,
  });

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Guichet-ville' });
    other = await createMunicipality(t.http, admin.accessToken, { name: 'Autre-ville' });
    [staff, staffOfOther, citizen] = await Promise.all([
      memberSession(t.http, admin.accessToken, town.slug, ['staff'], { displayName: 'Agent Accueil' }),
      memberSession(t.http, admin.accessToken, other.slug, ['staff']),
      createSession(t.http),
    ]);
    category = (await createCategory(t.http, admin.accessToken, town.slug)).code;
  });
  afterAll(() => t.close());

  it('files for the person: channel, contact and filer shown to staff, never to anyone else', async () => {
    const email = uniqueEmail('counter');
    const res = await staff.auth(t.http.post(url())).send(body({ name: 'Mme Dupont', email: email.toUpperCase(), phone: '+33 3 20 00 00 00' }, 'phone')).expect(201);
    expect(res.body.staff).toMatchObject({
      source: 'phone',
      contact: { name: 'Mme Dupont', email, phone: '+33 3 20 00 00 00' },
      filedBy: { id: staff.user.id, name: 'Agent Accueil' },
      reporter: null,
    });
    expect(res.body.reporterName).toBeNull();
    const id = res.body.id as string;

    // The staff view of the same report, from the entity mapper and from the queue's SQL one.
    const seen = (await staff.auth(t.http.get(`/api/v1/reports/${id}`)).expect(200)).body;
    expect(seen.staff).toMatchObject({ source: 'phone', contact: { email }, filedBy: { id: staff.user.id } });
    const queue = (await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/triage?limit=100`)).expect(200)).body;
    expect(queue.items.find((r: { id: string }) => r.id === id).staff).toMatchObject({ source: 'phone', contact: { email, phone: '+33 3 20 00 00 00' }, filedBy: { id: staff.user.id, name: 'Agent Accueil' } });
    const platform = (await admin.auth(t.http.get(`/api/v1/reports/${id}`)).expect(200)).body;
    expect(platform.staff.contact.email).toBe(email);

    // Anyone else: no contact, no channel, no filer, in any public view.
    for (const viewer of [undefined, citizen, staffOfOther]) {
      for (const path of [`/api/v1/reports/${id}`, `/api/v1/municipalities/${town.slug}/reports`, `/api/v1/municipalities/${town.slug}/reports?format=geojson`, `/api/v1/reports/${id}/timeline`]) {
        const req = t.http.get(path);
        const text = JSON.stringify((await (viewer ? viewer.auth(req) : req).expect(200)).body);
        if (!path.endsWith('timeline')) expect(text).toContain(id);
        for (const secret of [email, 'Dupont', '20 00 00', 'Agent Accueil']) expect(text).not.toContain(secret);
      }
    }
    const open311 = await t.http.get(`/open311/v2/requests/${res.body.number}.json?jurisdiction_id=${town.slug}`).expect(200);
    expect(JSON.stringify(open311.body)).not.toContain('Dupont');

    const [audit] = await db.query(`SELECT actor_id, after FROM audit_log WHERE action = 'report.filed_for_someone' AND target_id = $1`, [id]);
    expect(audit).toEqual({ actor_id: staff.user.id, after: { channel: 'phone', number: res.body.number, contactEmail: true, contactPhone: true } });
  });

  it('refuses anyone but that town staff, and contacts without e-mail nor phone', async () => {
    const ok = body({ name: 'M. Martin', phone: '0320000000' });
    await t.http.post(url()).send(ok).expect(401);
    await citizen.auth(t.http.post(url())).send(ok).expect(403);
    await staffOfOther.auth(t.http.post(url())).send(ok).expect(403);
    const noContact = await staff.auth(t.http.post(url())).send(body({ name: 'M. Martin' })).expect(400);
    expect(noContact.body.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(noContact.body.details)).toContain('contact');
    await staff.auth(t.http.post(url())).send(body({ name: 'M. Martin', email: 'not-an-email' })).expect(400);
    await staff.auth(t.http.post(url())).send(body({ name: 'M. Martin', phone: 'call me maybe' })).expect(400);
    await staff.auth(t.http.post(url())).send({ ...ok, channel: 'app' }).expect(400);
    await staff.auth(t.http.post(url())).send({ ...ok, anonymous: true }).expect(400);
    await staff.auth(t.http.post(url())).send({ ...ok, location: near(other) }).expect(422);
    await admin.auth(t.http.post(url())).send(ok).expect(201);
  });

  it('counts reports by channel in the statistics', async () => {
    const fresh = await createMunicipality(t.http, admin.accessToken);
    const code = (await createCategory(t.http, admin.accessToken, fresh.slug)).code;
    const agent = await memberSession(t.http, admin.accessToken, fresh.slug, ['staff']);
    const file = (channel: string) =>
      agent
        .auth(t.http.post(`/api/v1/municipalities/${fresh.slug}/reports/assisted`))
        .send({ kind: 'problem', categoryCode: code, description: 'Banc cassé', location: near(fresh), channel, contact: { name: 'X', phone: '0600000000' } })
        .expect(201);
    await file('counter');
    await file('counter');
    await file('third_place');
    await citizen
      .auth(t.http.post(`/api/v1/municipalities/${fresh.slug}/reports`))
      .send({ kind: 'problem', categoryCode: code, description: 'Banc cassé', location: near(fresh) })
      .expect(201);
    const stats = (await agent.auth(t.http.get(`/api/v1/municipalities/${fresh.slug}/reports/stats`)).expect(200)).body;
    expect(stats.byChannel).toEqual({ app: 1, open311: 0, phone: 0, counter: 2, mail: 0, third_place: 1 });
  });

  it('gives the reports filed for a person to the account with that verified e-mail, and forgets the contact at erasure', async () => {
    const person = await createSession(t.http);
    const filed = await staff.auth(t.http.post(url())).send(body({ name: 'Person', email: person.user.email }, 'mail')).expect(201);
    // Unverified, the address proves nothing: nothing is given.
    const before = (await person.auth(t.http.get('/api/v1/me/export')).expect(200)).body;
    expect(JSON.stringify(before)).not.toContain(filed.body.id);
    await db.query(`UPDATE users SET email_verified_at = now() WHERE id = $1`, [person.user.id]);
    const after = (await person.auth(t.http.get('/api/v1/me/export')).expect(200)).body;
    expect(after.sections.reports.filedForYou).toEqual([expect.objectContaining({ id: filed.body.id, channel: 'mail', contact: { name: 'Person', email: person.user.email, phone: null } })]);

    await person.auth(t.http.delete('/api/v1/me')).send({ password: person.user.password }).expect(204);
    const view = (await staff.auth(t.http.get(`/api/v1/reports/${filed.body.id}`)).expect(200)).body;
    expect(view.staff.contact).toBeNull();
    expect(view.status).toBe('new');
  });
});

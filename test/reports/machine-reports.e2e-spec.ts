import { DataSource } from 'typeorm';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession, Session } from '../utils/sessions';

jest.setTimeout(90_000);

type Created = Array<{ service_request_id: string; service_notice: string | null }>;

/** Smart street lighting: a lamp reports its own failure through Open311 with its device_id. */
describe('Machine reports (Open311 device_id)', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let town: TestMunicipality;
  let other: TestMunicipality;
  let staff: Session;
  let staffOfOther: Session;
  let citizen: Session;
  let key: { id: string; key: string };

  const form = (fields: Record<string, string>) =>
    Object.entries(fields)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');

  function send(device: string, category = 'lamp', extra: Record<string, string> = {}) {
    return t.http
      .post('/open311/v2/requests.json')
      .type('form')
      .send(form({ api_key: key.key, jurisdiction_id: town.slug, service_code: category, lat: String(town.center[1]), long: String(town.center[0]), device_id: device, description: 'Lampe hors service', ...extra }));
  }

  async function reportOf(number: string) {
    const [row] = await db.query(`SELECT id FROM reports WHERE number = $1`, [number]);
    return row.id as string;
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    town = await createMunicipality(t.http, admin.accessToken, { name: 'Lampville' });
    other = await createMunicipality(t.http, admin.accessToken, { name: 'Elsewhere' });
    const adminOfTown = await memberSession(t.http, admin.accessToken, town.slug, ['admin']);
    [staff, staffOfOther, citizen] = await Promise.all([
      memberSession(t.http, admin.accessToken, town.slug, ['staff']),
      memberSession(t.http, admin.accessToken, other.slug, ['staff']),
      createSession(t.http),
    ]);
    for (const code of ['lamp', 'pole']) {
      await adminOfTown.auth(t.http.post(`/api/v1/municipalities/${town.slug}/categories`)).send({ code, name: { fr: code } }).expect(201);
    }
    key = (await adminOfTown.auth(t.http.post(`/api/v1/municipalities/${town.slug}/api-keys`)).send({ name: 'Smart lighting' }).expect(201)).body;
  });
  afterAll(() => t.close());

  it('adds a repeated send of the same device and problem to the open report, with a count and the last time seen', async () => {
    const first = (await send('lamp-0042', 'lamp', { phone: '+33 6 00 00 00 42' }).expect(201)).body as Created;
    expect(first[0].service_notice).toBeNull();
    const again = (await send('lamp-0042').expect(201)).body as Created;
    expect(again[0].service_request_id).toBe(first[0].service_request_id);
    expect(again[0].service_notice).toContain('seen 2 times');
    // Another problem of the same device, and the same problem of another device: reports of their own.
    const otherProblem = (await send('lamp-0042', 'pole').expect(201)).body as Created;
    const otherDevice = (await send('lamp-0043').expect(201)).body as Created;
    expect(new Set([first, otherProblem, otherDevice].map((c) => c[0].service_request_id)).size).toBe(3);

    const id = await reportOf(first[0].service_request_id);
    const view = (await staff.auth(t.http.get(`/api/v1/reports/${id}`)).expect(200)).body;
    // The Open311 phone reaches staff with the rest of the contact.
    expect(view.staff.contact).toEqual({ name: null, email: null, phone: '+33 6 00 00 00 42' });
    expect(view.staff.device).toEqual({ id: 'lamp-0042', occurrenceCount: 2, lastSeenAt: expect.any(String) });
    expect(view.staff.apiKey).toEqual({ id: key.id, name: 'Smart lighting' });
    expect(view.staff.source).toBe('open311');
    // The same in the staff queue (the view PostgreSQL builds).
    const queue = (await staff.auth(t.http.get(`/api/v1/municipalities/${town.slug}/triage?limit=100`)).expect(200)).body;
    const inQueue = queue.items.find((r: { id: string }) => r.id === id);
    expect(inQueue.staff.device).toEqual(view.staff.device);
    expect(inQueue.staff.apiKey).toEqual(view.staff.apiKey);
    // One timeline line and one report.created event: a counted send is not a filing.
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM outbox_events WHERE type = 'report.created' AND aggregate_id = $1`, [id]);
    expect(n).toBe(1);
    const [{ lines }] = await db.query(`SELECT count(*)::int AS lines FROM report_events WHERE report_id = $1 AND type = 'created'`, [id]);
    expect(lines).toBe(1);
  });

  it('shows the device and the key to that town staff only', async () => {
    const sent = (await send('lamp-0100').expect(201)).body as Created;
    const id = await reportOf(sent[0].service_request_id);
    for (const viewer of [undefined, citizen, staffOfOther]) {
      const req = t.http.get(`/api/v1/reports/${id}`);
      const res = await (viewer ? viewer.auth(req) : req).expect(200);
      expect(res.body.staff).toBeUndefined();
      expect(JSON.stringify(res.body)).not.toContain('lamp-0100');
    }
    const adminView = (await admin.auth(t.http.get(`/api/v1/reports/${id}`)).expect(200)).body;
    expect(adminView.staff.device.id).toBe('lamp-0100');
    const open311 = await t.http.get(`/open311/v2/requests/${sent[0].service_request_id}.json?jurisdiction_id=${town.slug}`).expect(200);
    expect(JSON.stringify(open311.body)).not.toContain('lamp-0100');
    const withPhone = (await send('lamp-0101', 'lamp', { phone: '0612345678' }).expect(201)).body as Created;
    const phoneReport = await reportOf(withPhone[0].service_request_id);
    for (const viewer of [undefined, citizen, staffOfOther]) {
      const req = t.http.get(`/api/v1/reports/${phoneReport}`);
      expect(JSON.stringify((await (viewer ? viewer.auth(req) : req).expect(200)).body)).not.toContain('0612345678');
    }
    const list = await t.http.get(`/open311/v2/requests.json?jurisdiction_id=${town.slug}`).expect(200);
    expect(JSON.stringify(list.body)).not.toContain('0612345678');
  });

  it('files a new report once the open one is closed', async () => {
    const first = (await send('lamp-0200').expect(201)).body as Created;
    const id = await reportOf(first[0].service_request_id);
    const seen = (await staff.auth(t.http.get(`/api/v1/reports/${id}`)).expect(200)).body;
    await staff.auth(t.http.patch(`/api/v1/reports/${id}/triage`)).send({ version: seen.version, status: 'rejected', reason: 'invalid' }).expect(200);
    const after = (await send('lamp-0200').expect(201)).body as Created;
    expect(after[0].service_request_id).not.toBe(first[0].service_request_id);
    expect(after[0].service_notice).toBeNull();
  });

  it('counts many identical sends at once into one report, exactly', async () => {
    const sends = 25;
    const answers = await Promise.all(Array.from({ length: sends }, () => send('lamp-race')));
    for (const res of answers) expect(res.status).toBe(201);
    const numbers = new Set(answers.map((res) => (res.body as Created)[0].service_request_id));
    expect(numbers.size).toBe(1);
    const rows = await db.query(`SELECT occurrence_count FROM reports WHERE municipality_id = $1 AND device_id = 'lamp-race'`, [town.id]);
    expect(rows).toEqual([{ occurrence_count: sends }]);
  });
});

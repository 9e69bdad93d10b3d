import { createHash } from 'node:crypto';
import type { Response } from 'supertest';
import { DataSource } from 'typeorm';
import { convert } from 'xmlbuilder2';
import { createMunicipality, memberSession, TestMunicipality } from '../factories/municipality.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { platformAdminSession, Session } from '../utils/sessions';

// Signing up hashes passwords with argon2id: set-up takes a few seconds.
jest.setTimeout(90_000);

/** w3c date-time with an explicit offset (the spec requires one), to the second. */
const W3C_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$/;

type Xml = Record<string, unknown>;
const parseXml = (text: string) => convert(text, { format: 'object' }) as Xml;
/** xmlbuilder2 gives one child as an object, several as an array. */
const asList = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

const POTHOLE = {
  code: 'pothole',
  name: { fr: 'Nid-de-poule', en: 'Pothole' },
  description: { fr: 'Un trou dans la chaussée', en: 'A hole in the road' },
  department: 'voirie',
  keywords: ['route', 'trou'],
  attributes: [
    { code: 'depth', datatype: 'number', required: false, description: 'Profondeur (cm)', order: 2 },
    { code: 'size', datatype: 'singlevaluelist', required: true, description: 'Taille', order: 1, values: [{ key: 's', name: 'Petit' }, { key: 'l', name: 'Grand' }] },
    { code: 'sides', datatype: 'multivaluelist', required: false, description: 'Côtés', order: 3, values: [{ key: 'n', name: 'Nord' }, { key: 's', name: 'Sud' }] },
  ],
  serviceLevels: { normal: { acknowledgeWithin: { amount: 1, unit: 'days' }, resolveWithin: { amount: 5, unit: 'days' } } },
};

describe('Open311 GeoReport v2', () => {
  let t: TestApp;
  let db: DataSource;
  let admin: Session;
  let a: TestMunicipality;
  let b: TestMunicipality;
  let adminOfA: Session;
  let adminOfB: Session;
  let staffOfA: Session;
  let keyA: string;
  let keyB: string;

  const keysUrl = (slug: string) => `/api/v1/municipalities/${slug}/api-keys`;
  const inA = () => ({ lat: String(a.center[1]), long: String(a.center[0]) });

  async function createKey(by: Session, slug: string, name = 'Integration'): Promise<{ id: string; key: string }> {
    const res = await by.auth(t.http.post(keysUrl(slug))).send({ name }).expect(201);
    return res.body as { id: string; key: string };
  }

  /** POST requests.json form-encoded, as the spec sends it. */
  function postForm(form: string, format: 'json' | 'xml' = 'json') {
    return t.http.post(`/open311/v2/requests.${format}`).type('form').send(form);
  }

  function form(fields: Record<string, string>): string {
    return Object.entries(fields)
      .map(([k, v]) => `${k}=${encodeURIComponent(v)}`)
      .join('&');
  }

  async function fileRequest(extra: Record<string, string> = {}, attributes = 'attribute[size]=s'): Promise<string> {
    const res = await postForm(
      `${form({ api_key: keyA, jurisdiction_id: a.slug, service_code: 'pothole', ...inA(), description: 'Trou', ...extra })}&${attributes}`,
    ).expect(201);
    return (res.body as Array<{ service_request_id: string }>)[0].service_request_id;
  }

  function expectSpecErrors(res: Response, status: number, format: 'json' | 'xml' = 'json'): string[] {
    expect(res.status).toBe(status);
    if (format === 'xml') {
      expect(res.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
      const errors = asList((parseXml(res.text).errors as Xml).error as Xml | Xml[]);
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors) expect(e.code).toBe(String(status));
      return errors.map((e) => e.description as string);
    }
    expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
    expect(Array.isArray(res.body)).toBe(true);
    const errors = res.body as Array<{ code: number; description: string }>;
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) {
      expect(Object.keys(e).sort()).toEqual(['code', 'description']);
      expect(e.code).toBe(status);
    }
    return errors.map((e) => e.description);
  }

  beforeAll(async () => {
    t = await createTestApp();
    db = t.app.get(DataSource);
    admin = await platformAdminSession(t.http);
    a = await createMunicipality(t.http, admin.accessToken, { name: 'Roubaix-311', locale: 'fr', timezone: 'Europe/Paris' });
    b = await createMunicipality(t.http, admin.accessToken, { name: 'Tourcoing-311', locale: 'en' });
    [adminOfA, adminOfB, staffOfA] = await Promise.all([
      memberSession(t.http, admin.accessToken, a.slug, ['admin']),
      memberSession(t.http, admin.accessToken, b.slug, ['admin']),
      memberSession(t.http, admin.accessToken, a.slug, ['staff']),
    ]);
    const categories = (slug: string) => `/api/v1/municipalities/${slug}/categories`;
    await adminOfA.auth(t.http.post(categories(a.slug))).send(POTHOLE).expect(201);
    await adminOfA.auth(t.http.post(categories(a.slug))).send({ code: 'graffiti', name: { en: 'Graffiti' } }).expect(201);
    await adminOfA.auth(t.http.post(categories(a.slug))).send({ code: 'retired', name: { fr: 'Ancien' }, active: false }).expect(201);
    await adminOfB.auth(t.http.post(categories(b.slug))).send({ ...POTHOLE, attributes: [] }).expect(201);
    keyA = (await createKey(adminOfA, a.slug)).key;
    keyB = (await createKey(adminOfB, b.slug)).key;
  });
  afterAll(() => t.close());

  it('documents the endpoints in the API description under the open311 tag', async () => {
    const res = await t.http.get('/api/docs-json').expect(200);
    const paths = res.body.paths as Record<string, Record<string, { tags?: string[] }>>;
    for (const [path, method] of [
      ['/open311/v2/services.{format}', 'get'],
      ['/open311/v2/services/{file}', 'get'],
      ['/open311/v2/requests.{format}', 'post'],
      ['/open311/v2/requests.{format}', 'get'],
      ['/open311/v2/requests/{file}', 'get'],
      ['/api/v1/municipalities/{slug}/api-keys', 'post'],
      ['/api/v1/municipalities/{slug}/api-keys/{id}', 'delete'],
    ]) {
      expect(paths[path]?.[method]?.tags).toEqual(['open311']);
    }
  });

  describe('API keys', () => {
    it('are issued once by the municipality admin, stored as SHA-256 only, listed without the key, and audited', async () => {
      const res = await adminOfA.auth(t.http.post(keysUrl(a.slug))).send({ name: 'SeeClickFix' }).expect(201);
      expect(Object.keys(res.body).sort()).toEqual(['createdAt', 'id', 'key', 'name']);
      expect(res.body.key).toMatch(/^o311_[A-Za-z0-9_-]{43}$/);

      const [row] = await db.query(`SELECT * FROM open311_api_keys WHERE id = $1`, [res.body.id]);
      expect(row.key_hash).toBe(createHash('sha256').update(res.body.key).digest('hex'));
      expect(JSON.stringify(row)).not.toContain(res.body.key);

      const list = await adminOfA.auth(t.http.get(keysUrl(a.slug))).expect(200);
      const listed = (list.body as Array<Record<string, unknown>>).find((k) => k.id === res.body.id)!;
      expect(listed).toMatchObject({ name: 'SeeClickFix', revokedAt: null, lastUsedAt: null });
      expect(JSON.stringify(list.body)).not.toContain(res.body.key);
      expect(JSON.stringify(list.body)).not.toContain(row.key_hash);

      await adminOfA.auth(t.http.delete(`${keysUrl(a.slug)}/${res.body.id}`)).expect(204);
      await adminOfA.auth(t.http.delete(`${keysUrl(a.slug)}/${res.body.id}`)).expect(204);
      const audit = await db.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [res.body.id]);
      expect(audit.map((r: { action: string }) => r.action)).toEqual(['open311_api_key.created', 'open311_api_key.revoked']);
    });

    it('are refused to staff, to admins of other municipalities and to anonymous callers', async () => {
      await staffOfA.auth(t.http.post(keysUrl(a.slug))).send({ name: 'x' }).expect(403);
      await adminOfB.auth(t.http.post(keysUrl(a.slug))).send({ name: 'x' }).expect(403);
      await adminOfB.auth(t.http.get(keysUrl(a.slug))).expect(403);
      await t.http.get(keysUrl(a.slug)).expect(401);
      const { id } = await createKey(adminOfA, a.slug);
      await adminOfB.auth(t.http.delete(`${keysUrl(a.slug)}/${id}`)).expect(403);
      await adminOfB.auth(t.http.delete(`${keysUrl(b.slug)}/${id}`)).expect(404);
      await adminOfA.auth(t.http.delete(`${keysUrl(a.slug)}/not-a-uuid`)).expect(400);
      await adminOfA.auth(t.http.post(keysUrl(a.slug))).send({ name: '' }).expect(400);
    });
  });

  describe('services', () => {
    it('lists active services in JSON, named in the municipality language with fallback', async () => {
      const res = await t.http.get(`/open311/v2/services.json?jurisdiction_id=${a.slug}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
      expect(res.body).toEqual([
        { service_code: 'graffiti', service_name: 'Graffiti', description: null, metadata: false, type: 'realtime', keywords: null, group: null },
        {
          service_code: 'pothole',
          service_name: 'Nid-de-poule',
          description: 'Un trou dans la chaussée',
          metadata: true,
          type: 'realtime',
          keywords: 'route, trou',
          group: 'voirie',
        },
      ]);
      const inEnglish = await t.http.get(`/open311/v2/services.json?jurisdiction_id=${b.slug}`).expect(200);
      expect(inEnglish.body).toEqual([expect.objectContaining({ service_code: 'pothole', service_name: 'Pothole', metadata: false })]);
    });

    it('lists the same services in XML', async () => {
      const res = await t.http.get(`/open311/v2/services.xml?jurisdiction_id=${a.slug}`).expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
      expect(res.text.startsWith('<?xml version="1.0" encoding="UTF-8"?><services>')).toBe(true);
      const services = asList((parseXml(res.text).services as Xml).service as Xml[]);
      expect(services).toEqual([
        { service_code: 'graffiti', service_name: 'Graffiti', description: {}, metadata: 'false', type: 'realtime', keywords: {}, group: {} },
        {
          service_code: 'pothole',
          service_name: 'Nid-de-poule',
          description: 'Un trou dans la chaussée',
          metadata: 'true',
          type: 'realtime',
          keywords: 'route, trou',
          group: 'voirie',
        },
      ]);
    });

    it('gives a service definition with its attributes in order, in JSON and XML', async () => {
      const res = await t.http.get(`/open311/v2/services/pothole.json?jurisdiction_id=${a.slug}`).expect(200);
      expect(res.body.service_code).toBe('pothole');
      expect(res.body.attributes.map((x: { code: string }) => x.code)).toEqual(['size', 'depth', 'sides']);
      expect(res.body.attributes[0]).toEqual({
        variable: true,
        code: 'size',
        datatype: 'singlevaluelist',
        required: true,
        datatype_description: 'One key among the values',
        order: 1,
        description: 'Taille',
        values: [{ key: 's', name: 'Petit' }, { key: 'l', name: 'Grand' }],
      });
      expect(res.body.attributes[1]).toMatchObject({ code: 'depth', datatype: 'number', required: false, order: 2 });
      expect(res.body.attributes[1].values).toBeUndefined();

      const xml = await t.http.get(`/open311/v2/services/pothole.xml?jurisdiction_id=${a.slug}`).expect(200);
      const definition = parseXml(xml.text).service_definition as Xml;
      expect(definition.service_code).toBe('pothole');
      const attributes = asList((definition.attributes as Xml).attribute as Xml[]);
      expect(attributes[0]).toMatchObject({ variable: 'true', code: 'size', required: 'true', order: '1' });
      expect(asList(((attributes[0].values as Xml).value as Xml[]))).toEqual([{ key: 's', name: 'Petit' }, { key: 'l', name: 'Grand' }]);

      const plain = await t.http.get(`/open311/v2/services/graffiti.xml?jurisdiction_id=${a.slug}`).expect(200);
      expect(plain.text).toContain('<service_definition><service_code>graffiti</service_code><attributes/></service_definition>');
    });

    it('answers unknown or inactive services, unknown and missing jurisdictions in the spec error format', async () => {
      expect(expectSpecErrors(await t.http.get(`/open311/v2/services/nope.json?jurisdiction_id=${a.slug}`), 404)[0]).toContain('service_code "nope"');
      expectSpecErrors(await t.http.get(`/open311/v2/services/retired.json?jurisdiction_id=${a.slug}`), 404);
      expect(expectSpecErrors(await t.http.get('/open311/v2/services.json?jurisdiction_id=no-such-town'), 404)[0]).toContain('jurisdiction_id "no-such-town" was not found');
      expect(expectSpecErrors(await t.http.get('/open311/v2/services.xml?jurisdiction_id=no-such-town'), 404, 'xml')[0]).toContain('not found');
      expect(expectSpecErrors(await t.http.get('/open311/v2/services.json'), 400)[0]).toContain('jurisdiction_id was not provided');
      expectSpecErrors(await t.http.get(`/open311/v2/services.yaml?jurisdiction_id=${a.slug}`), 404);
      expectSpecErrors(await t.http.get(`/open311/v2/requests/1.xml`), 400, 'xml');
    });
  });

  describe('POST requests', () => {
    it('files a form-encoded request with attributes, then shows it in JSON and XML without contact data', async () => {
      const media = 'https://media.example.org/p/1234.jpg';
      const res = await postForm(
        form({
          api_key: keyA,
          jurisdiction_id: a.slug,
          service_code: 'pothole',
          ...inA(),
          address_string: '12 rue de la Gare, Roubaix',
          email: 'jeanne.martin@example.org',
          first_name: 'Jeanne',
          last_name: 'Martin',
          phone: '+33 6 12 34 56 78',
          device_id: 'device-42',
          account_id: 'acc-1',
          description: 'Un grand trou\ndevant la gare',
          media_url: media,
        }) + '&attribute[size]=l&attribute[sides][]=n&attribute[sides][]=s&attribute[depth]=12',
      ).expect(201);
      expect(res.headers['content-type']).toMatch(/^application\/json; charset=utf-8/);
      expect(res.body).toEqual([{ service_request_id: expect.stringMatching(/^\d+$/), service_notice: null, account_id: 'acc-1' }]);
      const id = res.body[0].service_request_id as string;

      const [stored] = await db.query(
        `SELECT r.*, o.media_url, o.phone, o.device_id, o.account_id, o.api_key_id, k.last_used_at
           FROM reports r JOIN open311_requests o ON o.report_id = r.id JOIN open311_api_keys k ON k.id = o.api_key_id WHERE r.number = $1`,
        [id],
      );
      expect(stored).toMatchObject({
        kind: 'problem',
        source: 'open311',
        reporter_id: null,
        contact_name: 'Jeanne Martin',
        contact_email: 'jeanne.martin@example.org',
        category_code: 'pothole',
        attributes: { size: 'l', sides: ['n', 's'], depth: 12 },
        media_url: media,
        phone: '+33 6 12 34 56 78',
        device_id: 'device-42',
        account_id: 'acc-1',
      });
      expect(stored.last_used_at).not.toBeNull();

      const one = await t.http.get(`/open311/v2/requests/${id}.json?jurisdiction_id=${a.slug}`).expect(200);
      expect(one.body).toHaveLength(1);
      const item = one.body[0];
      expect(Object.keys(item)).toEqual([
        'service_request_id', 'status', 'status_notes', 'service_name', 'service_code', 'description', 'agency_responsible', 'service_notice',
        'requested_datetime', 'updated_datetime', 'expected_datetime', 'address', 'address_id', 'zipcode', 'lat', 'long', 'media_url',
      ]);
      expect(item).toMatchObject({
        service_request_id: id,
        status: 'open',
        status_notes: null,
        service_name: 'Nid-de-poule',
        service_code: 'pothole',
        description: 'Un grand trou\ndevant la gare',
        agency_responsible: 'voirie',
        address: '12 rue de la Gare, Roubaix',
        lat: a.center[1],
        long: a.center[0],
        media_url: media,
      });
      for (const field of ['requested_datetime', 'updated_datetime', 'expected_datetime']) expect(item[field]).toMatch(W3C_WITH_OFFSET);
      // Europe/Paris: +01:00 in winter, +02:00 in summer.
      expect(item.requested_datetime).toMatch(/\+0[12]:00$/);
      expect(Date.parse(item.requested_datetime)).toBeLessThanOrEqual(Date.now());
      expect(Date.parse(item.expected_datetime)).toBeGreaterThan(Date.parse(item.requested_datetime));

      const xml = await t.http.get(`/open311/v2/requests/${id}.xml?jurisdiction_id=${a.slug}`).expect(200);
      expect(xml.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
      const request = (parseXml(xml.text).service_requests as Xml).request as Xml;
      expect(request).toMatchObject({ service_request_id: id, status: 'open', service_code: 'pothole', lat: String(a.center[1]), media_url: media });
      expect(request.expected_datetime).toBe(item.expected_datetime);
      expect(request.zipcode).toEqual({});

      // Staff-only contact data never reaches public output, in any format.
      const list = await t.http.get(`/open311/v2/requests.json?jurisdiction_id=${a.slug}&service_request_id=${id}`).expect(200);
      const report = await t.http.get(`/api/v1/reports/${stored.id}`).expect(200);
      for (const text of [one.text, xml.text, list.text, report.text]) {
        for (const secret of ['jeanne.martin@example.org', 'Jeanne', 'Martin', '12 34 56 78', 'device-42', 'acc-1']) expect(text).not.toContain(secret);
      }
    });

    it('files a JSON request and answers the XML creation document', async () => {
      const json = await t.http
        .post('/open311/v2/requests.json')
        .send({ api_key: keyA, jurisdiction_id: a.slug, service_code: 'pothole', lat: a.center[1], long: a.center[0], attribute: { size: 's', sides: ['s'] } })
        .expect(201);
      expect(json.body[0].service_request_id).toMatch(/^\d+$/);
      expect(json.body[0].account_id).toBeNull();

      const xml = await postForm(form({ api_key: keyA, service_code: 'graffiti', ...inA(), description: 'Tag' }) + `&jurisdiction_id=${a.slug}`, 'xml').expect(201);
      expect(xml.headers['content-type']).toMatch(/^text\/xml; charset=utf-8/);
      const created = (parseXml(xml.text).service_requests as Xml).request as Xml;
      expect(created.service_request_id).toMatch(/^\d+$/);
      expect(created.account_id).toEqual({});

      // No service level on graffiti: no expected_datetime.
      const shown = await t.http.get(`/open311/v2/requests/${created.service_request_id as string}.json?jurisdiction_id=${a.slug}`).expect(200);
      expect(shown.body[0]).toMatchObject({ service_code: 'graffiti', service_name: 'Graffiti', expected_datetime: null, agency_responsible: a.name, media_url: null });
    });

    it('takes the api_key and jurisdiction_id from the query string too', async () => {
      await t.http
        .post(`/open311/v2/requests.json?api_key=${keyA}&jurisdiction_id=${a.slug}`)
        .type('form')
        .send(form({ service_code: 'graffiti', ...inA() }))
        .expect(201);
    });

    it('refuses a missing, unknown, foreign or revoked api_key with 403', async () => {
      const body = (key?: string) => form({ ...(key ? { api_key: key } : {}), jurisdiction_id: a.slug, service_code: 'graffiti', ...inA() });
      expect(expectSpecErrors(await postForm(body()), 403)[0]).toContain('api_key');
      expectSpecErrors(await postForm(body('o311_' + 'x'.repeat(43))), 403);
      expectSpecErrors(await postForm(body('nonsense')), 403);
      expectSpecErrors(await postForm(body(keyB)), 403);
      expectSpecErrors(await postForm(body(keyB), 'xml'), 403, 'xml');

      const revoked = await createKey(adminOfA, a.slug, 'to revoke');
      await postForm(body(revoked.key)).expect(201);
      await adminOfA.auth(t.http.delete(`${keysUrl(a.slug)}/${revoked.id}`)).expect(204);
      expectSpecErrors(await postForm(body(revoked.key)), 403);
      const list = await adminOfA.auth(t.http.get(keysUrl(a.slug))).expect(200);
      expect((list.body as Array<{ id: string; revokedAt: string | null; lastUsedAt: string | null }>).find((k) => k.id === revoked.id)).toMatchObject({
        revokedAt: expect.any(String),
        lastUsedAt: expect.any(String),
      });
    });

    it('refuses bad parameters with 400 naming them', async () => {
      const base = { api_key: keyA, jurisdiction_id: a.slug };
      expect(expectSpecErrors(await postForm(form({ ...base, ...inA() })), 400)).toEqual(['service_code was not provided']);
      expectSpecErrors(await postForm(form({ ...base, service_code: 'nope', ...inA() })), 404);
      expectSpecErrors(await postForm(form({ ...base, service_code: 'retired', ...inA() })), 404);

      const bad = expectSpecErrors(await postForm(form({ ...base, service_code: 'pothole', ...inA() }) + '&attribute[size]=xl&attribute[colour]=red'), 400);
      expect(bad.some((d) => d.startsWith('attribute[size]:'))).toBe(true);
      expect(bad.some((d) => d.startsWith('attribute[colour]:'))).toBe(true);
      const missing = expectSpecErrors(await postForm(form({ ...base, service_code: 'pothole', ...inA() })), 400);
      expect(missing).toEqual(['attribute[size]: is required']);
      expect(expectSpecErrors(await postForm(form({ ...base, service_code: 'pothole', ...inA() }) + '&attribute[size]=s&attribute[depth]=deep'), 400)).toEqual([
        'attribute[depth]: must be a number',
      ]);
      expectSpecErrors(await postForm(form({ ...base, service_code: 'graffiti', ...inA(), description: 'x'.repeat(4001) })), 400);
      expectSpecErrors(await postForm(form({ ...base, service_code: 'graffiti', ...inA(), media_url: 'file:///etc/passwd' })), 400);
      expectSpecErrors(await postForm(form({ ...base, service_code: 'graffiti', ...inA(), email: 'not-an-email' })), 400);
      expect(expectSpecErrors(await postForm(form({ ...base, service_code: 'graffiti', lat: '50.1' })), 400)).toEqual(['lat and long must both be sent']);
    });

    it('needs coordinates: an address alone is refused, as this server does not geocode', async () => {
      const res = await postForm(form({ api_key: keyA, jurisdiction_id: a.slug, service_code: 'graffiti', address_string: '1 place de la Mairie' }));
      expect(expectSpecErrors(res, 400)[0]).toMatch(/lat and long are required: this server does not geocode/);
      expectSpecErrors(await postForm(form({ api_key: keyA, jurisdiction_id: a.slug, service_code: 'graffiti' }), 'xml'), 400, 'xml');
    });

    it('refuses a location outside the municipality, naming the one that contains it', async () => {
      const inB = { lat: String(b.center[1]), long: String(b.center[0]) };
      const [description] = expectSpecErrors(await postForm(form({ api_key: keyA, jurisdiction_id: a.slug, service_code: 'graffiti', ...inB })), 400);
      expect(description).toContain(`not in ${a.name} but in ${b.name}`);
      expect(description).toContain(`jurisdiction_id=${b.slug}`);
      const far = { lat: String(a.center[1] > 0 ? a.center[1] - 0.5 : a.center[1] + 0.5), long: String(a.center[0]) };
      expect(expectSpecErrors(await postForm(form({ api_key: keyA, jurisdiction_id: a.slug, service_code: 'graffiti', ...far })), 400)[0]).toContain(`not in ${a.name}`);
    });
  });

  describe('GET requests', () => {
    let open1: string;
    let open2: string;
    let graffiti: string;
    let resolved: string;
    let hidden: string;
    let ofB: string;

    beforeAll(async () => {
      open1 = await fileRequest();
      open2 = await fileRequest({}, 'attribute[size]=l');
      graffiti = (
        await postForm(form({ api_key: keyA, jurisdiction_id: a.slug, service_code: 'graffiti', ...inA() })).expect(201)
      ).body[0].service_request_id;
      resolved = await fileRequest();
      hidden = await fileRequest();
      ofB = (
        await postForm(form({ api_key: keyB, jurisdiction_id: b.slug, service_code: 'pothole', lat: String(b.center[1]), long: String(b.center[0]) })).expect(201)
      ).body[0].service_request_id;
      // Triage is another part of the product; here the states are set directly.
      await db.query(`UPDATE reports SET status = 'resolved', resolved_at = now() WHERE number = $1`, [resolved]);
      await db.query(`UPDATE reports SET hidden_at = now() WHERE number = $1`, [hidden]);
    });

    const ids = (res: Response) => (res.body as Array<{ service_request_id: string }>).map((r) => r.service_request_id);
    const list = (query: string) => t.http.get(`/open311/v2/requests.json?jurisdiction_id=${a.slug}&${query}`);

    it('lists the last 90 days newest first, public reports only', async () => {
      const res = await list('').expect(200);
      const all = ids(res);
      expect(all).toEqual(expect.arrayContaining([open1, open2, graffiti, resolved]));
      expect(all).not.toContain(hidden);
      expect(all).not.toContain(ofB);
      expect(all.indexOf(open2)).toBeLessThan(all.indexOf(open1));
      await t.http.get(`/open311/v2/requests/${hidden}.json?jurisdiction_id=${a.slug}`).expect(404);
      expectSpecErrors(await t.http.get(`/open311/v2/requests/${ofB}.json?jurisdiction_id=${a.slug}`), 404);
      expectSpecErrors(await t.http.get(`/open311/v2/requests/abc.xml?jurisdiction_id=${a.slug}`), 404, 'xml');
    });

    it('filters by status', async () => {
      const open = ids(await list('status=open').expect(200));
      expect(open).toEqual(expect.arrayContaining([open1, open2, graffiti]));
      expect(open).not.toContain(resolved);
      const closed = await list('status=closed').expect(200);
      expect(ids(closed)).toContain(resolved);
      expect(ids(closed)).not.toContain(open1);
      const shown = (closed.body as Array<Record<string, unknown>>).find((r) => r.service_request_id === resolved)!;
      expect(shown.status).toBe('closed');
      expect(shown.updated_datetime).toMatch(W3C_WITH_OFFSET);
      expect(ids(await list('status=open,closed').expect(200))).toEqual(expect.arrayContaining([open1, resolved]));
      expect(ids(await list('status=open&status=closed').expect(200))).toEqual(expect.arrayContaining([open1, resolved]));
      expectSpecErrors(await list('status=pending'), 400);
    });

    it('filters by service_code', async () => {
      expect(ids(await list('service_code=graffiti').expect(200))).toEqual(expect.arrayContaining([graffiti]));
      expect(ids(await list('service_code=graffiti').expect(200))).not.toContain(open1);
      expect(ids(await list('service_code=graffiti,pothole').expect(200))).toEqual(expect.arrayContaining([graffiti, open1]));
    });

    it('filters by a date window of at most 90 days', async () => {
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const inAnHour = new Date(Date.now() + 3_600_000).toISOString();
      expect(ids(await list(`start_date=${hourAgo}&end_date=${inAnHour}`).expect(200))).toEqual(expect.arrayContaining([open1, graffiti]));
      expect(ids(await list(`start_date=${encodeURIComponent(inAnHour)}`).expect(200))).toEqual([]);
      expect(ids(await list(`end_date=${encodeURIComponent(hourAgo)}`).expect(200))).toEqual([]);
      expect(ids(await list(`start_date=${encodeURIComponent('2026-01-01T00:00:00+01:00')}&end_date=2026-01-02T00:00:00Z`).expect(200))).toEqual([]);
      expect(expectSpecErrors(await list('start_date=2025-01-01T00:00:00Z&end_date=2025-06-01T00:00:00Z'), 400)[0]).toContain('90 days');
      expectSpecErrors(await list('start_date=yesterday'), 400);
      expectSpecErrors(await list('start_date=2025-06-01T00:00:00Z&end_date=2025-05-01T00:00:00Z'), 400);
    });

    it('takes a service_request_id list that overrides every other filter', async () => {
      const res = await list(`service_request_id=${open1},${resolved},${hidden},${ofB}&status=open&service_code=graffiti&end_date=2000-01-01T00:00:00Z`).expect(200);
      expect(ids(res).sort()).toEqual([open1, resolved].sort());
      expectSpecErrors(await list('service_request_id=1,abc'), 400);
    });

    it('lists in XML as <service_requests><request>', async () => {
      const res = await t.http.get(`/open311/v2/requests.xml?jurisdiction_id=${a.slug}&service_request_id=${open1},${open2}`).expect(200);
      const requests = asList((parseXml(res.text).service_requests as Xml).request as Xml[]);
      expect(requests.map((r) => r.service_request_id).sort()).toEqual([open1, open2].sort());
      for (const r of requests) {
        expect(r.status).toBe('open');
        expect(r.requested_datetime).toMatch(W3C_WITH_OFFSET);
      }
      const none = await t.http.get(`/open311/v2/requests.xml?jurisdiction_id=${a.slug}&service_code=nothing`).expect(200);
      expect(none.text).toContain('<service_requests/>');
    });
  });
});

import { randomBytes, randomUUID } from 'node:crypto';
import { createMunicipality } from '../factories/municipality.factory';
import { createCategory, createReport } from '../factories/report.factory';
import { createTestApp, TestApp } from '../utils/create-test-app';
import { createSession, platformAdminSession } from '../utils/sessions';

/**
 * Every operation of the OpenAPI document, read at run time (so a route is covered the day it
 * is added), sent hostile input in its path, query and body — as an anonymous caller, a citizen
 * and a platform admin. Nothing may answer 5xx. Requests go through Fastify's inject (in
 * process, no sockets) a few at a time: ~6,000 requests in well under a minute on 2 cores.
 */

type Operation = { method: string; path: string; query: string[]; json: boolean; properties: string[] };
type Variant = { name: string; url: string; body?: string };

/** Operations whose success would end the shared admin's session or account for other suites. */
const SKIPPED = new Set(['DELETE /api/v1/me', 'POST /api/v1/auth/logout']);

const NESTED_20K = '['.repeat(20_000) + ']'.repeat(20_000);
const NESTED_3K = '['.repeat(3_000) + ']'.repeat(3_000);
// Raw JSON texts, since JSON.stringify would escape them into something else.
const BODY_VALUES: Record<string, string> = {
  null: 'null',
  nul: JSON.stringify('a\u0000b'),
  loneSurrogate: '"a\\ud800b"',
  loneLowSurrogate: '"\\udc00"',
  object: '{"$gt":""}',
  array: '[1,"a",null]',
  number: '1e400',
  negative: '-1',
  boolean: 'true',
  huge: JSON.stringify('x'.repeat(20_000)),
  badUuid: '"not-a-uuid"',
  nested3k: NESTED_3K,
};
const forgedCursor = Buffer.from(
  JSON.stringify({ t: '2026-02-31 25:61:00+00', at: '2026-02-31T00:00:00.000000Z', id: 'x\u0000', s: 'age', k0: '2026-02-31', k1: "1' OR 1=1", name: '\ud800', user: 'nope', slug: '\u0000' }),
).toString('base64url');
const QUERY_VALUES: Record<string, string> = {
  nul: '%00',
  loneSurrogate: '%ED%A0%80',
  invalidUtf8: '%C0%AF%FF',
  empty: '',
  huge: 'x'.repeat(5_000),
  negative: '-1',
  number: '1e400',
  badUuid: 'not-a-uuid',
  cursor: forgedCursor,
};
const PATH_VALUES: Record<string, string> = {
  nul: 'a%00b',
  loneSurrogate: '%ED%A0%80',
  badUuid: 'not-a-uuid',
  huge: 'x'.repeat(3_000),
  dots: '..%2F..%2Fetc',
};

function operationsOf(doc: { paths: Record<string, Record<string, Record<string, unknown>>>; components?: { schemas?: Record<string, { properties?: object }> } }): Operation[] {
  const schemas = doc.components?.schemas ?? {};
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const parameters = (op.parameters ?? []) as Array<{ in: string; name: string }>;
      const content = (op.requestBody as { content?: Record<string, { schema?: { $ref?: string; properties?: object } }> } | undefined)?.content ?? {};
      const jsonSchema = content['application/json']?.schema;
      const resolved = jsonSchema?.$ref ? schemas[jsonSchema.$ref.split('/').pop()!] : jsonSchema;
      ops.push({
        method: method.toUpperCase(),
        path,
        query: parameters.filter((p) => p.in === 'query').map((p) => p.name),
        json: Boolean(jsonSchema),
        properties: Object.keys(resolved?.properties ?? {}),
      });
    }
  }
  return ops.filter((op) => !SKIPPED.has(`${op.method} ${op.path}`));
}

describe('hostile input sweep over the OpenAPI document', () => {
  let t: TestApp;
  beforeAll(async () => {
    // Limits raised so the sweep measures our answers, not the rate limiter's.
    t = await createTestApp({ env: { RATE_LIMIT_PER_MINUTE: '1000000', AUTH_RATE_LIMIT_PER_MINUTE: '1000000' } });
  });
  afterAll(() => t.close());

  it('answers no hostile request with a 5xx, for any role', async () => {
    const admin = await platformAdminSession(t.http);
    const citizen = await createSession(t.http);
    const town = await createMunicipality(t.http, admin.accessToken);
    const category = await createCategory(t.http, admin.accessToken, town.slug);
    const report = await createReport(t.http, citizen.accessToken, town, category.code);
    const goodPath: Record<string, string> = { slug: town.slug, code: category.code, id: report.id, userId: citizen.user.id, collection: 'reports', format: 'json', file: `${report.id}.json` };

    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    const operations = operationsOf(doc);
    expect(operations.length).toBeGreaterThan(50);

    const fill = (path: string, override?: [string, string]) =>
      path.replace(/\{([^}]+)\}/g, (_all, name: string) => (override && override[0] === name ? override[1] : (goodPath[name] ?? randomUUID())));
    const variantsOf = (op: Operation): Variant[] => {
      const variants: Variant[] = [];
      for (const [param] of op.path.matchAll(/\{([^}]+)\}/g)) {
        const name = param.slice(1, -1);
        for (const [kind, value] of Object.entries(PATH_VALUES)) variants.push({ name: `path ${name}=${kind}`, url: fill(op.path, [name, value]) });
      }
      const names = [...op.query, 'unknownParam'];
      for (const [kind, value] of Object.entries(QUERY_VALUES)) {
        variants.push({ name: `query=${kind}`, url: `${fill(op.path)}?${names.map((n) => `${n}=${value}`).join('&')}` });
      }
      variants.push({ name: 'query repeated and nested', url: `${fill(op.path)}?${names.map((n) => `${n}=1&${n}=2&${n}[a][b]=3`).join('&')}` });
      if (op.json) {
        const fields = op.properties.length ? op.properties : ['field'];
        for (const [kind, raw] of Object.entries(BODY_VALUES)) {
          variants.push({ name: `body=${kind}`, url: fill(op.path), body: `{${fields.map((f) => `${JSON.stringify(f)}:${raw}`).join(',')}}` });
        }
        variants.push({ name: 'body nested 20k', url: fill(op.path), body: NESTED_20K });
        variants.push({ name: 'body nested in key', url: fill(op.path), body: `{"a":{"\\ud800":1},"\\u0000":2}` });
      }
      return variants;
    };

    const roles: Array<[string, Record<string, string>]> = [
      ['anonymous', {}],
      ['citizen', { authorization: `Bearer ${citizen.accessToken}` }],
      ['admin', { authorization: `Bearer ${admin.accessToken}` }],
    ];
    const requests = operations.flatMap((op) => variantsOf(op).flatMap((v) => roles.map(([role, auth]) => ({ op, v, role, auth }))));
    const fastify = t.app.getHttpAdapter().getInstance();
    // One address of our own, so the sweep's traffic never counts against other suites' limits.
    const ip = `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const { op, v, role, auth } = requests[next++];
        const res = await fastify.inject({
          method: op.method as 'GET',
          url: v.url,
          headers: { ...auth, 'x-forwarded-for': ip, ...(v.body !== undefined ? { 'content-type': 'application/json' } : {}) },
          ...(v.body !== undefined ? { payload: v.body } : {}),
        });
        if (res.statusCode >= 500) failures.push(`${role} ${op.method} ${op.path} [${v.name}] → ${res.statusCode} ${res.body.slice(0, 160)}`);
      }
    };
    const started = Date.now();
    await Promise.all(Array.from({ length: 6 }, worker));
    const seconds = (Date.now() - started) / 1000;
    console.log(`hostile sweep: ${requests.length} requests over ${operations.length} operations in ${seconds.toFixed(1)} s`);
    expect(failures).toEqual([]);
    expect(requests.length).toBeGreaterThan(3000);
  }, 180_000);
});

import { createTestApp, TestApp } from '../utils/create-test-app';

type Schema = { type?: string; properties?: Record<string, Schema>; items?: Schema; $ref?: string; additionalProperties?: unknown; oneOf?: unknown; allOf?: unknown; anyOf?: unknown; example?: unknown };
type Operation = { security?: unknown[]; responses: Record<string, { content?: Record<string, { schema?: Schema }> }> };

/** The OpenAPI document as clients and the web app's generated client read it. */
describe('OpenAPI document', () => {
  let t: TestApp;
  let doc: { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, Schema> } };
  beforeAll(async () => {
    t = await createTestApp();
    doc = (await t.http.get('/api/docs-json').expect(200)).body;
  });
  afterAll(() => t.close());

  const operations = () => Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })));

  it('gives every operation its error responses, with one shared schema, 401 on every secured one and 500 everywhere', () => {
    const problems: string[] = [];
    for (const { name, op } of operations()) {
      const errors = Object.entries(op.responses).filter(([status]) => Number(status) >= 400);
      if (!op.responses['500']) problems.push(`${name}: no 500`);
      if (op.security?.length && !op.responses['401']) problems.push(`${name}: secured without 401`);
      for (const [status, response] of errors) {
        const schema = response.content?.['application/json']?.schema;
        const shared = schema?.$ref === '#/components/schemas/ErrorResponseDto';
        // Open311 routes answer errors in the spec's own list format, documented as such.
        const open311 = name.includes(' /open311/') && schema?.type === 'array';
        if (!shared && !open311) problems.push(`${name}: ${status} without the shared error schema`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('describes the error schema with details always an array', () => {
    const schema = doc.components.schemas.ErrorResponseDto;
    expect(schema.properties!.details).toMatchObject({ type: 'array', items: { $ref: '#/components/schemas/ErrorDetailDto' } });
    expect(Object.keys(doc.components.schemas.ErrorDetailDto.properties!).sort()).toEqual(['code', 'field', 'message']);
  });

  it.each(['ReportResponseDto', 'ReportLocationResponseDto', 'ReportCategoryRefDto', 'MunicipalityResponseDto', 'ErrorResponseDto', 'ErrorDetailDto'])(
    'gives every plain field of the main schema %s an example',
    (name) => {
      const schema = doc.components.schemas[name];
      const missing = Object.entries(schema.properties!)
        .filter(([, p]) => !p.$ref && !p.allOf && !(p as { enum?: unknown }).enum && p.type !== 'array' && !p.oneOf)
        .filter(([field, p]) => p.example === undefined && !(name === 'ErrorResponseDto' && field === 'errorId'))
        .map(([field]) => field);
      expect(missing).toEqual([]);
    },
  );

  it('types no field as a bare object', () => {
    const bare: string[] = [];
    const visit = (where: string, schema: Schema | undefined) => {
      if (!schema) return;
      if (schema.type === 'object' && !schema.properties && !schema.additionalProperties && !schema.$ref && !schema.oneOf && !schema.allOf && !schema.anyOf) bare.push(where);
      for (const [name, property] of Object.entries(schema.properties ?? {})) visit(`${where}.${name}`, property);
      if (schema.items) visit(`${where}[]`, schema.items);
    };
    for (const [name, schema] of Object.entries(doc.components.schemas)) visit(name, schema);
    expect(bare).toEqual([]);
  });
});

describe('GeoJSON and Open311 discovery', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('documents the GeoJSON list as a FeatureCollection of Point features', async () => {
    const doc = (await t.http.get('/api/docs-json').expect(200)).body;
    const ok = doc.paths['/api/v1/municipalities/{slug}/reports'].get.responses['200'].content;
    expect(ok['application/geo+json'].schema).toEqual({ $ref: '#/components/schemas/ReportFeatureCollectionDto' });
    const schemas = doc.components.schemas;
    expect(schemas.ReportFeatureCollectionDto.properties.type.enum).toEqual(['FeatureCollection']);
    expect(schemas.ReportFeatureCollectionDto.properties.features.items).toEqual({ $ref: '#/components/schemas/ReportFeatureDto' });
    expect(schemas.ReportFeatureDto.properties.geometry).toEqual({ $ref: '#/components/schemas/GeoJsonPointDto' });
    expect(schemas.GeoJsonPointDto.properties.type.enum).toEqual(['Point']);
    expect(schemas.ReportFeaturePropertiesDto.properties.location).toBeUndefined();
  });

  it('serves the Open311 discovery document in JSON and XML, pointing at the GeoReport v2 endpoint', async () => {
    const json = await t.http.get('/open311/discovery.json').expect(200);
    expect(json.headers['content-type']).toMatch(/^application\/json/);
    expect(json.body).toEqual({
      changeset: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      contact: expect.any(String),
      key_service: expect.stringContaining('/api-keys'),
      endpoints: [
        {
          specification: 'http://wiki.open311.org/GeoReport_v2',
          url: `${t.config.publicUrl}/open311/v2`,
          changeset: expect.any(String),
          type: 'test',
          formats: ['text/xml', 'application/json'],
        },
      ],
    });
    const xml = await t.http.get('/open311/discovery.xml').expect(200);
    expect(xml.headers['content-type']).toMatch(/^text\/xml/);
    expect(xml.text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(xml.text).toContain(`<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>${t.config.publicUrl}/open311/v2</url>`);
    expect(xml.text).toContain('<formats><format>text/xml</format><format>application/json</format></formats>');
    // The services list the discovery document points at answers there.
    await t.http.get(`${new URL(json.body.endpoints[0].url).pathname}/services.json`).query({ jurisdiction_id: 'no-such-town' }).expect(404);
    await t.http.get('/open311/discovery.csv').expect(404);
  });
});

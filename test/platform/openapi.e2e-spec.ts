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

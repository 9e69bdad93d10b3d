import { convert } from 'xmlbuilder2';
import { formatOfPath, renderOpen311, splitFormat, toOpen311Xml, w3cDateTime } from './open311-format';

describe('Open311 formats', () => {
  it('writes services as <services><service> with empty elements for nulls', () => {
    const xml = toOpen311Xml({
      root: 'services',
      items: [{ service_code: 'pothole', service_name: 'Nid-de-poule & trou', description: null, metadata: true, type: 'realtime', keywords: 'road, hole', group: null }],
    });
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>')).toBe(true);
    expect(xml).toContain('<service><service_code>pothole</service_code><service_name>Nid-de-poule &amp; trou</service_name><description/>');
    expect(xml).toContain('<metadata>true</metadata><type>realtime</type><keywords>road, hole</keywords><group/></service>');
  });

  it('writes an empty list as an empty root', () => {
    expect(toOpen311Xml({ root: 'service_requests', items: [] })).toContain('<service_requests/>');
  });

  it('nests a service definition as attributes/attribute and values/value, in the spec order', () => {
    const doc = {
      root: 'service_definition' as const,
      definition: {
        service_code: 'pothole',
        attributes: [
          { variable: true, code: 'size', datatype: 'singlevaluelist' as const, required: true, datatype_description: null, order: 1, description: 'Size', values: [{ key: 's', name: 'Small' }, { key: 'l', name: 'Large' }] },
          { variable: true, code: 'depth', datatype: 'number' as const, required: false, datatype_description: 'A number', order: 2, description: 'Depth' },
        ],
      },
    };
    const xml = toOpen311Xml(doc);
    expect(xml).toContain(
      '<attribute><variable>true</variable><code>size</code><datatype>singlevaluelist</datatype><required>true</required><datatype_description/><order>1</order><description>Size</description><values><value><key>s</key><name>Small</name></value>',
    );
    const parsed = convert(xml, { format: 'object' }) as { service_definition: { attributes: { attribute: Array<Record<string, unknown>> } } };
    expect(parsed.service_definition.attributes.attribute[1]).toEqual({
      variable: 'true', code: 'depth', datatype: 'number', required: 'false', datatype_description: 'A number', order: '2', description: 'Depth',
    });
    expect(JSON.parse(renderOpen311(doc, 'json').body)).toEqual(doc.definition);
  });

  it('writes errors as <errors><error><code>/<description> and JSON as a list', () => {
    const doc = { root: 'errors' as const, items: [{ code: 403, description: 'Invalid api_key' }] };
    expect(toOpen311Xml(doc)).toContain('<errors><error><code>403</code><description>Invalid api_key</description></error></errors>');
    expect(renderOpen311(doc, 'json')).toEqual({ contentType: 'application/json; charset=utf-8', body: '[{"code":403,"description":"Invalid api_key"}]' });
    expect(renderOpen311(doc, 'xml').contentType).toBe('text/xml; charset=utf-8');
  });

  it('dates carry the offset of the municipality time zone, to the second', () => {
    expect(w3cDateTime(new Date('2026-11-20T09:15:00.123Z'), 'Europe/Paris')).toBe('2026-11-20T10:15:00+01:00');
    expect(w3cDateTime(new Date('2026-07-01T09:15:00Z'), 'Europe/Paris')).toBe('2026-07-01T11:15:00+02:00');
    expect(w3cDateTime(new Date('2026-07-01T09:15:00Z'), 'America/Montreal')).toBe('2026-07-01T05:15:00-04:00');
  });

  it('reads the format from the path', () => {
    expect(splitFormat('pothole.xml')).toEqual({ name: 'pothole', format: 'xml' });
    expect(splitFormat('1042.JSON')).toEqual({ name: '1042', format: 'json' });
    expect(splitFormat('pothole')).toBeNull();
    expect(splitFormat('.json')).toBeNull();
    expect(formatOfPath('/open311/v2/services.xml')).toBe('xml');
    expect(formatOfPath('/open311/v2/services.yaml')).toBe('json');
  });
});

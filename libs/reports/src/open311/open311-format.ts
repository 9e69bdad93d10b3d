import { create } from 'xmlbuilder2';
import { DateTime } from 'luxon';
import type { AttributeDatatype } from '../categories/report-category.entity';

/**
 * The GeoReport v2 documents and their two spellings. JSON is the spec's "Spark convention"
 * mapping of the XML: the root and list-item elements disappear, a list becomes an array.
 * Field names, order and element names follow http://wiki.open311.org/GeoReport_v2/.
 */
export const OPEN311_FORMATS = ['json', 'xml'] as const;
export type Open311Format = (typeof OPEN311_FORMATS)[number];

export const OPEN311_CONTENT_TYPES: Record<Open311Format, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'text/xml; charset=utf-8',
};

export interface Open311ServiceItem {
  service_code: string;
  service_name: string;
  description: string | null;
  metadata: boolean;
  type: 'realtime';
  keywords: string | null;
  group: string | null;
}

export interface Open311AttributeItem {
  variable: boolean;
  code: string;
  datatype: AttributeDatatype;
  required: boolean;
  datatype_description: string | null;
  order: number;
  description: string;
  values?: Array<{ key: string; name: string }>;
}

export interface Open311ServiceDefinition {
  service_code: string;
  attributes: Open311AttributeItem[];
}

export interface Open311RequestItem {
  service_request_id: string;
  status: 'open' | 'closed';
  status_notes: string | null;
  service_name: string;
  service_code: string;
  description: string | null;
  agency_responsible: string | null;
  service_notice: string | null;
  requested_datetime: string;
  updated_datetime: string;
  expected_datetime: string | null;
  address: string | null;
  address_id: string | null;
  zipcode: string | null;
  lat: number;
  long: number;
  media_url: string | null;
}

export interface Open311CreatedItem {
  service_request_id: string;
  service_notice: string | null;
  account_id: string | null;
}

export interface Open311ErrorItem {
  code: number;
  description: string;
}

/** Every document the endpoint answers with, tagged by its XML root. */
export type Open311Document =
  | { root: 'services'; items: Open311ServiceItem[] }
  | { root: 'service_definition'; definition: Open311ServiceDefinition }
  | { root: 'service_requests'; items: Array<Open311RequestItem | Open311CreatedItem> }
  | { root: 'errors'; items: Open311ErrorItem[] };

const ITEM_ELEMENT = { services: 'service', service_requests: 'request', errors: 'error' } as const;

/** The JSON value of a document (what `res.json` would send). */
export function toOpen311Json(doc: Open311Document): unknown {
  return doc.root === 'service_definition' ? doc.definition : doc.items;
}

/** The XML text of a document, with the UTF-8 declaration the spec requires. */
export function toOpen311Xml(doc: Open311Document): string {
  let body: Record<string, unknown>;
  if (doc.root === 'service_definition') {
    const { service_code, attributes } = doc.definition;
    body = {
      service_definition: {
        service_code,
        attributes: {
          attribute: attributes.map(({ values, ...rest }) => ({
            ...xmlValues(rest),
            ...(values ? { values: { value: values.map(xmlValues) } } : {}),
          })),
        },
      },
    };
  } else {
    body = { [doc.root]: { [ITEM_ELEMENT[doc.root]]: (doc.items as object[]).map((item) => xmlValues(item)) } };
  }
  return create({ version: '1.0', encoding: 'UTF-8' }, body).end({ prettyPrint: false });
}

export function renderOpen311(doc: Open311Document, format: Open311Format): { contentType: string; body: string } {
  return {
    contentType: OPEN311_CONTENT_TYPES[format],
    body: format === 'xml' ? toOpen311Xml(doc) : JSON.stringify(toOpen311Json(doc)),
  };
}

/** XML has no null: a missing value is an empty element, as in the spec's examples (`<account_id/>`). */
function xmlValues(item: object): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [key, value] of Object.entries(item)) out[key] = value === null || value === undefined ? '' : (value as string | number | boolean);
  return out;
}

/**
 * A w3c/ISO 8601 date-time with its offset, in the municipality's time zone (the spec requires
 * the offset; local time reads best), to the second: 2026-11-20T10:15:00+01:00.
 */
export function w3cDateTime(date: Date, timezone: string): string {
  return DateTime.fromJSDate(date, { zone: timezone }).set({ millisecond: 0 }).toISO({ suppressMilliseconds: true })!;
}

/** "services.json" → format json; "services/pothole.xml" → name pothole, format xml. */
export function splitFormat(file: string): { name: string; format: Open311Format } | null {
  const match = /^(.+)\.(json|xml)$/i.exec(file);
  return match ? { name: match[1], format: match[2].toLowerCase() as Open311Format } : null;
}

export function isOpen311Format(value: string): value is Open311Format {
  return (OPEN311_FORMATS as readonly string[]).includes(value.toLowerCase());
}

/** Which format an error should be written in, from the URL the client asked for (default JSON). */
export function formatOfPath(path: string): Open311Format {
  return /\.xml$/i.test(path) ? 'xml' : 'json';
}

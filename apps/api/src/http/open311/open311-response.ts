import { Open311Document, Open311Error, Open311Format, renderOpen311, splitFormat } from '@app/reports';
import type { FastifyReply } from 'fastify';

/** Writes a GeoReport document in the format the URL asked for, with the spec's content types. */
export function sendOpen311(res: FastifyReply, format: Open311Format, status: number, doc: Open311Document): void {
  const { contentType, body } = renderOpen311(doc, format);
  res.status(status).type(contentType).send(body);
}

/** The `.json` / `.xml` at the end of an Open311 path; any other is a resource we do not have. */
export function formatParam(format: string): Open311Format {
  const lower = format.toLowerCase();
  if (lower === 'json' || lower === 'xml') return lower;
  throw new Open311Error(404, [`Unknown format "${format.slice(0, 20)}": use .json or .xml`]);
}

/** "pothole.xml" → ["pothole", "xml"]: resource ids carry the format as an extension. */
export function fileParam(file: string): [string, Open311Format] {
  const parsed = splitFormat(file);
  if (!parsed) throw new Open311Error(404, [`"${file.slice(0, 100)}" names no resource: end it with .json or .xml`]);
  return [parsed.name, parsed.format];
}

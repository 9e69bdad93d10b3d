import { DomainException, FieldError, ValidationError } from '@app/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';

/**
 * How deeply a JSON body may nest objects and arrays. Our deepest legitimate body is a
 * municipality's MultiPolygon boundary (about 6 levels); class-transformer and class-validator
 * recurse once per level, so 20,000 levels overflowed the stack (a 500) before validation ran.
 */
export const MAX_JSON_DEPTH = 32;

const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * The deepest nesting of a JSON text, read from its bytes without parsing (so without recursion):
 * brackets inside strings do not count. UTF-8 never uses these ASCII bytes inside a multi-byte
 * character, so scanning bytes is exact. Stops as soon as `limit` is passed.
 */
export function jsonDepthExceeds(bytes: Buffer, limit = MAX_JSON_DEPTH): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === BACKSLASH) i++;
      else if (byte === QUOTE) inString = false;
    } else if (byte === QUOTE) inString = true;
    else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
      if (++depth > limit) return true;
    } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) depth--;
  }
  return false;
}

export class BodyTooDeepError extends DomainException {
  constructor() {
    super('BODY_TOO_DEEP', 'invalid', `The request body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep`, { maxDepth: MAX_JSON_DEPTH });
  }
}

/** A lone UTF-16 surrogate: not a character, refused by PostgreSQL's JSON and by most validators. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Objects and arrays looked into per request part: a 1 MB body holds far fewer. */
const MAX_VISITED = 200_000;

/** What is wrong with a string PostgreSQL would refuse (a 500 once it reached a query), if anything. */
function stringProblem(field: string, text: string): FieldError | null {
  if (text.includes('\u0000')) return { field, code: 'NUL_CHARACTER', message: `${field} must not contain NUL (\\u0000) characters` };
  if (LONE_SURROGATE.test(text)) return { field, code: 'LONE_SURROGATE', message: `${field} is not valid Unicode (a lone surrogate)` };
  return null;
}

/**
 * Every string in a parsed request part (query, path parameters, JSON body), keys included,
 * checked for NUL characters and lone surrogates. Iterative, and the body's depth is already
 * bounded; only plain objects and arrays are looked into (never a file, a stream or a cycle of
 * them); stops at the first few problems. Field names are paths like `attributes.0.code`.
 */
export function unsafeStrings(value: unknown, prefix = ''): FieldError[] {
  const problems: FieldError[] = [];
  let visited = 0;
  const stack: Array<[string, unknown]> = [[prefix, value]];
  while (stack.length > 0 && problems.length < 10) {
    const [path, current] = stack.pop()!;
    if (typeof current === 'string') {
      const problem = stringProblem(path || 'body', current);
      if (problem) problems.push(problem);
    } else if (isPlainData(current) && (visited += 1) <= MAX_VISITED) {
      for (const [key, child] of Object.entries(current as object)) {
        const childPath = path ? `${path}.${key}` : key;
        const keyProblem = stringProblem(childPath, key);
        if (keyProblem) problems.push(keyProblem);
        else stack.push([childPath, child]);
      }
    }
  }
  return problems;
}

/** Throws a 400 naming the fields whose text PostgreSQL (or a validator) would choke on. */
export function assertSafeStrings(parts: Array<[string, unknown]>): void {
  const problems = parts.flatMap(([prefix, value]) => unsafeStrings(value, prefix));
  if (problems.length > 0) throw new ValidationError(`Invalid ${[...new Set(problems.map((p) => p.field))].join(', ')}`, problems);
}

/** Plain data as our parsers make it (JSON, query strings); never a multipart file or a stream. */
function isPlainData(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return typeof value === 'string';
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value);
  // Fastify's query objects have a bare prototype of their own (whose own prototype is null).
  return proto === Object.prototype || proto === null || Object.getPrototypeOf(proto) === null;
}

/**
 * Refuses, for every route at once and before any guard, DTO or query runs, the inputs that
 * used to end as a 500 somewhere deeper:
 * - JSON nested deeper than MAX_JSON_DEPTH (BODY_TOO_DEEP), checked on the raw bytes before
 *   parsing, then parsed by Fastify's own JSON parser (same prototype-poisoning protection);
 * - NUL characters and lone surrogates in the query, the path parameters and the body's
 *   strings and keys (NUL_CHARACTER, LONE_SURROGATE naming the field), which PostgreSQL refuses.
 */
export function guardAgainstHostileInput(app: NestFastifyApplication, bodyLimit: number): void {
  const instance = app.getHttpAdapter().getInstance();
  const parseJson = instance.getDefaultJsonParser('error', 'error');
  app.useBodyParser('application/json', { bodyLimit }, (req: FastifyRequest, body: Buffer, done: (err: Error | null, body?: unknown) => void) => {
    if (jsonDepthExceeds(body)) return done(new BodyTooDeepError());
    parseJson(req, body.toString('utf8'), done);
  });
  instance.addHook('preValidation', (request: FastifyRequest, _reply: unknown, done: (err?: Error) => void) => {
    try {
      const parts: Array<[string, unknown]> = [
        ['', request.query],
        ['', request.params],
      ];
      if (isPlainData(request.body)) parts.push(['', request.body]);
      assertSafeStrings(parts);
      done();
    } catch (error) {
      done(error as Error);
    }
  });
}

import { Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { stdSerializers } from 'pino';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';
import { prettyLogDestination } from './pretty-log';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Paths that must never reach a log line. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.code',
];

const SECRET_QUERY_PARAMS = /([?&](?:api_key|token|access_token|refresh_token|code)=)[^&#]*/gi;

/** Query strings carry keys and tokens too (Open311 api_key, unsubscribe and reset links). */
export function redactUrl(url: string): string {
  return url.replace(SECRET_QUERY_PARAMS, '$1[redacted]');
}

/**
 * A request id per request: the client's X-Request-Id if sane, else a new one. The HTTP server
 * makes it the request's id (Fastify's `genReqId`, which pino-http then reuses) and echoes it.
 */
export function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers['x-request-id'];
  return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

const SECRET_QUERY_KEYS = ['api_key', 'token', 'access_token', 'refresh_token', 'code'];

/** Marks a request already turned into its log form (see requestForLog). */
const REQUEST_FOR_LOG = Symbol('requestForLog');

/** What a log line shows of a request: pino's usual fields, with secrets in the URL and query masked. */
export function requestForLog(incoming: IncomingMessage): Record<string, unknown> {
  const req = incoming as IncomingMessage & { id?: unknown; originalUrl?: string; query?: Record<string, unknown> };
  const query = req.query ? { ...req.query } : undefined;
  if (query) for (const key of SECRET_QUERY_KEYS) if (key in query) query[key] = '[redacted]';
  const out: Record<string | symbol, unknown> = {
    id: req.id,
    method: req.method,
    url: redactUrl(req.originalUrl ?? req.url ?? ''),
    query,
    headers: req.headers,
    remoteAddress: req.socket?.remoteAddress,
    remotePort: req.socket?.remotePort,
  };
  out[REQUEST_FOR_LOG] = true;
  return out;
}

export const LOG_SERIALIZERS = {
  // Only the request's log form is written; the raw request pino-http binds is not.
  req: (value: Record<string | symbol, unknown> | undefined) => (value?.[REQUEST_FOR_LOG] ? value : undefined),
  res: stdSerializers.res,
  err: stdSerializers.err,
};

/**
 * Structured JSON logs (pino) for both apps; secrets redacted.
 *
 * pino-http binds every request to a child logger, and pino serialises bindings when the child
 * is made: the request's fields were turned into JSON on every request, logged or not (a tenth
 * of a light request's CPU). So the binding serialises to nothing, the request's own logger
 * carries its id only, and the request is written out in the completion line, when that line is
 * written at all.
 */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => {
        const pinoHttp = {
          level: config.logLevel,
          genReqId: requestIdOf,
          quietReqLogger: true,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          wrapSerializers: false,
          serializers: LOG_SERIALIZERS,
          customSuccessObject: (req: IncomingMessage, _res: ServerResponse, value: Record<string, unknown>) => ({ ...value, req: requestForLog(req) }),
          customErrorObject: (req: IncomingMessage, _res: ServerResponse, _error: Error, value: Record<string, unknown>) => ({
            ...value,
            req: requestForLog(req),
          }),
          // On the base logger rather than customProps, which costs a child logger per request.
          base: { pid: process.pid, hostname: hostname(), service: 'civic' },
          autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
        };
        return {
          // Every route. nestjs-pino's default ('{/*splat}') reaches @fastify/middie as '/{/*splat}',
          // which only matches paths starting with '//', so no request was ever logged on Fastify.
          forRoutes: [{ path: '{*path}', method: RequestMethod.ALL }],
          // Development: readable lines (see pretty-log.ts); elsewhere JSON to stdout.
          pinoHttp: config.logFormat === 'pretty' ? ([pinoHttp, prettyLogDestination()] as const) : pinoHttp,
        };
      },
    }),
  ],
})
export class LoggingModule {}

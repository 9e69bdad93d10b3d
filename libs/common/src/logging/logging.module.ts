import { Module } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

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

/** A request id per request: the client's X-Request-Id if sane, else a new one; always echoed. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}

/** Structured JSON logs (pino) for both apps; secrets redacted. */
@Module({
  imports: [
    LoggerModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        pinoHttp: {
          level: config.logLevel,
          genReqId: requestId,
          redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
          serializers: {
            req: (req: { url?: string; query?: Record<string, unknown> }) => {
              if (req.url) req.url = redactUrl(req.url);
              if (req.query) {
                for (const key of ['api_key', 'token', 'access_token', 'refresh_token', 'code']) {
                  if (key in req.query) req.query[key] = '[redacted]';
                }
              }
              return req;
            },
          },
          // On the base logger rather than customProps, which costs a child logger per request.
          base: { pid: process.pid, hostname: hostname(), service: 'civic' },
          autoLogging: { ignore: (req: IncomingMessage) => req.url?.startsWith('/health') ?? false },
        },
      }),
    }),
  ],
})
export class LoggingModule {}

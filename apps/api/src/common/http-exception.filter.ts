import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { AuthUser, DomainException, ErrorDetail, errorMessage, ErrorLocale, HTTP_STATUS_BY_KIND, localizeError, resolveErrorLocale } from '@app/common';
import { ThrottlerException } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Every error the API answers, whatever raised it (documented as ErrorResponseDto). */
export interface ErrorBody {
  statusCode: number;
  error: string;
  /** Stable, UPPER_SNAKE; clients branch on it, never on `message`. */
  code: string;
  /** In the caller's language (Accept-Language, else their saved locale, else English). */
  message: string;
  /** The fields at fault; always an array, empty when the error is not about fields. */
  details: ErrorDetail[];
  /** Other facts about the refusal (allowed transitions, current version, limits...). */
  meta?: Record<string, unknown>;
  /** Only on a 500: quote it to find the logged stack. */
  errorId?: string;
}

/**
 * Fastify's own refusals of a body (the adapter hands them over as HttpExceptions whose cause is
 * the Fastify error): the client's fault, each with a stable code of ours.
 */
const FASTIFY_BODY_ERRORS: Record<string, [string, string]> = {
  FST_ERR_CTP_BODY_TOO_LARGE: ['BODY_TOO_LARGE', 'The request body is too large (limit 1 MB)'],
  FST_ERR_CTP_INVALID_JSON_BODY: ['MALFORMED_BODY', 'The request body is not valid JSON'],
  FST_ERR_CTP_EMPTY_JSON_BODY: ['MALFORMED_BODY', 'The request body is empty but its Content-Type says JSON'],
  FST_ERR_CTP_INVALID_MEDIA_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'The request body has a Content-Type this API does not take: send application/json'],
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: ['BAD_CONTENT_LENGTH', 'The Content-Length does not match the body'],
  FST_ERR_CTP_INVALID_TYPE: ['UNSUPPORTED_MEDIA_TYPE', 'The Content-Type header is not valid'],
};

/** The language of a request's error messages. */
export function errorLocaleOf(request: FastifyRequest | undefined): ErrorLocale {
  const user = (request as { user?: AuthUser } | undefined)?.user;
  return resolveErrorLocale(request?.headers['accept-language'], user?.profile?.locale);
}

/**
 * Maps every error to one body, `{statusCode, error, code, message, details: [], meta?, errorId?}`:
 * domain errors by their kind, with messages from the catalogue in the caller's language; Nest's
 * HTTP errors by their status; anything else is a 500 carrying only an errorId that points at
 * the logged stack.
 */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const response = ctx.getResponse<FastifyReply>();
    const request = ctx.getRequest<FastifyRequest>();
    const body = this.toBody(exception, request);
    if (response.sent) return;
    if (exception instanceof DomainException && exception.retryAfterSeconds) {
      response.header('Retry-After', String(exception.retryAfterSeconds));
    }
    response.status(body.statusCode).header('Content-Language', errorLocaleOf(request)).type('application/json; charset=utf-8').send(body);
  }

  toBody(exception: unknown, request?: FastifyRequest): ErrorBody {
    const locale = errorLocaleOf(request);
    if (exception instanceof DomainException) {
      const statusCode = HTTP_STATUS_BY_KIND[exception.kind];
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', ...localizeError(exception, locale) };
    }
    if (exception instanceof ThrottlerException) return plain(429, 'RATE_LIMITED', 'Too many requests, slow down', locale);
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const fastifyCode = (exception.cause as { code?: unknown } | undefined)?.code;
      if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_BODY_ERRORS) {
        const [code, text] = FASTIFY_BODY_ERRORS[fastifyCode];
        return plain(statusCode, code, text, locale, code === 'BODY_TOO_LARGE' ? { limitMb: 1 } : {});
      }
      if (statusCode === 400 && exception.cause instanceof SyntaxError) {
        return plain(statusCode, 'MALFORMED_BODY', 'The request body is not valid JSON', locale);
      }
      return plain(statusCode, httpCode(statusCode), messageOf(exception), locale);
    }
    const errorId = randomUUID();
    this.logger.error(
      { errorId, path: request?.url, err: exception },
      `Unhandled error ${errorId}: ${(exception as Error)?.message ?? String(exception)}`,
    );
    return { ...plain(HttpStatus.INTERNAL_SERVER_ERROR, 'INTERNAL_ERROR', 'Something went wrong on our side; quote the errorId if you report it', locale), errorId };
  }
}

function plain(statusCode: number, code: string, english: string, locale: ErrorLocale, params: Record<string, unknown> = {}): ErrorBody {
  return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', code, message: errorMessage(code, locale, params, english), details: [] };
}

function messageOf(exception: HttpException): string {
  const res = exception.getResponse();
  if (typeof res === 'string') return res;
  const message = (res as { message?: unknown }).message;
  return Array.isArray(message) ? message.join('; ') : String(message ?? exception.message);
}

function httpCode(status: number): string {
  return (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z]+/g, '_');
}

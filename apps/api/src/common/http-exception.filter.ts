import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainException, HTTP_STATUS_BY_KIND } from '@app/common';
import { ThrottlerException } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: unknown;
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

/**
 * Maps every error to `{statusCode, error, message, code?, details?}` once. Domain errors by
 * their kind; Nest's HTTP errors as they are; anything else is a 500 carrying only an errorId
 * that points at the logged stack.
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
    response.status(body.statusCode).type('application/json; charset=utf-8').send(body);
  }

  toBody(exception: unknown, request?: FastifyRequest): ErrorBody {
    if (exception instanceof DomainException) {
      const statusCode = HTTP_STATUS_BY_KIND[exception.kind];
      return {
        statusCode,
        error: STATUS_CODES[statusCode] ?? 'Error',
        message: exception.message,
        code: exception.code,
        ...(exception.details !== undefined ? { details: exception.details } : {}),
      };
    }
    if (exception instanceof ThrottlerException) {
      return { statusCode: 429, error: STATUS_CODES[429]!, message: 'Too many requests, slow down', code: 'RATE_LIMITED' };
    }
    if (exception instanceof HttpException) {
      const statusCode = exception.getStatus();
      const res = exception.getResponse();
      const message =
        typeof res === 'string'
          ? res
          : Array.isArray((res as { message?: unknown }).message)
            ? ((res as { message: string[] }).message.join('; '))
            : String((res as { message?: unknown }).message ?? exception.message);
      const fastifyCode = (exception.cause as { code?: unknown } | undefined)?.code;
      if (typeof fastifyCode === 'string' && fastifyCode in FASTIFY_BODY_ERRORS) {
        const [code, text] = FASTIFY_BODY_ERRORS[fastifyCode];
        return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message: text, code };
      }
      if (statusCode === 400 && exception.cause instanceof SyntaxError) {
        return { statusCode, error: STATUS_CODES[400]!, message: 'The request body is not valid JSON', code: 'MALFORMED_BODY' };
      }
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code: httpCode(statusCode) };
    }
    const errorId = randomUUID();
    this.logger.error(
      { errorId, path: request?.url, err: exception },
      `Unhandled error ${errorId}: ${(exception as Error)?.message ?? String(exception)}`,
    );
    return {
      statusCode: HttpStatus.INTERNAL_SERVER_ERROR,
      error: STATUS_CODES[500]!,
      message: 'Something went wrong on our side; quote the errorId if you report it',
      code: 'INTERNAL_ERROR',
      errorId,
    };
  }
}

function httpCode(status: number): string {
  return (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z]+/g, '_');
}

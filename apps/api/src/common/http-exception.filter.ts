import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import { DomainException, HTTP_STATUS_BY_KIND } from '@app/common';
import { ThrottlerException } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Request, Response } from 'express';

export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  code?: string;
  details?: unknown;
  errorId?: string;
}

/** body-parser errors carry a `type` and a status; they are the client's fault, never a 500. */
interface BodyParserError {
  type?: string;
  status?: number;
  expose?: boolean;
}

const BODY_PARSER_MESSAGES: Record<string, [string, string]> = {
  'entity.parse.failed': ['MALFORMED_BODY', 'The request body is not valid JSON'],
  'entity.too.large': ['BODY_TOO_LARGE', 'The request body is too large'],
  'encoding.unsupported': ['UNSUPPORTED_ENCODING', 'The request body encoding is not supported'],
  'charset.unsupported': ['UNSUPPORTED_CHARSET', 'The request body charset is not supported'],
  'request.aborted': ['REQUEST_ABORTED', 'The request was aborted'],
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
    const response = ctx.getResponse<Response>();
    const request = ctx.getRequest<Request>();
    const body = this.toBody(exception, request);
    if (exception instanceof DomainException && exception.retryAfterSeconds) {
      response.setHeader('Retry-After', String(exception.retryAfterSeconds));
    }
    if (response.headersSent) return;
    response.status(body.statusCode).json(body);
  }

  toBody(exception: unknown, request?: Request): ErrorBody {
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
      // Nest re-throws body-parser failures as HttpExceptions; give them our stable codes.
      if (statusCode === 413 && /entity too large/i.test(exception.message)) {
        return { statusCode, error: STATUS_CODES[413]!, message: 'The request body is too large (limit 1 MB)', code: 'BODY_TOO_LARGE' };
      }
      if (statusCode === 400 && isJsonSyntaxError(exception)) {
        return { statusCode, error: STATUS_CODES[400]!, message: 'The request body is not valid JSON', code: 'MALFORMED_BODY' };
      }
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code: httpCode(statusCode) };
    }
    const parserError = exception as BodyParserError;
    if (parserError && typeof parserError.type === 'string' && parserError.type in BODY_PARSER_MESSAGES) {
      const statusCode = parserError.status ?? 400;
      const [code, message] = BODY_PARSER_MESSAGES[parserError.type];
      return { statusCode, error: STATUS_CODES[statusCode] ?? 'Error', message, code };
    }
    if (parserError && typeof parserError.status === 'number' && parserError.status >= 400 && parserError.status < 500 && parserError.expose) {
      return { statusCode: parserError.status, error: STATUS_CODES[parserError.status] ?? 'Error', message: String((exception as Error).message) };
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

function isJsonSyntaxError(exception: HttpException): boolean {
  const cause = (exception as { cause?: unknown }).cause;
  return cause instanceof SyntaxError || /JSON/.test(exception.message);
}

function httpCode(status: number): string {
  return (STATUS_CODES[status] ?? 'ERROR').toUpperCase().replace(/[^A-Z]+/g, '_');
}

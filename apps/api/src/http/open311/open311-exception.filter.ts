import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { DomainException } from '@app/common';
import { formatOfPath, Open311Error, Open311ErrorItem } from '@app/reports';
import { ThrottlerException } from '@nestjs/throttler';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { sendOpen311 } from './open311-response';

/**
 * Errors of the Open311 routes in the spec's shape, `[{code, description}]` or
 * `<errors><error>…`, in the format the URL asked for; scoped to the Open311 controller so the
 * platform's JSON error body never replaces them. Statuses are the spec's: 403 for a missing or
 * bad api_key, 404 for what does not exist, 400 for anything else — including a failure on our
 * side ("General service error"), which is logged with the errorId the description quotes.
 * Throttling stays 429 (with Retry-After) so clients know to back off.
 */
@Catch()
export class Open311ExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Open311');

  catch(exception: unknown, host: ArgumentsHost): void {
    const ctx = host.switchToHttp();
    const req = ctx.getRequest<FastifyRequest>();
    const res = ctx.getResponse<FastifyReply>();
    const { status, descriptions } = this.describe(exception, req);
    if (res.sent) return;
    if (exception instanceof DomainException && exception.retryAfterSeconds) res.header('Retry-After', String(exception.retryAfterSeconds));
    const items: Open311ErrorItem[] = descriptions.map((description) => ({ code: status, description }));
    sendOpen311(res, formatOfPath(pathOf(req)), status, { root: 'errors', items });
  }

  private describe(exception: unknown, req: FastifyRequest): { status: number; descriptions: string[] } {
    if (exception instanceof Open311Error) return { status: exception.status, descriptions: exception.descriptions };
    if (exception instanceof DomainException) {
      const status = { forbidden: 403, unauthenticated: 403, not_found: 404, too_many: 429 }[exception.kind as string] ?? 400;
      const fields = exception.fieldErrors;
      return { status, descriptions: fields.length ? fields.map((f) => `${f.field}: ${f.message}`) : [exception.message] };
    }
    if (exception instanceof ThrottlerException) return { status: 429, descriptions: ['Too many requests, slow down'] };
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = [403, 404, 429].includes(exception.getStatus()) ? exception.getStatus() : 400;
      return { status, descriptions: [exception.message] };
    }
    const errorId = randomUUID();
    this.logger.error({ errorId, path: pathOf(req), err: exception }, `Unhandled Open311 error ${errorId}: ${(exception as Error)?.message ?? String(exception)}`);
    return { status: 400, descriptions: [`General service error; quote errorId ${errorId} if you report it`] };
  }
}

/** The request's path without its query string (Express's `req.path`). */
function pathOf(req: FastifyRequest): string {
  const at = req.url.indexOf('?');
  return at < 0 ? req.url : req.url.slice(0, at);
}

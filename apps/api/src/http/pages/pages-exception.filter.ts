import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { ThrottlerException } from '@nestjs/throttler';
import { DomainException, HTTP_STATUS_BY_KIND } from '@app/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { errorPage } from './account-pages';
import { pageLocale } from './page-layout';

/**
 * People, not programs, open these pages: every refusal (a malformed link, an unknown report, the
 * rate limit) answers with its status and a short HTML page in their language instead of the
 * API's JSON. Unexpected errors are logged with an errorId, as the API's filter does.
 */
@Catch()
export class PagesExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('PagesExceptionFilter');

  catch(exception: unknown, host: ArgumentsHost): void {
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    if (reply.sent) return;
    const status = statusOf(exception);
    if (status >= 500) this.logger.error({ err: exception, errorId: randomUUID(), url: request.url }, 'Page failed');
    if (exception instanceof DomainException && exception.retryAfterSeconds) reply.header('Retry-After', String(exception.retryAfterSeconds));
    reply
      .status(status)
      .header('Cache-Control', 'no-store')
      .header('Vary', 'Accept-Language')
      .type('text/html; charset=utf-8')
      .send(errorPage(pageLocale(request.headers['accept-language']), status));
  }
}

function statusOf(exception: unknown): number {
  if (exception instanceof DomainException) return HTTP_STATUS_BY_KIND[exception.kind];
  if (exception instanceof ThrottlerException) return 429;
  if (exception instanceof HttpException) return exception.getStatus();
  return 500;
}

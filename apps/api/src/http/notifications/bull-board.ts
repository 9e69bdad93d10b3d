import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter as BullBoardFastifyAdapter } from '@bull-board/fastify';
import fastifyCookie from '@fastify/cookie';
import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { APP_CONFIG, AppConfig, ForbiddenError, UnauthenticatedError } from '@app/common';
import { AccessTokenClaims, AuthService } from '@app/identity';
import { AccessTokenVerifier } from '../../auth/access-token-verifier';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpExceptionFilter } from '../../common/http-exception.filter';
import { QueueStatsService } from './queue-stats.service';

export const BULL_BOARD_PATH = '/admin/queues';
/** Set from `?access_token=` and sent back by the dashboard's own requests; scoped to its path. */
export const BULL_BOARD_COOKIE = 'civic_queues_token';

/**
 * Platform admins only, with the same access token (and the same session checks) as the API.
 * A browser cannot add a bearer header to a page it opens, so for this path only the token may
 * also come as `?access_token=`: it is then moved into an HttpOnly, SameSite=Strict cookie scoped
 * to /admin/queues (it lives as long as the token) and the browser is redirected to the same URL
 * without it, so it leaves the address bar and history.
 */
@Injectable()
export class BullBoardAuth {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  /** Returns whether the request may go on; otherwise the reply is already sent (redirect). */
  async admit(req: FastifyRequest, reply: FastifyReply): Promise<boolean> {
    const header = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const accessToken = (req.query as Record<string, unknown> | undefined)?.access_token;
    const fromQuery = typeof accessToken === 'string' ? accessToken : null;
    const token = header ?? fromQuery ?? req.cookies[BULL_BOARD_COOKIE] ?? null;
    if (!token) throw new UnauthenticatedError();
    let claims: AccessTokenClaims;
    try {
      claims = this.tokens.verify(token);
    } catch {
      throw new UnauthenticatedError('Access token invalid or expired');
    }
    const user = await this.auth.resolveAccessToken(claims);
    if (!user.isPlatformAdmin) throw new ForbiddenError('Only a platform administrator may see the queues');
    if (fromQuery && !header) {
      const url = new URL(req.url, 'http://local');
      url.searchParams.delete('access_token');
      reply.setCookie(BULL_BOARD_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: this.config.publicUrl.startsWith('https:'),
        path: BULL_BOARD_PATH,
        maxAge: Math.max(0, Math.floor(claims.exp - Date.now() / 1000)),
      });
      await reply.redirect(url.pathname + url.search, 303);
      return false;
    }
    return true;
  }
}

/**
 * Mounts Bull Board on the API's Fastify instance, in a scope of its own whose request hook is
 * BullBoardAuth: the dashboard is a Fastify plugin, not Nest routes, so no Nest guard or filter
 * sees it, and the hook answers refusals with the API's error body itself.
 */
@Injectable()
export class BullBoardMount implements OnModuleInit {
  private readonly errors = new HttpExceptionFilter();

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: BullBoardAuth,
    private readonly queueStats: QueueStatsService,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    const serverAdapter = new BullBoardFastifyAdapter().setBasePath(BULL_BOARD_PATH);
    // @bull-board/fastify pins its own patch release of @bull-board/api: same shapes, distinct
    // declarations, hence the cast.
    createBullBoard({
      queues: this.queueStats.queues().map((queue) => new BullMQAdapter(queue)),
      serverAdapter: serverAdapter as unknown as Parameters<typeof createBullBoard>[0]['serverAdapter'],
    });
    // Queued, not awaited: awaiting would load the plugins now, and Fastify's routes would take
    // the error handler in place at that moment, before Nest installs its exception layer.
    void fastify.register(async (scope) => {
      await scope.register(fastifyCookie);
      scope.addHook('onRequest', async (req, reply) => {
        try {
          if (!(await this.auth.admit(req, reply))) return reply;
        } catch (error) {
          const body = this.errors.toBody(error, req);
          return reply.status(body.statusCode).send(body);
        }
      });
      await scope.register(serverAdapter.registerPlugin(), { prefix: BULL_BOARD_PATH });
    });
  }
}

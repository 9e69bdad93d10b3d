import { Inject, Injectable, NestMiddleware } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AppConfig, ForbiddenError, UnauthenticatedError } from '@app/common';
import { AccessTokenClaims, AuthService } from '@app/identity';
import type { NextFunction, Request, Response } from 'express';

export const BULL_BOARD_PATH = '/admin/queues';
/** Set from `?access_token=` and sent back by the dashboard's own requests; scoped to its path. */
export const BULL_BOARD_COOKIE = 'civic_queues_token';

function cookie(req: Request, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0 && part.slice(0, at).trim() === name) return decodeURIComponent(part.slice(at + 1).trim());
  }
  return null;
}

/**
 * Platform admins only, with the same access token (and the same session checks) as the API.
 * A browser cannot add a bearer header to a page it opens, so for this path only the token may
 * also come as `?access_token=`: it is then moved into an HttpOnly, SameSite=Strict cookie scoped
 * to /admin/queues (it lives as long as the token) and the browser is redirected to the same URL
 * without it, so it leaves the address bar and history.
 */
@Injectable()
export class BullBoardAuthMiddleware implements NestMiddleware {
  private readonly jwt: JwtService;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
  ) {
    this.jwt = new JwtService({ secret: config.jwtSecret, verifyOptions: { algorithms: ['HS256'] } });
  }

  async use(req: Request, res: Response, next: NextFunction): Promise<void> {
    const header = /^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const fromQuery = typeof req.query.access_token === 'string' ? req.query.access_token : null;
    const token = header ?? fromQuery ?? cookie(req, BULL_BOARD_COOKIE);
    if (!token) throw new UnauthenticatedError();
    let claims: AccessTokenClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessTokenClaims>(token);
    } catch {
      throw new UnauthenticatedError('Access token invalid or expired');
    }
    const user = await this.auth.resolveAccessToken(claims);
    if (!user.isPlatformAdmin) throw new ForbiddenError('Only a platform administrator may see the queues');
    if (fromQuery && !header) {
      const url = new URL(req.originalUrl, 'http://local');
      url.searchParams.delete('access_token');
      res.cookie(BULL_BOARD_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: this.config.publicUrl.startsWith('https:'),
        path: BULL_BOARD_PATH,
        maxAge: Math.max(0, claims.exp * 1000 - Date.now()),
      });
      res.redirect(303, url.pathname + url.search);
      return;
    }
    next();
  }
}

/**
 * Nest hands a middleware the full URL (it mounts routes, not sub-apps); Bull Board's router
 * expects the part under its base path, as express's `app.use(path, router)` would give it.
 */
export function mountedAt(basePath: string, router: (req: Request, res: Response, next: NextFunction) => void) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const original = req.url;
    const rest = req.originalUrl.slice(basePath.length);
    req.url = rest.startsWith('/') ? rest : `/${rest}`;
    router(req, res, (error?: unknown) => {
      req.url = original;
      next(error);
    });
  };
}

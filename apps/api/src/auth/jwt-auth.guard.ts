import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainException, IS_PUBLIC, UnauthenticatedError } from '@app/common';
import type { Request } from 'express';

/**
 * Global guard: every route needs a valid access token unless marked @Public(). On public routes
 * a token is still read when present (so a signed-in citizen sees their own view), and a bad
 * one is refused rather than silently ignored.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext) {
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic && !context.switchToHttp().getRequest<Request>().headers.authorization) return true;
    return super.canActivate(context);
  }

  override handleRequest<TUser>(err: unknown, user: TUser | false, info: unknown): TUser {
    if (err instanceof DomainException) throw err;
    if (err || !user) {
      const reason = info instanceof Error && info.name === 'TokenExpiredError' ? 'Access token expired' : 'Authentication required';
      throw new UnauthenticatedError(reason, info instanceof Error && info.name === 'TokenExpiredError' ? 'TOKEN_EXPIRED' : 'UNAUTHENTICATED');
    }
    return user;
  }
}

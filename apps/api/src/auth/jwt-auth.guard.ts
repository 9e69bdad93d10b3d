import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainException, IS_PUBLIC, UnauthenticatedError } from '@app/common';
import { AuthService } from '@app/identity';
import type { FastifyRequest } from 'fastify';
import { AccessTokenVerifier } from './access-token-verifier';
import { REQUEST_AUTH_CONTEXT, RequestAuthContext } from './jwt.strategy';

/**
 * Global guard: every route needs a valid access token unless marked @Public(). On public routes
 * a token is still read when present (so a signed-in citizen sees their own view), and a bad
 * one is refused rather than silently ignored.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard('jwt') {
  private readonly authContext: RequestAuthContext;

  constructor(
    private readonly reflector: Reflector,
    auth: AuthService,
    tokens: AccessTokenVerifier,
  ) {
    super();
    this.authContext = { auth, tokens };
  }

  override canActivate(context: ExecutionContext) {
    const request = context.switchToHttp().getRequest<FastifyRequest>();
    (request as unknown as Record<symbol, RequestAuthContext>)[REQUEST_AUTH_CONTEXT] = this.authContext;
    const isPublic = this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, [context.getHandler(), context.getClass()]);
    if (isPublic && !request.headers.authorization) return true;
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

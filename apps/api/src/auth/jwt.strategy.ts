import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { AuthUser, UnauthenticatedError } from '@app/common';
import type { AccessTokenClaims, AuthService } from '@app/identity';
import type { FastifyRequest } from 'fastify';
import { Strategy } from 'passport-strategy';
import { AccessTokenVerifier } from './access-token-verifier';

/**
 * What the guard of the app that received a request hands to the strategy. Passport keeps one
 * global registry of strategies per process, so a strategy must not hold an app's services:
 * with two app instances in one process (tests, or several APIs in one bench run) the last one
 * registered would answer for all. The request carries its own app's instead.
 */
export interface RequestAuthContext {
  auth: AuthService;
  tokens: AccessTokenVerifier;
}

export const REQUEST_AUTH_CONTEXT = Symbol('REQUEST_AUTH_CONTEXT');

export function authContextOf(req: FastifyRequest): RequestAuthContext {
  const context = (req as unknown as Record<symbol, RequestAuthContext | undefined>)[REQUEST_AUTH_CONTEXT];
  if (!context) throw new UnauthenticatedError();
  return context;
}

type Verified = (err: unknown, user?: AuthUser | false, info?: unknown) => void;

/**
 * A bearer access token, checked by the app's AccessTokenVerifier (which remembers tokens it
 * already checked; passport-jwt verified the signature again on every request).
 */
class BearerTokenStrategy extends Strategy {
  constructor(private readonly verifyCallback: (req: FastifyRequest, claims: AccessTokenClaims, done: Verified) => void) {
    super();
  }

  // Typed for Express by @types/passport-strategy; what Nest hands it on this API is Fastify's request.
  override authenticate(expressTyped: Parameters<Strategy['authenticate']>[0]): void {
    const req = expressTyped as unknown as FastifyRequest;
    const header = req.headers.authorization;
    const token = typeof header === 'string' && /^bearer /i.test(header) ? header.slice(7).trim() : '';
    if (!token) return this.fail(new Error('No auth token'), 401);
    let claims: AccessTokenClaims;
    try {
      claims = authContextOf(req).tokens.verify(token);
    } catch (error) {
      return this.fail(error, 401);
    }
    this.verifyCallback(req, claims, (err, user, info) => {
      if (err) return this.error(err as Error);
      if (!user) return this.fail(info, 401);
      this.success(user, info);
    });
  }
}

/** Reads the bearer token; the identity library decides whether its session still stands. */
@Injectable()
export class JwtStrategy extends PassportStrategy(BearerTokenStrategy, 'jwt') {
  constructor() {
    super();
  }

  validate(req: FastifyRequest, claims: AccessTokenClaims): Promise<AuthUser> {
    return authContextOf(req).auth.resolveRequestUser(claims);
  }
}

import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { AuthUser, UnauthenticatedError } from '@app/common';
import type { AccessTokenClaims, AuthService } from '@app/identity';
import type { FastifyRequest } from 'fastify';
import type { KeyObject } from 'node:crypto';
import { ExtractJwt, Strategy } from 'passport-jwt';

/**
 * What the guard of the app that received a request hands to the strategy. Passport keeps one
 * global registry of strategies per process, so a strategy must not hold an app's services:
 * with two app instances in one process (tests, or several APIs in one bench run) the last one
 * registered would answer for all. The request carries its own app's instead.
 */
export interface RequestAuthContext {
  auth: AuthService;
  /** A KeyObject made once: jsonwebtoken would otherwise build one from the string per request. */
  jwtKey: KeyObject;
}

export const REQUEST_AUTH_CONTEXT = Symbol('REQUEST_AUTH_CONTEXT');

export function authContextOf(req: FastifyRequest): RequestAuthContext {
  const context = (req as unknown as Record<symbol, RequestAuthContext | undefined>)[REQUEST_AUTH_CONTEXT];
  if (!context) throw new UnauthenticatedError();
  return context;
}

/** Reads the bearer token; the identity library decides whether its session still stands. */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor() {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKeyProvider: (req: FastifyRequest, _raw: string, done: (err: unknown, secret?: string) => void) => {
        try {
          done(null, authContextOf(req).jwtKey as unknown as string);
        } catch (error) {
          done(error);
        }
      },
      algorithms: ['HS256'],
      ignoreExpiration: false,
      passReqToCallback: true,
    });
  }

  validate(req: FastifyRequest, claims: AccessTokenClaims): Promise<AuthUser> {
    return authContextOf(req).auth.resolveRequestUser(claims);
  }
}

import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

/** Who is calling, as the JWT strategy established it. */
export interface AuthUser {
  id: string;
  sessionId: string;
  isPlatformAdmin: boolean;
  /**
   * Read with the session at the start of an HTTP request: the person's roles per municipality
   * id, so the role checks of that request need no query of their own. Absent where the user
   * outlives a request (a socket stays open for hours and must see a revoked role at once).
   */
  memberships?: Readonly<Record<string, readonly string[]>>;
  /** The person's name, email and locale, read with the session for views built in the same request. */
  profile?: { displayName: string; email: string; locale: string };
}

export const IS_PUBLIC = 'isPublic';

/** Opts a route out of the global JWT guard. A token, if sent, is still read. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The authenticated user; on @Public routes, the user if a valid token was sent, else undefined. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
});

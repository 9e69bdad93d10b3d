import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';

/** Who is calling, as the JWT strategy established it. */
export interface AuthUser {
  id: string;
  sessionId: string;
  isPlatformAdmin: boolean;
}

export const IS_PUBLIC = 'isPublic';

/** Opts a route out of the global JWT guard. A token, if sent, is still read. */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC, true);

/** The authenticated user; on @Public routes, the user if a valid token was sent, else undefined. */
export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): AuthUser | undefined => {
  return ctx.switchToHttp().getRequest<{ user?: AuthUser }>().user;
});

import { ExecutionContext, SetMetadata } from '@nestjs/common';

const AUTH_RATE_LIMIT = 'authRateLimit';

/** Puts a route under the stricter per-IP limit of authentication routes. */
export const AuthRateLimit = (): MethodDecorator & ClassDecorator => SetMetadata(AUTH_RATE_LIMIT, true);

export function isAuthRateLimited(context: ExecutionContext): boolean {
  return (
    Reflect.getMetadata(AUTH_RATE_LIMIT, context.getHandler()) === true ||
    Reflect.getMetadata(AUTH_RATE_LIMIT, context.getClass()) === true
  );
}

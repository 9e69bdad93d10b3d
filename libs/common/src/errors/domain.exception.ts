/**
 * What kind of failure a domain error is. The HTTP filter maps kinds to status codes once, and
 * the socket gateway maps them to ws errors, so services never speak HTTP.
 */
export type DomainErrorKind =
  | 'invalid' // 400: the request itself is malformed beyond DTO validation
  | 'unauthenticated' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409: state does not allow it (illegal transition, stale version, duplicate)
  | 'gone' // 410
  | 'too_large' // 413: an upload over its size limit
  | 'unsupported_media_type' // 415: an upload of a type we do not take (judged from its bytes)
  | 'unprocessable' // 422: well-formed but breaks a domain rule
  | 'too_many'; // 429

export interface FieldError {
  field: string;
  messages: string[];
}

export class DomainException extends Error {
  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    /** Extra, client-useful facts: the fields at fault, the allowed transitions, etc. */
    readonly details?: Record<string, unknown> | FieldError[],
    /** Seconds the client should wait, for 'too_many'. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainException {
  constructor(code: string, what: string) {
    super(code, 'not_found', `${what} not found`);
  }
}

export class ForbiddenError extends DomainException {
  constructor(message = 'You are not allowed to do this', code = 'FORBIDDEN') {
    super(code, 'forbidden', message);
  }
}

export class UnauthenticatedError extends DomainException {
  constructor(message = 'Authentication required', code = 'UNAUTHENTICATED') {
    super(code, 'unauthenticated', message);
  }
}

export class ValidationError extends DomainException {
  constructor(message: string, fields: FieldError[], code = 'VALIDATION_FAILED', kind: DomainErrorKind = 'invalid') {
    super(code, kind, message, fields);
  }
}

export class TooManyRequestsError extends DomainException {
  constructor(message: string, retryAfterSeconds: number, code = 'TOO_MANY_REQUESTS') {
    super(code, 'too_many', message, undefined, Math.max(1, Math.ceil(retryAfterSeconds)));
  }
}

export const HTTP_STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many: 429,
};

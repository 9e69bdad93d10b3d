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

/**
 * One field at fault. `code` is stable (UPPER_SNAKE: `IS_UUID`, `MAX_LENGTH`, `REQUIRED`...) and
 * keys the localized message in the catalogue; `message` is the English text used when the
 * catalogue has no entry for the code; `params` fill the catalogue's `{placeholders}`.
 */
export interface FieldError {
  field: string;
  code: string;
  message: string;
  params?: Record<string, unknown>;
}

/**
 * The older form, one field with several English messages. Still accepted (each message becomes
 * one `FieldError` with code `INVALID`) so code written against it keeps working; prefer FieldError.
 * @deprecated give a `code` per problem.
 */
export interface LegacyFieldError {
  field: string;
  messages: string[];
}

export type FieldErrorInput = FieldError | LegacyFieldError;

/** The field code of a legacy `{field, messages}` entry, which carries no code of its own. */
export const LEGACY_FIELD_CODE = 'INVALID';

export function toFieldErrors(inputs: readonly FieldErrorInput[]): FieldError[] {
  return inputs.flatMap((input) =>
    'messages' in input ? input.messages.map((message) => ({ field: input.field, code: LEGACY_FIELD_CODE, message })) : [input],
  );
}

export class DomainException extends Error {
  /** The fields at fault; empty when the error is not about fields. Always an array. */
  readonly fieldErrors: FieldError[];
  /**
   * Other client-useful facts (the allowed transitions, the current version, the limit...),
   * returned as the body's `meta` and available to the message catalogue as `{placeholders}`.
   */
  readonly meta?: Record<string, unknown>;

  constructor(
    readonly code: string,
    readonly kind: DomainErrorKind,
    message: string,
    /** The fields at fault (an array), or other facts (an object, which becomes `meta`). */
    details?: Record<string, unknown> | readonly FieldErrorInput[],
    /** Seconds the client should wait, for 'too_many'. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = new.target.name;
    this.fieldErrors = Array.isArray(details) ? toFieldErrors(details) : [];
    this.meta = details !== undefined && !Array.isArray(details) ? (details as Record<string, unknown>) : undefined;
  }

  /**
   * What the constructor was given as details: the field errors when there are some, else `meta`.
   * @deprecated read `fieldErrors` or `meta`, whose shapes are known.
   */
  get details(): Record<string, unknown> | FieldError[] | undefined {
    return this.fieldErrors.length > 0 ? this.fieldErrors : this.meta;
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
  constructor(message: string, fields: readonly FieldErrorInput[], code = 'VALIDATION_FAILED', kind: DomainErrorKind = 'invalid') {
    super(code, kind, message, fields);
  }
}

/** A request whose one field is at fault: `invalidField('cursor', 'INVALID_CURSOR', 'cursor is invalid')`. */
export function invalidField(field: string, code: string, message: string, params?: Record<string, unknown>): ValidationError {
  return new ValidationError(`Invalid ${field}`, [{ field, code, message, ...(params ? { params } : {}) }]);
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

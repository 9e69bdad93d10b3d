import { DomainErrorKind, DomainException, NotFoundError } from '@app/common';

/** The three statuses GeoReport v2 names: 400 bad request, 403 bad api_key, 404 unknown resource. */
export type Open311Status = 400 | 403 | 404;

const KIND_BY_STATUS: Record<Open311Status, DomainErrorKind> = { 400: 'invalid', 403: 'forbidden', 404: 'not_found' };

/**
 * An error to show an Open311 client as the spec's `[{code, description}]` list (one entry per
 * problem, e.g. one per attribute at fault). The code in each entry is the HTTP status.
 */
export class Open311Error extends DomainException {
  constructor(
    readonly status: Open311Status,
    readonly descriptions: string[],
  ) {
    super(`OPEN311_${status}`, KIND_BY_STATUS[status], descriptions.join('; '), { errors: descriptions.map((description) => ({ code: status, description })) });
  }
}

export class ApiKeyNotFoundError extends NotFoundError {
  constructor() {
    super('API_KEY_NOT_FOUND', 'API key');
  }
}

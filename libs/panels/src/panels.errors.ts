import { DomainException, FieldError, NotFoundError } from '@app/common';

/** A quota no valid panel can meet, and by how many seats it is missed at best. */
export interface QuotaFailure {
  feature: string;
  value: string;
  min: number;
  max: number;
  /** Seats missing below `min` (0 when the quota fails above). */
  shortBy: number;
  /** Seats over `max` (0 when the quota fails below). */
  overBy: number;
}

/** The quotas (with the household rule and the panel size) admit no panel at all. */
export class QuotasInfeasibleError extends DomainException {
  constructor(
    readonly failures: QuotaFailure[],
    reason?: string,
  ) {
    const fields: FieldError[] = failures.map((f) => ({
      field: f.feature === '*' ? 'size' : `quotas.${f.feature}.${f.value}`,
      code: f.shortBy > 0 ? 'QUOTA_SHORT' : 'QUOTA_OVER',
      message:
        f.shortBy > 0
          ? `at least ${f.min} seats required, at most ${f.min - f.shortBy} reachable: short by ${f.shortBy}`
          : `at most ${f.max} seats allowed, at least ${f.max + f.overBy} forced: over by ${f.overBy}`,
    }));
    super(
      'QUOTAS_INFEASIBLE',
      'unprocessable',
      reason ??
        `No panel meets every quota: ${failures
          .map((f) => `${f.feature}=${f.value} ${f.shortBy > 0 ? `short by ${f.shortBy}` : `over by ${f.overBy}`}`)
          .join('; ')}`,
      fields,
    );
  }
}

/** The pool or quotas given to the selection are inconsistent (unknown value, duplicate id...). */
export class InvalidSelectionInputError extends DomainException {
  constructor(field: string, message: string) {
    super('INVALID_SELECTION_INPUT', 'unprocessable', message, [{ field, messages: [message] }]);
  }
}

export class PanelNotFoundError extends NotFoundError {
  constructor() {
    super('PANEL_NOT_FOUND', 'Panel');
  }
}

export class PanelStateError extends DomainException {
  constructor(code: 'PANEL_POOL_CLOSED' | 'PANEL_POOL_NOT_CLOSED' | 'PANEL_ALREADY_DRAWN' | 'PANEL_POOL_NOT_EMPTY', message: string) {
    super(code, 'conflict', message);
  }
}

export class NotResidentError extends DomainException {
  constructor() {
    super('NOT_A_RESIDENT', 'forbidden', 'Only verified residents of the municipality may volunteer');
  }
}

export class AlreadyVolunteeredError extends DomainException {
  constructor() {
    super('ALREADY_VOLUNTEERED', 'conflict', 'You already volunteered for this panel');
  }
}

export class VolunteerNotFoundError extends NotFoundError {
  constructor() {
    super('VOLUNTEER_NOT_FOUND', 'Volunteer profile');
  }
}

export class SelectionNotFoundError extends NotFoundError {
  constructor() {
    super('SELECTION_NOT_FOUND', 'Selection');
  }
}

/** The CSV itself cannot be read (not its rows: those are rejected one by one). Nothing is imported. */
export class PoolCsvMalformedError extends DomainException {
  constructor(message: string) {
    super('POOL_CSV_MALFORMED', 'invalid', message, [{ field: 'file', messages: [message] }]);
  }
}

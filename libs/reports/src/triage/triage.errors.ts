import { DomainException, ForbiddenError } from '@app/common';

export class AssigneeNotStaffError extends DomainException {
  constructor() {
    super('ASSIGNEE_NOT_STAFF', 'unprocessable', 'Reports can only be assigned to staff of their municipality', [
      { field: 'assigneeId', messages: ['must be a staff member or admin of this municipality'] },
    ]);
  }
}

export class InvalidDuplicateError extends DomainException {
  constructor(message: string) {
    super('INVALID_DUPLICATE', 'unprocessable', message, [{ field: 'duplicateOfId', messages: [message] }]);
  }
}

export class InvalidMergeError extends DomainException {
  constructor(code: 'MERGE_INTO_ITSELF' | 'MERGE_ACROSS_MUNICIPALITIES' | 'MERGE_TARGET_NOT_FOUND', message: string) {
    super(code, 'unprocessable', message, [{ field: 'intoId', messages: [message] }]);
  }
}

export class MergeTargetClosedError extends DomainException {
  constructor(status: string) {
    super('MERGE_TARGET_CLOSED', 'conflict', `Reports can only be merged into an open or resolved report (this one is ${status})`);
  }
}

export interface BulkFailure {
  id: string;
  code: string;
  message: string;
  details?: unknown;
}

/**
 * A bulk change is all or nothing: one refusal refuses the lot, naming every failing report. A
 * conflict (409) when one of them changed since its sender saw it (STALE_VERSION in its failure):
 * reload and retry, as for a single triage; unprocessable (422) otherwise.
 */
export class BulkTriageRefusedError extends DomainException {
  constructor(failures: BulkFailure[]) {
    const stale = failures.some((f) => f.code === 'STALE_VERSION');
    super('BULK_TRIAGE_REFUSED', stale ? 'conflict' : 'unprocessable', `Nothing was changed: ${failures.length} report(s) cannot take these changes`, {
      failedIds: failures.map((f) => f.id),
      failures,
    });
  }
}

export class NotReporterError extends ForbiddenError {
  constructor() {
    super('Only the person who reported it may do this', 'NOT_REPORTER');
  }
}

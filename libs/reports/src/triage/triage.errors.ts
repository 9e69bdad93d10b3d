import { defineErrorMessages, defineFieldErrorMessages, DomainException, FieldError, ForbiddenError } from '@app/common';

/** This library's error codes in the catalogue (libs/common/src/errors). */
defineErrorMessages({
  ASSIGNEE_NOT_STAFF: { en: 'Reports can only be assigned to staff of their municipality', fr: 'Un signalement ne peut être attribué qu’au personnel de sa commune' },
  INVALID_DUPLICATE: { fr: "Ce signalement ne peut pas être marqué comme doublon de celui-ci" },
  MERGE_INTO_ITSELF: { en: 'A report cannot be merged into itself', fr: 'Un signalement ne peut pas être fusionné avec lui-même' },
  MERGE_ACROSS_MUNICIPALITIES: { fr: "Deux signalements de communes différentes ne peuvent pas être fusionnés" },
  MERGE_TARGET_NOT_FOUND: { fr: 'Le signalement cible de la fusion est introuvable' },
  MERGE_TARGET_CLOSED: { fr: "On ne peut fusionner que dans un signalement ouvert ou résolu" },
  BULK_TRIAGE_REFUSED: { fr: "Rien n'a été modifié : certains signalements ne peuvent pas recevoir ces changements ({failedIds})" },
  NOT_REPORTER: { en: 'Only the person who reported it may do this', fr: 'Seule la personne qui l’a signalé peut faire ceci' },
});
defineFieldErrorMessages({
  NOT_STAFF: { en: 'must be a staff member or admin of this municipality', fr: 'doit être un agent ou un administrateur de cette commune' },
  REQUIRED_WHEN_REJECTING: { en: 'reason is required when rejecting', fr: 'reason est obligatoire pour un rejet' },
  ONLY_WHEN_REJECTING: { en: 'reason is only given with status "rejected"', fr: 'reason ne se donne qu’avec le statut "rejected"' },
  REQUIRED_FOR_DUPLICATE: { en: 'duplicateOfId is required for a duplicate', fr: 'duplicateOfId est obligatoire pour un doublon' },
  ONLY_FOR_DUPLICATE: { en: 'duplicateOfId is only given with reason "duplicate"', fr: 'duplicateOfId ne se donne qu’avec la raison "duplicate"' },
  NOTHING_TO_CHANGE: { fr: 'donnez au moins un de status, priority, assigneeId, department, categoryCode, dueAt' },
  INVALID_IF_MATCH: { fr: 'If-Match doit être la version du signalement, par exemple "3"' },
  VERSION_MISMATCH: { en: 'If-Match and version disagree', fr: 'If-Match et version ne concordent pas' },
  CURSOR_OF_OTHER_SORT: { en: 'cursor belongs to another sort order', fr: "ce curseur appartient à un autre ordre de tri" },
});

export class AssigneeNotStaffError extends DomainException {
  constructor() {
    super('ASSIGNEE_NOT_STAFF', 'unprocessable', 'Reports can only be assigned to staff of their municipality', [
      { field: 'assigneeId', code: 'NOT_STAFF', message: 'must be a staff member or admin of this municipality' },
    ]);
  }
}

export class InvalidDuplicateError extends DomainException {
  constructor(message: string) {
    super('INVALID_DUPLICATE', 'unprocessable', message, [{ field: 'duplicateOfId', code: 'INVALID_DUPLICATE', message }]);
  }
}

export class InvalidMergeError extends DomainException {
  constructor(code: 'MERGE_INTO_ITSELF' | 'MERGE_ACROSS_MUNICIPALITIES' | 'MERGE_TARGET_NOT_FOUND', message: string) {
    super(code, 'unprocessable', message, [{ field: 'intoId', code, message }]);
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
  details: FieldError[];
  meta?: Record<string, unknown>;
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

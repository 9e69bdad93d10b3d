import { FieldError, ValidationError } from '@app/common';
import type { RejectReason, ReportStatus } from '../lifecycle/report-lifecycle';
import type { ReportEntity } from '../reports/report.entity';

/**
 * The version a triage request says it saw: from `If-Match` ("3", W/"3" or 3) or the body's
 * `version`. One of them is required: a request that does not say what it saw could silently
 * overwrite another agent's work, so it is refused with 400 VERSION_REQUIRED (rather than 428,
 * so clients meet one error shape for every malformed request).
 */
export function expectedVersion(ifMatch: string | undefined, bodyVersion: number | undefined): number {
  let fromHeader: number | undefined;
  if (ifMatch !== undefined && ifMatch.trim() !== '') {
    const match = /^(?:W\/)?"?(\d{1,9})"?$/.exec(ifMatch.trim());
    if (!match) {
      throw new ValidationError('Invalid If-Match', [{ field: 'If-Match', code: 'INVALID_IF_MATCH', message: 'If-Match must be the report version, e.g. "3"' }]);
    }
    fromHeader = Number(match[1]);
  }
  if (fromHeader !== undefined && bodyVersion !== undefined && fromHeader !== bodyVersion) {
    throw new ValidationError('Conflicting versions', [{ field: 'version', code: 'VERSION_MISMATCH', message: 'If-Match and version disagree' }]);
  }
  const version = fromHeader ?? bodyVersion;
  if (version === undefined) {
    throw new ValidationError(
      'Say which version of the report you saw (If-Match header or version)',
      [{ field: 'version', code: 'REQUIRED', message: 'If-Match header or version is required' }],
      'VERSION_REQUIRED',
    );
  }
  return version;
}

export function etagOf(version: number): string {
  return `"${version}"`;
}

/** A rejection needs its reason, and a duplicate the report it duplicates; nothing else takes them. */
export function rejectionProblems(status: ReportStatus | undefined, reason: RejectReason | undefined, duplicateOfId: string | undefined): FieldError[] {
  const problems: FieldError[] = [];
  if (status === 'rejected' && !reason) problems.push({ field: 'reason', code: 'REQUIRED_WHEN_REJECTING', message: 'reason is required when rejecting' });
  if (reason && status !== 'rejected') problems.push({ field: 'reason', code: 'ONLY_WHEN_REJECTING', message: 'reason is only given with status "rejected"' });
  if (reason === 'duplicate' && !duplicateOfId) problems.push({ field: 'duplicateOfId', code: 'REQUIRED_FOR_DUPLICATE', message: 'duplicateOfId is required for a duplicate' });
  if (duplicateOfId && reason !== 'duplicate') problems.push({ field: 'duplicateOfId', code: 'ONLY_FOR_DUPLICATE', message: 'duplicateOfId is only given with reason "duplicate"' });
  return problems;
}

export interface TransitionOptions {
  rejectReason?: RejectReason | null;
  duplicateOfId?: string | null;
  rating?: number | null;
}

/**
 * The columns a status change sets besides the status: the moment it was acknowledged,
 * resolved or closed (a rejection closes it too); a reopened report is no longer resolved; a
 * report rejected as spam leaves public view.
 */
export function transitionColumns(
  report: Pick<ReportEntity, 'status' | 'acknowledgedAt' | 'hiddenAt'>,
  to: ReportStatus,
  options: TransitionOptions,
  now: Date,
): Partial<ReportEntity> {
  const columns: Partial<ReportEntity> = { status: to };
  switch (to) {
    case 'acknowledged':
      if (!report.acknowledgedAt) columns.acknowledgedAt = now;
      break;
    case 'in_progress':
      if (!report.acknowledgedAt) columns.acknowledgedAt = now;
      if (report.status === 'resolved') columns.resolvedAt = null;
      break;
    case 'resolved':
      columns.resolvedAt = now;
      break;
    case 'closed':
      columns.closedAt = now;
      if (options.rating !== undefined) columns.rating = options.rating;
      break;
    case 'withdrawn':
      columns.closedAt = now;
      break;
    case 'rejected':
      columns.closedAt = now;
      columns.rejectReason = options.rejectReason ?? null;
      columns.duplicateOfId = options.duplicateOfId ?? null;
      if (options.rejectReason === 'spam' && !report.hiddenAt) columns.hiddenAt = now;
      break;
  }
  return columns;
}

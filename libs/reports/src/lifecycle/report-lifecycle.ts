/**
 * The report lifecycle, per kind, as plain data and functions: no I/O, so every rule here is
 * unit-tested and the services only ask "may this actor move this report there?".
 */
export const REPORT_KINDS = ['problem', 'suggestion', 'compliment'] as const;
export type ReportKind = (typeof REPORT_KINDS)[number];

/** `withdrawn`: its reporter took it back while it was still `new` (final, like closed and rejected). */
export const REPORT_STATUSES = ['new', 'acknowledged', 'in_progress', 'resolved', 'closed', 'rejected', 'withdrawn'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

export const OPEN_STATUSES: readonly ReportStatus[] = ['new', 'acknowledged', 'in_progress'];
/** Statuses in which a report still shows on maps and in "is it already reported?" answers. */
export const ACTIVE_STATUSES: readonly ReportStatus[] = ['new', 'acknowledged', 'in_progress', 'resolved'];

export const REJECT_REASONS = ['duplicate', 'not_responsible', 'invalid', 'spam'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

/**
 * The reporter may still change their report (its description) or withdraw it while nobody at the
 * city has looked at it: once it is acknowledged, staff work from what it said.
 */
export const REPORTER_EDITABLE_STATUSES: readonly ReportStatus[] = ['new'];

export function isEditableByReporter(status: ReportStatus): boolean {
  return REPORTER_EDITABLE_STATUSES.includes(status);
}

/** How long a reporter may reopen a resolved report, and after which it closes by itself. */
export const RESOLVED_GRACE_DAYS = 30;

export type LifecycleActor = 'staff' | 'reporter' | 'system';

const STAFF_TRANSITIONS: Record<ReportKind, Partial<Record<ReportStatus, ReportStatus[]>>> = {
  problem: {
    new: ['acknowledged', 'rejected'],
    acknowledged: ['in_progress', 'rejected'],
    in_progress: ['resolved', 'rejected'],
    resolved: ['closed'],
  },
  // Forwarded to its department and thanked: never "in progress".
  compliment: {
    new: ['acknowledged', 'rejected'],
    acknowledged: ['closed', 'rejected'],
  },
  suggestion: {
    new: ['acknowledged', 'rejected'],
    acknowledged: ['closed', 'rejected'],
  },
};

export interface TransitionContext {
  actor: LifecycleActor;
  kind: ReportKind;
  from: ReportStatus;
  to: ReportStatus;
  /** When the report was resolved, for the reporter's reopen window. */
  resolvedAt?: Date | null;
  now?: Date;
}

export type TransitionVerdict = { ok: true } | { ok: false; allowed: ReportStatus[]; reason: string };

/** Where an actor may move a report of this kind from its current status. */
export function allowedTransitions(actor: LifecycleActor, kind: ReportKind, from: ReportStatus, resolvedAt?: Date | null, now = new Date()): ReportStatus[] {
  if (actor === 'staff') return [...(STAFF_TRANSITIONS[kind][from] ?? [])];
  // Any kind: the reporter takes it back before the city has acknowledged it.
  if (actor === 'reporter' && from === 'new') return ['withdrawn'];
  if (kind !== 'problem' || from !== 'resolved') return [];
  if (actor === 'system') return isGraceOver(resolvedAt, now) ? ['closed'] : [];
  // The reporter confirms the fix (closed) or, within the grace period, says it is not fixed.
  return isGraceOver(resolvedAt, now) ? ['closed'] : ['in_progress', 'closed'];
}

export function checkTransition(ctx: TransitionContext): TransitionVerdict {
  const allowed = allowedTransitions(ctx.actor, ctx.kind, ctx.from, ctx.resolvedAt, ctx.now);
  if (allowed.includes(ctx.to)) return { ok: true };
  const reason =
    ctx.actor === 'reporter' && ctx.to === 'in_progress' && ctx.from === 'resolved'
      ? `A resolved report can be reopened within ${RESOLVED_GRACE_DAYS} days`
      : ctx.to === 'withdrawn'
        ? `A report can be withdrawn by its reporter only while it is new (this one is ${ctx.from})`
        : `A ${ctx.kind} cannot go from ${ctx.from} to ${ctx.to}`;
  return { ok: false, allowed, reason };
}

export function isGraceOver(resolvedAt: Date | null | undefined, now = new Date()): boolean {
  if (!resolvedAt) return false;
  return now.getTime() - resolvedAt.getTime() >= RESOLVED_GRACE_DAYS * 24 * 3600 * 1000;
}

export function isOpen(status: ReportStatus): boolean {
  return OPEN_STATUSES.includes(status);
}

/** GeoReport v2 knows two statuses only. */
export function open311Status(status: ReportStatus): 'open' | 'closed' {
  return isOpen(status) ? 'open' : 'closed';
}

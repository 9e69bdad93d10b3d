import { isOpen, ReportStatus } from '../lifecycle/report-lifecycle';
import type { WorkingCalendar } from './working-calendar';

/** Which deadline a warning is about. */
export type SlaKind = 'acknowledge' | 'resolve';

/**
 * The assignee is warned once 80% of the working time between filing and the deadline has
 * passed: proportional, so a two-hour acknowledgement gets its warning 24 working minutes ahead
 * and a ten-day resolution two working days ahead, and counted on the calendar, so a warning
 * never lands in the night or on a Sunday when nobody can act on it.
 */
export const SLA_WARNING_FRACTION = 0.8;

export interface DeadlineState {
  status: ReportStatus;
  acknowledgeDueAt: Date | null;
  resolveDueAt: Date | null;
  /** Staff override of the resolve-by deadline. */
  dueAt: Date | null;
}

export interface PendingDeadline {
  kind: SlaKind;
  deadline: Date;
}

/** Deadlines the report can still miss in its current status. */
export function pendingDeadlines(r: DeadlineState): PendingDeadline[] {
  const out: PendingDeadline[] = [];
  if (r.status === 'new' && r.acknowledgeDueAt) out.push({ kind: 'acknowledge', deadline: r.acknowledgeDueAt });
  const resolveBy = r.dueAt ?? r.resolveDueAt;
  if (isOpen(r.status) && resolveBy) out.push({ kind: 'resolve', deadline: resolveBy });
  return out;
}

/** Deterministic: one job per (report, kind, deadline), so scheduling twice is a no-op. */
export function slaJobId(reportId: string, kind: SlaKind, deadline: Date): string {
  return `sla-${reportId}-${kind === 'acknowledge' ? 'ack' : 'resolve'}-${deadline.getTime()}`;
}

/**
 * When to warn about `deadline`, counted from `start` (the filing: deadlines run from it).
 * Null when the deadline has passed already (the queue shows it overdue; a warning would come
 * too late). A deadline set late (staff override, re-categorised report) whose warning point is
 * behind us is warned about now.
 */
export function warningTime(
  calendar: Pick<WorkingCalendar, 'workingMinutesBetween' | 'addWorkingMinutes'>,
  start: Date,
  deadline: Date,
  now: Date,
): Date | null {
  if (deadline.getTime() <= now.getTime()) return null;
  const working = calendar.workingMinutesBetween(start, deadline);
  let at =
    working > 0
      ? calendar.addWorkingMinutes(start, working * SLA_WARNING_FRACTION)
      : // A deadline inside closed hours (a staff override): fall back to wall-clock time.
        new Date(start.getTime() + (deadline.getTime() - start.getTime()) * SLA_WARNING_FRACTION);
  if (at.getTime() > deadline.getTime()) at = deadline;
  return at.getTime() < now.getTime() ? now : at;
}

export interface SlaJob {
  jobId: string;
  kind: SlaKind;
  deadline: Date;
  /** Milliseconds from `now`. */
  delay: number;
}

export interface SlaPlan {
  add: SlaJob[];
  /** Ids of jobs that may exist and must not fire: deadlines moved or no longer due. */
  remove: string[];
}

/**
 * The warning jobs a report should have now, and those to cancel. `formerDeadlines` are
 * deadlines it had before the change being handled (a job may wait for them).
 */
export function planSlaJobs(
  reportId: string,
  state: DeadlineState & { createdAt: Date },
  formerDeadlines: PendingDeadline[],
  calendar: Pick<WorkingCalendar, 'workingMinutesBetween' | 'addWorkingMinutes'>,
  now: Date,
): SlaPlan {
  const add: SlaJob[] = [];
  for (const { kind, deadline } of pendingDeadlines(state)) {
    const at = warningTime(calendar, state.createdAt, deadline, now);
    if (at) add.push({ jobId: slaJobId(reportId, kind, deadline), kind, deadline, delay: Math.max(0, at.getTime() - now.getTime()) });
  }
  const keep = new Set(add.map((j) => j.jobId));
  const candidates: PendingDeadline[] = [...formerDeadlines];
  if (state.acknowledgeDueAt) candidates.push({ kind: 'acknowledge', deadline: state.acknowledgeDueAt });
  for (const d of [state.dueAt, state.resolveDueAt]) if (d) candidates.push({ kind: 'resolve', deadline: d });
  const remove = [...new Set(candidates.map((c) => slaJobId(reportId, c.kind, c.deadline)))].filter((id) => !keep.has(id));
  return { add, remove };
}

/**
 * Deadlines a report had before a triage change, from a `report.triaged` event's
 * `changes: {field: {from, to}}`: warnings may still wait for them.
 */
export function formerDeadlines(changes: Record<string, unknown> | undefined): PendingDeadline[] {
  const out: PendingDeadline[] = [];
  const from = (field: string): Date | null => {
    const change = changes?.[field] as { from?: unknown } | undefined;
    if (typeof change?.from !== 'string') return null;
    const date = new Date(change.from);
    return Number.isNaN(date.getTime()) ? null : date;
  };
  const ack = from('acknowledgeDueAt');
  if (ack) out.push({ kind: 'acknowledge', deadline: ack });
  for (const field of ['resolveDueAt', 'dueAt']) {
    const d = from(field);
    if (d) out.push({ kind: 'resolve', deadline: d });
  }
  return out;
}

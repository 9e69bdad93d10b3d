import type { ReportKind, ReportStatus } from './lifecycle/report-lifecycle';

/** Events of the reports library, added to the platform's typed event map. */
export interface ReportEventBase {
  reportId: string;
  number: string;
  municipalityId: string;
  categoryCode: string;
  kind: ReportKind;
  status: ReportStatus;
}

declare module '@app/common' {
  interface DomainEventMap {
    'report.created': ReportEventBase & { reporterId: string | null; department: string | null };
    'report.status_changed': ReportEventBase & { from: ReportStatus; to: ReportStatus; reason: string | null; reporterId: string | null };
    'report.assigned': ReportEventBase & { assigneeId: string | null; previousAssigneeId: string | null; department: string | null };
    'report.updated': ReportEventBase & { visibility: 'public' | 'internal'; message: string; reporterId: string | null };
    'report.triaged': ReportEventBase & { changes: Record<string, unknown> };
    'report.merged': ReportEventBase & { intoId: string; intoNumber: string; reporterId: string | null };
    /** The reporter changed the description while the report was new (the text is in the report, not the event). */
    'report.edited': ReportEventBase & { reporterId: string | null; fields: Array<'description'> };
    'report.supported': ReportEventBase & { userId: string; supportCount: number };
    /** Photos were added, moved here by a merge, or moved away: `photoCount` is how many it has now. */
    'report.photos_changed': ReportEventBase & { photoCount: number };
    /**
     * A deadline is near and the report still waits (scheduled from the worker, see sla-warnings.ts).
     * `deadlineKind`, as `kind` is already the report's kind.
     */
    'report.sla_warning': ReportEventBase & { assigneeId: string | null; department: string | null; deadline: string; deadlineKind: 'acknowledge' | 'resolve' };
  }
}

import { DomainEvent } from '@app/common';
import { formerDeadlines, PendingDeadline } from '@app/reports';

/** Deadlines a report had before the event: only a triage change moves them. */
export function formerDeadlinesOf(event: DomainEvent): PendingDeadline[] {
  if (event.type !== 'report.triaged') return [];
  return formerDeadlines((event.payload as { changes?: Record<string, unknown> }).changes);
}

import { JobsOptions } from 'bullmq';

/** Every queue name in one place. */
export const QUEUES = {
  /** One job per (committed outbox event, consumer). */
  domainEvents: 'domain-events',
  /** Delayed warnings before a report's service-level deadline (one job per report, kind, deadline). */
  reportSlaWarnings: 'report-sla-warnings',
  /** Repeatable housekeeping of reports (auto-close of resolved problems nobody answered). */
  reportMaintenance: 'report-maintenance',
  /** One job per (notification, channel) to send by email or web push. */
  notificationDeliveries: 'notification-deliveries',
  /** The bulk lane: one job per (notification, channel) of an announcement, its own concurrency and rate limits. */
  notificationBulkDeliveries: 'notification-bulk-deliveries',
  /** The repeatable run that sends the daily email digests that are due. */
  notificationDigests: 'notification-digests',
  /** Delayed moves of a participatory budget to its next phase, on the phase's end date. */
  budgetPhases: 'budget-phases',
  /** Delayed reminders 24 h and 1 h before a workshop session (one job per session, kind, start). */
  workshopReminders: 'workshop-reminders',
  /** Delayed expiries of waitlist seat offers (one job per registration and expiry time). */
  workshopOffers: 'workshop-offers',
  /** Delayed close and reminder of a survey, on their dates. */
  surveySchedule: 'survey-schedule',
  /** Delayed end of a proposal's support period and its answer deadline. */
  proposalDeadlines: 'proposal-deadlines',
  /** Delayed panel deadlines: a drawn person's answer date, a term's end. */
  panelDeadlines: 'panel-deadlines',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Job payload of the domain-events queue: the event itself stays in PostgreSQL. */
export interface DomainEventJobData {
  eventId: string;
  consumer: string;
  type: string;
}

/** Job payload of the report-sla-warnings queue: the worker re-reads the report before warning. */
export interface SlaWarningJobData {
  reportId: string;
  kind: 'acknowledge' | 'resolve';
  /** ISO 8601; the warning is dropped if the report's deadline is no longer this one. */
  deadline: string;
}

/** Job payload of the budget-phases queue: the worker moves the budget only if it is still in `from`. */
export interface BudgetPhaseJobData {
  budgetId: string;
  from: 'proposing' | 'reviewing' | 'voting';
  /** ISO 8601 end of the phase the job was scheduled for. */
  at: string;
}

/** Job payload of the workshop-reminders queue: dropped if the session no longer starts at `startsAt`. */
export interface WorkshopReminderJobData {
  sessionId: string;
  kind: '24h' | '1h';
  /** ISO 8601 start the reminder was scheduled for. */
  startsAt: string;
}

/** Job payload of the workshop-offers queue: dropped if the offer was answered or renewed. */
export interface WorkshopOfferJobData {
  registrationId: string;
  /** ISO 8601 expiry the job was scheduled for. */
  expiresAt: string;
}

/** Job payload of the proposal-deadlines queue: the worker acts only if the proposal still has this deadline. */
export interface ProposalDeadlineJobData {
  proposalId: string;
  kind: 'expiry' | 'answer_due';
  /** ISO 8601 deadline the job was scheduled for. */
  at: string;
}

/** Jobs of the panel-deadlines queue: the worker re-reads the member or panel before acting. */
export type PanelDeadlineJobData =
  | { kind: 'respond-by'; memberId: string; /** ISO 8601: ignored if the member's deadline is no longer this. */ respondBy: string }
  | { kind: 'term-end'; panelId: string; termNumber: number };

export const REPORT_MAINTENANCE_JOBS = { autoClose: 'auto-close' } as const;

export function domainEventJobId(eventId: string, consumer: string): string {
  // BullMQ refuses purely numeric custom ids; this one is deterministic so a re-enqueue is a no-op.
  return `evt-${eventId}-${consumer}`;
}

/** Job payload of the notification-deliveries queue: the delivery row is the source of truth. */
export interface NotificationDeliveryJobData {
  deliveryId: string;
  notificationId: string;
  channel: 'email' | 'push';
}

export function notificationDeliveryJobId(notificationId: string, channel: string): string {
  // Deterministic (a re-enqueue of a queued delivery is a no-op) and never purely numeric.
  return `${notificationId}-${channel}`;
}

/** Retry policy shared by every queue. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  // Keep finished jobs a day: their ids are what makes a duplicate enqueue a no-op.
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

/** Job payload of the survey-schedule queue: the worker re-reads the survey before acting. */
export interface SurveyScheduleJobData {
  surveyId: string;
  kind: 'close' | 'remind';
  /** ISO 8601 date the job was scheduled for; a survey rescheduled since is left to its new job. */
  at: string;
}

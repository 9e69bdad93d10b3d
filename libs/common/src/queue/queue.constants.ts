import { JobsOptions } from 'bullmq';

/** Every queue name in one place. */
export const QUEUES = {
  /** One job per (committed outbox event, consumer). */
  domainEvents: 'domain-events',
} as const;

export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** Job payload of the domain-events queue: the event itself stays in PostgreSQL. */
export interface DomainEventJobData {
  eventId: string;
  consumer: string;
  type: string;
}

export function domainEventJobId(eventId: string, consumer: string): string {
  // BullMQ refuses purely numeric custom ids; this one is deterministic so a re-enqueue is a no-op.
  return `evt-${eventId}-${consumer}`;
}

/** Retry policy shared by every queue. */
export const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 1000 },
  // Keep finished jobs a day: their ids are what makes a duplicate enqueue a no-op.
  removeOnComplete: { age: 24 * 3600, count: 100_000 },
  removeOnFail: { age: 14 * 24 * 3600 },
};

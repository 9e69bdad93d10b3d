import { SetMetadata } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { DomainEvent, DomainEventType } from './domain-event-map';

export const EVENT_CONSUMER = Symbol('EVENT_CONSUMER');

/** Work a consumer asks to run after its transaction committed (see `handle`). */
export type AfterCommit = () => Promise<void>;

export interface EventConsumerOptions {
  /** Stable name: part of the job id and of the idempotency key. Never rename a live consumer. */
  name: string;
  events: DomainEventType[];
  /**
   * Set when running `handle` again for an event is harmless although a previous run's
   * transaction rolled back: no side effect outside PostgreSQL, or only ones the receiver dedupes
   * (live messages with ids, jobs with ids). Events that wait for such a consumer together then
   * share one transaction without a savepoint each; if one fails, the batch rolls back and each
   * of its events runs again in a transaction of its own. Leave it unset for a consumer that
   * mails or calls out.
   */
  rerunnable?: boolean;
}

/**
 * Something the worker runs for each committed event of the given types. `handle` runs inside a
 * transaction that also records the consumption, so database work is done exactly once; an
 * external side effect (a mail) is done at most once per successful commit.
 */
export interface DomainEventConsumer {
  /**
   * May return work to run once the transaction has committed (e.g. adding jobs for rows it
   * stored): run only if it commits, never awaited by the transaction, and a best effort — the
   * consumer must have a fallback (a sweeper) for when it fails or the process dies first.
   */
  handle(event: DomainEvent, manager: EntityManager): Promise<void | AfterCommit>;
  /**
   * Optional, for a `rerunnable` consumer: the events (in id order) that share a transaction,
   * handled at once — fewer round trips than one `handle` each. Same contract as `handle` for
   * each of them; if it throws, they are run again one by one through `handle`.
   */
  handleBatch?(events: DomainEvent[], manager: EntityManager): Promise<void | AfterCommit>;
}

/** Marks a provider as a consumer of domain events; the worker discovers it. */
export const EventConsumer = (options: EventConsumerOptions): ClassDecorator => SetMetadata(EVENT_CONSUMER, options);

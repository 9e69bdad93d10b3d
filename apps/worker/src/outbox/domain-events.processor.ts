import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Logger, OnModuleDestroy, Type } from '@nestjs/common';
import { AppConfig, ConsumeOutcome, DomainEventJobData, EventDispatchService, QUEUES } from '@app/common';
import { Job, WorkerOptions } from 'bullmq';
import { EventConsumerRegistry } from './event-consumer.registry';

/** The concurrency of the plain @Processor below; the worker uses DOMAIN_EVENTS_CONCURRENCY from its config. */
export const DOMAIN_EVENTS_CONCURRENCY = 10;

/**
 * Worker options that depend on the deployment: how many events at once
 * (DOMAIN_EVENTS_CONCURRENCY; events waiting for one consumer share a transaction, so more jobs
 * in flight make bigger batches, not more connections). A job whose worker died (SIGKILL, OOM)
 * is taken over once its lock has expired and the stalled check has seen it twice, so both
 * follow `queueLockMs`. A consumer is idempotent, so a job may stall (and be rerun) a few times before
 * BullMQ gives up on it.
 */
export function domainEventsWorkerOptions(config: AppConfig): Omit<WorkerOptions, 'connection'> {
  return {
    concurrency: config.domainEventsConcurrency,
    lockDuration: config.queueLockMs,
    stalledInterval: config.queueLockMs,
    maxStalledCount: 5,
  };
}

/**
 * Runs one consumer on one committed event. The job only names them; the event is read from
 * PostgreSQL and EventDispatchService makes a second delivery a no-op.
 */
@Processor(QUEUES.domainEvents, { concurrency: DOMAIN_EVENTS_CONCURRENCY })
export class DomainEventsProcessor extends WorkerHost implements OnModuleDestroy {
  protected readonly logger = new Logger(DomainEventsProcessor.name);

  constructor(
    private readonly registry: EventConsumerRegistry,
    private readonly dispatch: EventDispatchService,
  ) {
    super();
  }

  async process(job: Job<DomainEventJobData>): Promise<ConsumeOutcome> {
    const { consumer: name, eventId } = job.data;
    const registered = this.registry.get(name);
    if (!registered) {
      // Retried rather than dropped: during a rolling deploy a newer worker may know it.
      throw new Error(`No event consumer named "${name}" in this worker (event ${eventId})`);
    }
    const outcome = await this.dispatch.consume(registered.name, registered.consumer, eventId, { rerunnable: registered.rerunnable });
    if (outcome === 'event-missing') {
      this.logger.warn(`Event ${eventId} for consumer ${name} no longer exists; skipped`);
    }
    return outcome;
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job<DomainEventJobData> | undefined, error: Error): void {
    if (!job) return;
    const final = job.attemptsMade >= (job.opts.attempts ?? 1);
    this.logger[final ? 'error' : 'warn'](
      { err: error, jobId: job.id, attemptsMade: job.attemptsMade },
      `${final ? 'Gave up on' : 'Will retry'} ${job.data.consumer} for event ${job.data.eventId}: ${error.message}`,
    );
  }

  @OnWorkerEvent('error')
  onError(error: Error): void {
    // Mostly Redis connection errors; the worker reconnects by itself.
    this.logger.warn({ err: error }, `Domain-events worker error: ${error.message}`);
  }

  async onModuleDestroy(): Promise<void> {
    // Let running jobs finish while PostgreSQL is still open; @nestjs/bullmq only closes the
    // worker later, on application shutdown, possibly after the data source.
    await this.worker.close();
  }
}

/**
 * @Processor options are static metadata, and @nestjs/bullmq reads worker options only from
 * there (its explorer builds the Worker in its own onModuleInit; changing `worker.opts`
 * afterwards would miss the lock manager, built in the Worker's constructor). So the worker
 * module declares this subclass, decorated with the options of the config it is built with.
 */
export function configuredDomainEventsProcessor(config: AppConfig): Type<DomainEventsProcessor> {
  @Processor(QUEUES.domainEvents, domainEventsWorkerOptions(config))
  class ConfiguredDomainEventsProcessor extends DomainEventsProcessor {}
  return ConfiguredDomainEventsProcessor;
}

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer, ProposalDeadlineJobData, QUEUES } from '@app/common';
import { ProposalDeadlinesService } from '@app/proposals';
import { Queue } from 'bullmq';
import { EntityManager } from 'typeorm';

/**
 * Schedules each proposal's next deadline (end of support period, answer due) from committed
 * events, like the reports' SLA warnings: never for a change that rolled back, never lost while
 * Redis is down (the event is delivered again until this succeeds).
 */
@Injectable()
// Rerunnable: job ids are deterministic per (proposal, kind, deadline), so scheduling again is a no-op.
@EventConsumer({ name: 'proposal-deadlines', events: ['proposals.published', 'proposals.status_changed'], rerunnable: true })
export class ProposalDeadlinesConsumer implements DomainEventConsumer {
  private readonly logger = new Logger(ProposalDeadlinesConsumer.name);

  constructor(
    private readonly deadlines: ProposalDeadlinesService,
    @InjectQueue(QUEUES.proposalDeadlines) private readonly queue: Queue<ProposalDeadlineJobData>,
  ) {
    this.queue.on('error', (error) => this.logger.debug(`Proposal-deadlines queue connection error: ${error.message}`));
  }

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    for (const job of await this.deadlines.plan(event.aggregateId, manager)) {
      await this.queue.add(job.data.kind, job.data, { jobId: job.jobId, delay: job.delay });
    }
  }
}

import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer, QUEUES, SlaWarningJobData } from '@app/common';
import { SlaWarningsService } from '@app/reports';
import { Queue } from 'bullmq';
import { EntityManager } from 'typeorm';
import { formerDeadlinesOf } from './report-deadlines';

/**
 * Keeps each report's deadline warnings in step with it: after every event that may give,
 * move or end a deadline, (re)schedules the delayed warning jobs the report should have and
 * removes the others. Scheduling here, from a committed event, rather than in the request's
 * transaction means a warning is never queued for a change that rolled back, and never lost
 * when Redis is down (the event is delivered again until this succeeds).
 */
@Injectable()
// Rerunnable: its jobs have deterministic ids, so scheduling again is a no-op.
@EventConsumer({ name: 'report-deadlines', events: ['report.created', 'report.status_changed', 'report.triaged', 'report.merged'], rerunnable: true })
export class ReportDeadlinesConsumer implements DomainEventConsumer {
  private readonly logger = new Logger(ReportDeadlinesConsumer.name);

  constructor(
    private readonly sla: SlaWarningsService,
    @InjectQueue(QUEUES.reportSlaWarnings) private readonly queue: Queue<SlaWarningJobData>,
  ) {
    // Without a listener an outage would be an unhandled 'error' event; a failing handle()
    // reports it and the event is delivered again.
    this.queue.on('error', (error) => this.logger.debug(`Report-sla-warnings queue connection error: ${error.message}`));
  }

  handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    return this.handleBatch([event], manager);
  }

  /** The events sharing a transaction, planned together (SlaWarningsService.planMany), then applied in order. */
  async handleBatch(events: DomainEvent[], manager: EntityManager): Promise<void> {
    const plans = await this.sla.planMany(
      events.map((event) => ({ reportId: event.aggregateId, former: formerDeadlinesOf(event) })),
      manager,
    );
    for (const [i, plan] of plans.entries()) {
      const reportId = events[i].aggregateId;
      for (const jobId of plan.remove) {
        // 0 when there is no such job (never scheduled, already fired) or it is running right now;
        // a running warning re-reads the report and finds the deadline no longer holds.
        await this.queue.remove(jobId);
      }
      for (const job of plan.add) {
        // Same id, same deadline: adding again is a no-op, so redelivered events are harmless.
        await this.queue.add('sla-warning', { reportId, kind: job.kind, deadline: job.deadline.toISOString() }, { jobId: job.jobId, delay: job.delay });
      }
      if (plan.add.length || plan.remove.length) {
        this.logger.debug(`Report ${reportId}: ${plan.add.length} warning(s) scheduled, ${plan.remove.length} cancelled`);
      }
    }
  }
}

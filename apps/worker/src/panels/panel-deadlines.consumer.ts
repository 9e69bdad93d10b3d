import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, DomainEventMap, EventConsumer, PanelDeadlineJobData, QUEUES } from '@app/common';
import { Queue } from 'bullmq';

export const respondByJobId = (memberId: string): string => `panel-respond-${memberId}`;
export const termEndJobId = (panelId: string, termNumber: number): string => `panel-term-end-${panelId}-${termNumber}`;

/**
 * Schedules the panels' dates from committed events, as the reports' deadline warnings: each
 * drawn person's answer deadline, each term's end. Never for a draw that rolled back, never lost
 * while Redis is down (the event is delivered again until this succeeds).
 */
@Injectable()
// Rerunnable: job ids are deterministic, so scheduling again is a no-op.
@EventConsumer({ name: 'panel-deadlines', events: ['panels.members_selected', 'panels.term_started'], rerunnable: true })
export class PanelDeadlinesConsumer implements DomainEventConsumer {
  private readonly logger = new Logger(PanelDeadlinesConsumer.name);

  constructor(@InjectQueue(QUEUES.panelDeadlines) private readonly queue: Queue<PanelDeadlineJobData>) {
    this.queue.on('error', (error) => this.logger.debug(`Panel-deadlines queue connection error: ${error.message}`));
  }

  async handle(event: DomainEvent): Promise<void> {
    if (event.type === 'panels.members_selected') {
      const p = event.payload as DomainEventMap['panels.members_selected'];
      const delay = Math.max(0, Date.parse(p.respondBy) - Date.now());
      await this.queue.addBulk(p.memberIds.map((memberId) => ({ name: 'respond-by', data: { kind: 'respond-by' as const, memberId, respondBy: p.respondBy }, opts: { jobId: respondByJobId(memberId), delay } })));
    } else if (event.type === 'panels.term_started') {
      const p = event.payload as DomainEventMap['panels.term_started'];
      await this.queue.add('term-end', { kind: 'term-end', panelId: p.panelId, termNumber: p.termNumber }, { jobId: termEndJobId(p.panelId, p.termNumber), delay: Math.max(0, Date.parse(p.endsAt) - Date.now()) });
    }
  }
}

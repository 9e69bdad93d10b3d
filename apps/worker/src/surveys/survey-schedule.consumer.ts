import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer, QUEUES, SurveyScheduleJobData } from '@app/common';
import { SurveysService } from '@app/surveys';
import { Queue } from 'bullmq';
import { EntityManager } from 'typeorm';

export function surveyJobId(surveyId: string, kind: SurveyScheduleJobData['kind'], at: Date): string {
  return `survey-${kind}-${surveyId}-${at.getTime()}`;
}

/**
 * Schedules a survey's close and its reminder (N days before the close) as delayed jobs, from the
 * committed `surveys.scheduled` event, as reports schedule their deadline warnings: never for a
 * survey that rolled back, never lost while Redis is down (the event is delivered again).
 */
@Injectable()
// Rerunnable: job ids are deterministic per (survey, kind, date), so scheduling again is a no-op.
@EventConsumer({ name: 'survey-schedule', events: ['surveys.scheduled'], rerunnable: true })
export class SurveyScheduleConsumer implements DomainEventConsumer {
  private readonly logger = new Logger(SurveyScheduleConsumer.name);

  constructor(
    private readonly surveys: SurveysService,
    @InjectQueue(QUEUES.surveySchedule) private readonly queue: Queue<SurveyScheduleJobData>,
  ) {
    this.queue.on('error', (error) => this.logger.debug(`Survey-schedule queue connection error: ${error.message}`));
  }

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const plan = await this.surveys.schedule(event.aggregateId, manager);
    if (!plan) return;
    const jobs: Array<[SurveyScheduleJobData['kind'], Date]> = [['close', plan.closesAt], ...(plan.remindAt ? [['remind', plan.remindAt] as [SurveyScheduleJobData['kind'], Date]] : [])];
    for (const [kind, at] of jobs) {
      await this.queue.add(kind, { surveyId: event.aggregateId, kind, at: at.toISOString() }, { jobId: surveyJobId(event.aggregateId, kind, at), delay: Math.max(0, at.getTime() - Date.now()) });
    }
  }
}

import { Injectable } from '@nestjs/common';
import { DomainEvent, DomainEventConsumer, EventConsumer } from '@app/common';
import { RealtimePublisher } from '@app/realtime';
import { EntityManager } from 'typeorm';
import { ResponsesService } from '../responses.service';
import { SurveysService, surveyState } from '../surveys.service';
import { surveyTopic } from './survey-topics.policy';

export interface SurveyLiveData {
  surveyId: string;
  state: string;
  /** Submitted responses so far, counted at delivery. */
  responses: number;
}

/** The live response count on `survey:{id}` after each first submission and the close. */
@Injectable()
@EventConsumer({ name: 'survey-count', events: ['surveys.response_submitted', 'surveys.closed'], rerunnable: true })
export class SurveyCountConsumer implements DomainEventConsumer {
  constructor(
    private readonly publisher: RealtimePublisher,
    private readonly surveys: SurveysService,
    private readonly responses: ResponsesService,
  ) {}

  async handle(event: DomainEvent, manager: EntityManager): Promise<void> {
    const survey = await this.surveys.get(event.aggregateId, manager).catch(() => null);
    if (!survey) return;
    await this.publisher.publish<SurveyLiveData>(surveyTopic(survey.id), {
      id: event.id,
      type: event.type,
      occurredAt: event.occurredAt.toISOString(),
      data: { surveyId: survey.id, state: surveyState(survey), responses: await this.responses.submittedCount(survey.id, manager) },
    });
  }
}

import { Injectable } from '@nestjs/common';
import { AccessService } from '@app/identity';
import { ProvidesTopics, RealtimeActor, TopicDecision, TopicPolicy, TopicRequest } from '@app/realtime';
import { SurveysService } from '../surveys.service';

export const surveyTopic = (id: string): string => `survey:${id}`;

/** `survey:{id}`: the live response count, for the municipality's staff only. */
@Injectable()
@ProvidesTopics('survey:{id}')
export class SurveyTopicsPolicy implements TopicPolicy {
  constructor(
    private readonly surveys: SurveysService,
    private readonly access: AccessService,
  ) {}

  async authorize(actor: RealtimeActor, { params }: TopicRequest): Promise<TopicDecision> {
    const survey = await this.surveys.get(params.id).catch(() => null);
    if (!survey) return { ok: false, code: 'SURVEY_NOT_FOUND', reason: 'Survey not found' };
    const staff = await this.access.hasRole(actor ?? undefined, survey.municipalityId, ['staff', 'admin']);
    return staff ? { ok: true } : { ok: false, code: 'FORBIDDEN', reason: "Only the municipality's staff follow a survey's responses" };
  }
}

import './surveys.events';

export * from './surveys.module';
export * from './surveys.errors';
export * from './surveys.events';
export * from './surveys.service';
export * from './responses.service';
export * from './results.service';
export * from './dto/survey.dto';
export * from './dto/survey-response.dto';
export * from './questions';
export type { SurveyResults, QuestionResult, WeightCell } from './survey-results';
export type { SurveyAudience } from './survey.entity';
export { SurveyEntity } from './survey.entity';
export * from './realtime/surveys-realtime.module';
export { surveyTopic } from './realtime/survey-topics.policy';
export type { SurveyLiveData } from './realtime/survey-count.consumer';
export { SURVEY_NOTIFICATION_TYPES } from './notifications/survey-reminder.rule';

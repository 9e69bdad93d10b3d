import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { IdentityModule } from '@app/identity';
import { PanelsModule } from '@app/panels';
import { SurveyReminderRule } from './notifications/survey-reminder.rule';
import { PanelRoster } from './panel-roster';
import { SurveyTopicsPolicy } from './realtime/survey-topics.policy';
import { ResponsesService } from './responses.service';
import { ResultsService } from './results.service';
import { SURVEY_ENTITIES } from './survey.entity';
import { SurveysPersonalData } from './surveys-personal-data';
import { SurveysService } from './surveys.service';

/** Surveys for a panel or the residents: questionnaires, responses (anonymous ones sealed), results. */
@Module({
  imports: [TypeOrmModule.forFeature(SURVEY_ENTITIES), IdentityModule, PanelsModule],
  providers: [
    SurveysService,
    ResponsesService,
    ResultsService,
    SurveyTopicsPolicy,
    SurveysPersonalData,
    SurveyReminderRule,
    PanelRoster,
  ],
  exports: [SurveysService, ResponsesService, ResultsService],
})
export class SurveysModule {}

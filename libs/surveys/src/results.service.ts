import { Injectable } from '@nestjs/common';
import { cryptoShuffle, neutraliseCsvCell, TransactionService, ValidationError } from '@app/common';
import { Actor } from '@app/identity';
import { stringify } from 'csv-stringify/sync';
import { PanelRoster } from './panel-roster';
import { Answer } from './questions';
import { SurveyEntity } from './survey.entity';
import { ResponseRecord, SurveyResults, tallySurvey, WeightingSpec } from './survey-results';
import { SurveyResultsNotPublicError, SurveyResultsNotReadyError } from './surveys.errors';
import { surveyState, SurveysService } from './surveys.service';

export interface ResultsQuery {
  /** A panel feature code: cross-tab every choice and scale question by it. */
  by?: string;
  /** A panel feature code: weight responses so that feature matches the panel's quotas. */
  weightBy?: string;
}

/**
 * Results of a survey (staff; anyone once it has closed when the survey says so; an anonymous
 * survey's only after its close) and the CSV export.
 */
@Injectable()
export class ResultsService {
  constructor(
    private readonly surveys: SurveysService,
    private readonly tx: TransactionService,
    private readonly roster: PanelRoster,
  ) {}

  private async readable(actor: Actor | null, surveyId: string): Promise<{ survey: SurveyEntity; staff: boolean }> {
    const survey = await this.surveys.get(surveyId);
    const staff = await this.surveys.isStaff(actor, survey);
    if (!staff && !(survey.resultsPublic && surveyState(survey) === 'closed')) throw new SurveyResultsNotPublicError();
    // Released at the close (closedAt set in the same transaction): before, only the count is live.
    if (survey.anonymous && !survey.closedAt) throw new SurveyResultsNotReadyError();
    return { survey, staff };
  }

  /** Submitted responses: an identified survey's rows, or an anonymous survey's rows released at its close. */
  async responses(survey: SurveyEntity): Promise<Array<ResponseRecord & { userId?: string | null }>> {
    if (survey.anonymous) return this.tx.manager.query(`SELECT answers, features FROM survey_anonymous_responses WHERE survey_id = $1`, [survey.id]);
    return this.tx.manager.query(`SELECT user_id AS "userId", answers, features FROM survey_responses WHERE survey_id = $1 AND submitted`, [survey.id]);
  }

  private async options(survey: SurveyEntity, query: ResultsQuery): Promise<{ by?: string; weighting?: WeightingSpec }> {
    if (!query.by && !query.weightBy) return {};
    const audience = survey.audience;
    const panel = audience.kind === 'panel' ? await this.roster.panel(audience.panelId) : null;
    const feature = (code: string | undefined, field: string) => {
      if (code === undefined) return undefined;
      const found = panel?.features.find((f) => f.code === code);
      if (!found) throw new ValidationError('Unknown feature', [{ field, code: 'UNKNOWN_FEATURE', message: panel ? `the panel has no feature ${code}` : 'cross-tabs and weights need a panel survey' }]);
      return found;
    };
    feature(query.by, 'by');
    const weightFeature = feature(query.weightBy, 'weightBy');
    // Targets are the panel's (libs/panels' strata: the population share the admin gave, else the
    // middle of the quota band), normalised per feature.
    const weighting = weightFeature && { feature: weightFeature.code, targets: Object.fromEntries(weightFeature.values.map((v) => [v.code, v.targetShare])) };
    return { by: query.by, ...(weighting ? { weighting } : {}) };
  }

  async results(actor: Actor | null, surveyId: string, query: ResultsQuery): Promise<SurveyResults & { surveyId: string; state: string }> {
    const { survey } = await this.readable(actor, surveyId);
    const options = await this.options(survey, query);
    const rows = await this.responses(survey);
    return { surveyId: survey.id, state: surveyState(survey), ...tallySurvey(survey.questions, rows, options) };
  }

  /**
   * One line per submitted response: feature columns, then one per question (multiple choices
   * joined by "; ", rankings by " > "). Identified surveys name the respondent; anonymous ones
   * have no respondent column and come in a fresh random order.
   */
  async csv(actor: Actor | null, surveyId: string): Promise<string> {
    const { survey } = await this.readable(actor, surveyId);
    const rows = await this.responses(survey);
    const featureCodes = [...new Set(rows.flatMap((r) => Object.keys(r.features ?? {})))].sort();
    // Free texts may start like a formula: neutralised as the open-data files are.
    const cell = (a: Answer | undefined, type: string): string | number => {
      if (a === undefined) return '';
      if (Array.isArray(a)) return a.join(type === 'ranking' ? ' > ' : '; ');
      return neutraliseCsvCell(a);
    };
    const header = [...(survey.anonymous ? [] : ['respondent']), ...featureCodes, ...survey.questions.map((q) => q.id)];
    const lines = (survey.anonymous ? cryptoShuffle(rows) : rows).map((r) => [
      ...(survey.anonymous ? [] : [r.userId ?? '']),
      ...featureCodes.map((f) => neutraliseCsvCell(r.features?.[f] ?? null)),
      ...survey.questions.map((q) => cell(r.answers[q.id], q.type)),
    ]);
    return `\uFEFF${stringify([header, ...lines])}`;
  }
}
